import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { discoverModules } from '../../core/modules/discover.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb, memcachedServer } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';

const PASSWORD = 'correct horse 42';

/** Login CSRF: an attacker signs the victim's browser into the attacker's account. */
describeEachDb('login CSRF', (kind) => {
  let t: TestKernel;
  let otherNode: Kernel;
  let a: RunningServer;
  let b: RunningServer;
  before(async () => {
    const cache = { driver: 'memcached' as const, servers: [memcachedServer()], prefix: `t${randomBytes(4).toString('hex')}:` };
    t = await bootTestKernel(kind, { overrides: { cache } });
    await t.kernel.users.create({ login: 'attacker', email: 'attacker@example.com', password: PASSWORD });
    await t.kernel.users.create({ login: 'victim', email: 'victim@example.com', password: PASSWORD });
    otherNode = await Kernel.boot(t.env.config, { log: silentLogger(), definitions: await discoverModules() });
    a = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    b = await startServer(otherNode, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await otherNode?.close();
    await t?.close();
  });

  const attackerSignIn = (c: HttpClient, token: string, headers: Record<string, string> = {}) =>
    c.request('POST', '/auth/login/', { form: { _csrf: token, login: 'attacker', password: PASSWORD, back: '/' }, headers });

  it('refuses a planted portal_csrf cookie with the same value as the form token', async () => {
    const victim = new HttpClient(a.url);
    const planted = randomBytes(24).toString('base64url');
    victim.cookies.set('portal_csrf', planted);
    const res = await attackerSignIn(victim, planted);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /reload the page/);
    assert.equal(victim.cookies.has('portal_sid'), false, 'not signed in');
  });

  it('the form token is not the cookie: it is bound to a server secret every node shares', async () => {
    const c = new HttpClient(a.url);
    const token = HttpClient.csrfFrom(await (await c.get('/auth/login/')).text());
    const cookie = c.cookies.get('portal_csrf')!;
    assert.ok(cookie, 'the visitor got a cookie');
    assert.notEqual(token, cookie);
    assert.equal(token.includes(cookie), false, 'the token does not carry the cookie value');
    // The same cookie gets the same token from the other node, and its sign-in works there.
    const viaB = new HttpClient(b.url);
    viaB.cookies.set('portal_csrf', cookie);
    assert.equal(HttpClient.csrfFrom(await (await viaB.get('/auth/login/')).text()), token);
    const signedIn = await viaB.request('POST', '/auth/login/', { form: { _csrf: token, login: 'victim', password: PASSWORD, back: '/' } });
    assert.equal(signedIn.status, 302);
    assert.ok(viaB.cookies.get('portal_sid'));
    const secrets = await t.kernel.db('main').write('secrets').select('name');
    assert.ok(secrets.some((s: { name: string }) => s.name === 'csrf'), 'the secret is a row in the database');
  });

  it('refuses a real cookie/token pair planted in a browser when the browser says the form came from another site', async () => {
    const attacker = new HttpClient(a.url);
    const token = HttpClient.csrfFrom(await (await attacker.get('/auth/login/')).text());
    const cookie = attacker.cookies.get('portal_csrf')!;
    const forged: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'http://sub.127.0.0.1.example' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of forged) {
      const victim = new HttpClient(a.url);
      victim.cookies.set('portal_csrf', cookie);
      const res = await attackerSignIn(victim, token, headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(await res.text(), /reload the page/);
      assert.equal(victim.cookies.has('portal_sid'), false);
    }
    const sameOrigin = new HttpClient(a.url);
    sameOrigin.cookies.set('portal_csrf', cookie);
    const ok = await attackerSignIn(sameOrigin, token, { 'sec-fetch-site': 'same-origin', origin: a.url });
    assert.equal(ok.status, 302, 'the portal\'s own form signs in');
  });

  it('signed-in forms refuse cross-site posts even with the right token', async () => {
    const c = new HttpClient(a.url);
    assert.equal((await c.signIn('victim', PASSWORD)).status, 302);
    const token = HttpClient.csrfFrom(await (await c.get('/profile/password/')).text());
    const res = await c.request('POST', '/auth/logout/', { form: { _csrf: token }, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(res.status, 403);
    assert.equal((await c.get('/')).status, 200, 'still signed in');
  });
});

/** Behind https the cookies are __Host- cookies: a sibling host or plain http cannot plant them. */
describeEachDb('cookies behind https', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  const https = { 'x-forwarded-proto': 'https' };
  before(async () => {
    t = await bootTestKernel(kind, { overrides: { http: { publicUrl: 'https://intranet.example', trustProxy: true } } });
    await t.kernel.users.create({ login: 'attacker', email: 'attacker@example.com', password: PASSWORD });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  it('names the session and CSRF cookies __Host-, Secure, Path=/ and without Domain', async () => {
    const c = new HttpClient(server.url);
    const form = await c.get('/auth/login/', https);
    const csrfCookie = form.headers.getSetCookie().find((l) => l.startsWith('__Host-portal_csrf='));
    assert.ok(csrfCookie, form.headers.getSetCookie().join('\n'));
    assert.match(csrfCookie!, /;\s*secure/i);
    assert.match(csrfCookie!, /;\s*path=\//i);
    assert.doesNotMatch(csrfCookie!, /domain=/i);
    const token = HttpClient.csrfFrom(await form.text());
    const res = await c.request('POST', '/auth/login/', { form: { _csrf: token, login: 'attacker', password: PASSWORD, back: '/' }, headers: https });
    assert.equal(res.status, 302);
    const sid = res.headers.getSetCookie().find((l) => l.startsWith('__Host-portal_sid='));
    assert.ok(sid);
    assert.match(sid!, /;\s*secure/i);
    assert.equal((await c.get('/', https)).status, 200);
  });

  it('ignores cookies under the plain names, such as a planted session of the attacker', async () => {
    const attacker = await t.kernel.users.findByLogin('attacker');
    const planted = await t.kernel.sessions.create({ userId: attacker!.id, ip: '203.0.113.9' });
    const victim = new HttpClient(server.url);
    victim.cookies.set('portal_sid', planted.id);
    const res = await victim.get('/', https);
    assert.equal(res.status, 302, 'not signed in as the attacker');
    assert.match(res.headers.get('location') ?? '', /^\/auth\/login\//);
  });
});
