import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';

const PASSWORD = 'correct horse 42';
const MAX = 3;

/** The first wait is a minute from the last failure; the requests since took a moment of it. */
function assertAboutAMinute(retryAfter: string | null): void {
  const s = Number(retryAfter);
  assert.ok(s >= 50 && s <= 60, `Retry-After: ${retryAfter}`);
}

describeEachDb('sign-in throttling over HTTP', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  before(async () => {
    t = await bootTestKernel(kind, { overrides: { http: { trustProxy: true }, security: { loginMaxAttempts: MAX, loginWindowSeconds: 900, loginLockSeconds: 900 } } });
    for (const login of ['anna', 'boris', 'vera', 'gleb']) await t.kernel.users.create({ login, email: `${login}@example.com`, password: PASSWORD });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  /** A browser at `ip` (behind the trusted proxy). */
  const browserAt = (ip: string) => {
    const c = new HttpClient(server.url);
    const headers = { 'x-forwarded-for': ip };
    const signIn = async (login: string, password: string, extra: Record<string, string> = {}) => {
      const token = HttpClient.csrfFrom(await (await c.get('/auth/login/', headers)).text());
      return c.request('POST', '/auth/login/', { form: { _csrf: token, login, password, back: '/' }, headers: { ...headers, ...extra } });
    };
    return { c, headers, signIn };
  };

  it('answers a throttled browser with 429, Retry-After and when to try again, in words', async () => {
    const b = browserAt('192.0.2.10');
    for (let i = 0; i < MAX; i++) assert.equal((await b.signIn('anna', 'wrong password')).status, 401);
    const res = await b.signIn('anna', PASSWORD);
    assert.equal(res.status, 429);
    assertAboutAMinute(res.headers.get('retry-after'));
    const html = await res.text();
    assert.match(html, /role="alert">Too many failed sign-in attempts\. Try again in (1 minute|5\d seconds)\./);
    assert.match(html, /name="login" value="anna"/, 'the form again, with the login kept');
    const unknown = browserAt('192.0.2.11');
    for (let i = 0; i < MAX; i++) await unknown.signIn('no.such.person', 'wrong password');
    const same = await unknown.signIn('no.such.person', PASSWORD);
    assert.equal(same.status, 429, 'an unknown login is throttled the same way');
    assertAboutAMinute(same.headers.get('retry-after'));
  });

  it('says it in Russian on a Russian site, and as JSON (code, wait, Retry-After) to clients that want JSON', async () => {
    await t.kernel.sites.update('s1', { language: 'ru' });
    try {
      const b = browserAt('192.0.2.20');
      for (let i = 0; i < MAX; i++) await b.signIn('boris', 'wrong password');
      const res = await b.signIn('boris', 'wrong password');
      assert.equal(res.status, 429);
      assert.match(await res.text(), /Слишком много неудачных попыток входа\. Попробуйте снова через (1 минуту|5\d секунд[уы]?)\./);
      const json = await b.signIn('boris', 'wrong password', { accept: 'application/json' });
      assert.equal(json.status, 429);
      assertAboutAMinute(json.headers.get('retry-after'));
      const body = (await json.json()) as { error: { code: string; message: string; details: { retryAfterSeconds: number } } };
      assert.equal(body.error.code, 'LOGIN_THROTTLED');
      assert.equal(String(body.error.details.retryAfterSeconds), json.headers.get('retry-after'));
      assert.match(body.error.message, /^Too many failed sign-in attempts\. Try again in (1 minute|5\d seconds)\.$/, 'JSON keeps the English message for scripts; the page is Russian');
    } finally {
      await t.kernel.sites.update('s1', { language: 'en' });
    }
  });

  it('the device cookie from an earlier sign-in lets a colleague in while someone at the same address fails', async () => {
    const mine = browserAt('192.0.2.30');
    assert.equal((await mine.signIn('vera', PASSWORD)).status, 302);
    assert.ok(mine.c.cookies.get('portal_device'), 'a device cookie after signing in');
    const form = HttpClient.csrfFrom(await (await mine.c.get('/', mine.headers)).text());
    assert.equal((await mine.c.request('POST', '/auth/logout/', { form: { _csrf: form }, headers: mine.headers })).status, 302);
    const intruder = browserAt('192.0.2.30');
    for (let i = 0; i < MAX + 1; i++) await intruder.signIn('vera', 'guess');
    assert.equal((await intruder.signIn('vera', PASSWORD)).status, 429);
    assert.equal((await mine.signIn('vera', PASSWORD)).status, 302, 'the known device signs in');
  });

  it('a login failing from many addresses gets 423 with Retry-After for new places, the same for an unknown login', async () => {
    for (const login of ['gleb', 'nobody.at.all']) {
      for (let i = 0; i < 5 * MAX; i++) assert.equal((await browserAt(`198.51.100.${Math.floor(i / MAX) + 1}`).signIn(login, 'guess')).status, 401);
    }
    const [known, unknown] = [await browserAt('198.51.100.99').signIn('gleb', PASSWORD), await browserAt('198.51.100.99').signIn('nobody.at.all', PASSWORD)];
    for (const res of [known, unknown]) {
      assert.equal(res.status, 423);
      const after = Number(res.headers.get('retry-after'));
      assert.ok(after > 0 && after <= 900, `Retry-After ${after}`);
      assert.match(await res.text(), /role="alert">[^<]*try again in \d+ minutes?/i);
    }
  });
});
