import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import type { Kernel } from '../../core/kernel.js';
import { linkBase } from '../../modules/main/accounts/links.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { deliverMail, linkIn, queuedCount } from '../harness/mail-delivery.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';

const PASSWORD = 'old password 42';

describeEachDb('forgotten password', (kind) => {
  let smtp: TestSmtpServer;
  let t: TestKernel;
  let server: RunningServer;
  let annaId: number;

  /** Asks for a reset link for `email` from a fresh browser; returns the answer's status and HTML. */
  async function ask(email: string, client = new HttpClient(server.url)): Promise<{ status: number; html: string; retryAfter: string | null }> {
    const form = await (await client.get('/auth/forgot/')).text();
    const res = await client.post('/auth/forgot/', { _csrf: HttpClient.csrfFrom(form), email });
    return { status: res.status, html: await res.text(), retryAfter: res.headers.get('retry-after') };
  }

  /** The reset link mailed to anna (the latest one). */
  async function mailedLink(): Promise<string> {
    smtp.messages.length = 0;
    const msg = await deliverMail(t.kernel, smtp, 'USER_PASSWORD_RESET', 'anna@example.com');
    return linkIn(msg);
  }

  before(async () => {
    smtp = await startSmtpServer();
    t = await bootTestKernel(kind, { overrides: { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' }, security: { loginMaxAttempts: 3 } } });
    annaId = (await t.kernel.users.create({ login: 'anna', email: 'anna@example.com', password: PASSWORD, name: 'Anna', lastName: 'Smith' })).id;
    await t.kernel.users.create({ login: 'blocked', email: 'blocked@example.com', password: PASSWORD, name: 'Bo', lastName: 'Locked', active: false });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
    await smtp?.stop();
  });
  beforeEach(async () => {
    await t.kernel.db('main').write('login_attempts').delete();
  });

  it('the sign-in page links to "Forgot your password?"', async () => {
    const html = await (await fetch(`${server.url}/auth/login/`)).text();
    assert.match(html, /<a href="\/auth\/forgot\/">Forgot your password\?<\/a>/);
    const forgot = await fetch(`${server.url}/auth/forgot/`);
    assert.equal(forgot.status, 200);
    assert.match(await forgot.text(), /<input type="email" id="email" name="email"/);
  });

  it('mails a one-time link that sets a new password and ends every session of the user', async () => {
    const browser = new HttpClient(server.url);
    assert.equal((await browser.signIn('anna', PASSWORD)).status, 302);
    const answer = await ask('Anna@Example.com');
    assert.equal(answer.status, 200);
    assert.match(answer.html, /If an account uses Anna@Example\.com, a link to set a new password is on its way there/);
    const msg = await deliverMail(t.kernel, smtp, 'USER_PASSWORD_RESET', 'anna@example.com');
    assert.equal(msg.subject, 'Intranet: reset your password');
    assert.match(msg.text, /Hello Anna Smith,/);
    const link = linkIn(msg);
    assert.match(link, new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/auth/reset/\\?token=[A-Za-z0-9_-]{43}$`), 'the link leads back to this portal');
    const stored = (await t.kernel.db('main').write('account_tokens').where({ user_id: annaId }).select('token_hash')) as { token_hash: string }[];
    assert.equal(stored.length, 1);
    assert.ok(!stored[0]!.token_hash.includes(new URL(link).searchParams.get('token')!), 'only a hash of the token is stored');

    const visitor = new HttpClient(server.url);
    const form = await (await visitor.get(new URL(link).pathname + new URL(link).search)).text();
    assert.match(form, /For the account anna\./);
    const token = new URL(link).searchParams.get('token')!;
    const weak = await visitor.post('/auth/reset/', { _csrf: HttpClient.csrfFrom(form), token, password: 'short', password2: 'short' });
    assert.equal(weak.status, 400);
    assert.match(await weak.text(), /does not meet the rule/);
    const mismatch = await visitor.post('/auth/reset/', { _csrf: HttpClient.csrfFrom(form), token, password: 'new password 42', password2: 'new password 43' });
    assert.equal(mismatch.status, 400, 'a typo does not use the link up');
    const done = await visitor.post('/auth/reset/', { _csrf: HttpClient.csrfFrom(form), token, password: 'new password 42', password2: 'new password 42' });
    assert.equal(done.status, 302);
    assert.equal(done.headers.get('location'), '/auth/login/?done=reset');
    assert.match(await (await visitor.get('/auth/login/?done=reset')).text(), /Your password has been changed\. Sign in with the new one\./);

    assert.equal((await browser.get('/profile/')).status, 302, 'the session signed in before the reset has ended');
    await assert.rejects(t.kernel.users.authenticate('anna', PASSWORD, '127.0.0.9'), { code: 'LOGIN_FAILED' });
    assert.equal((await t.kernel.users.authenticate('anna', 'new password 42', '127.0.0.9')).id, annaId);
    const again = await visitor.post('/auth/reset/', { _csrf: HttpClient.csrfFrom(form), token, password: 'other password 42', password2: 'other password 42' });
    assert.equal(again.status, 400, 'the link works once');
    assert.match(await again.text(), /This link has expired or was already used/);
    const changed = await deliverMail(t.kernel, smtp, 'USER_PASSWORD_CHANGED', 'anna@example.com');
    assert.match(changed.text, /the password of anna was changed/);
    assert.equal((await t.kernel.users.securityLog.list({ event: 'password.reset' })).total, 1);
  });

  it('gives the same answer for an address without an account, a blocked account or a typo in case, and mails only the real account', async () => {
    const before = await queuedCount(t.kernel, 'USER_PASSWORD_RESET', 'nobody@example.com');
    const known = await ask('anna@example.com');
    const unknown = await ask('nobody@example.com');
    const blocked = await ask('blocked@example.com');
    const strip = (html: string, email: string) => html.split(email).join('EMAIL').replace(/name="_csrf" value="[^"]+"/g, '');
    assert.equal(unknown.status, known.status);
    assert.equal(strip(unknown.html, 'nobody@example.com'), strip(known.html, 'anna@example.com'));
    assert.equal(strip(blocked.html, 'blocked@example.com'), strip(known.html, 'anna@example.com'));
    await deliverMail(t.kernel, smtp, 'USER_PASSWORD_RESET', 'anna@example.com');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await queuedCount(t.kernel, 'USER_PASSWORD_RESET', 'nobody@example.com'), before);
    assert.equal(await queuedCount(t.kernel, 'USER_PASSWORD_RESET', 'blocked@example.com'), 0);
    const bad = await ask('not an address');
    assert.equal(bad.status, 400);
    assert.match(bad.html, /Enter an e-mail address such as name@example\.com\./);
    assert.match(bad.html, /value="not an address"/, 'the value is kept');
  });

  it('a newer link, a password change and the expiry each end a link', async () => {
    await ask('anna@example.com');
    const first = await mailedLink();
    await ask('anna@example.com');
    const second = await mailedLink();
    assert.notEqual(first, second);
    const path = (link: string) => new URL(link).pathname + new URL(link).search;
    const visitor = new HttpClient(server.url);
    assert.equal((await visitor.get(path(first))).status, 400, 'the newer link replaced it');
    assert.equal((await visitor.get(path(second))).status, 200);
    await t.kernel.users.setPassword(annaId, 'changed password 42');
    assert.equal((await visitor.get(path(second))).status, 400, 'a password change ends it');
    await ask('anna@example.com');
    const third = await mailedLink();
    await t.kernel.db('main').write('account_tokens').where({ user_id: annaId }).update({ expires_at: Date.now() - 1 });
    const expired = await visitor.get(path(third));
    assert.equal(expired.status, 400);
    assert.match(await expired.text(), /href="\/auth\/forgot\/">Ask for a new link/);
    assert.equal((await visitor.get('/auth/reset/?token=nonsense')).status, 400);
  });

  it('throttles requests per client with the kernel\'s sign-in throttle, whatever the address', async () => {
    const client = new HttpClient(server.url);
    for (let i = 0; i < 3; i++) assert.equal((await ask(`someone${i}@example.com`, client)).status, 200);
    const unknown = await ask('someone0@example.com', client);
    const known = await ask('anna@example.com', client);
    for (let i = 0; i < 2; i++) await ask('someone0@example.com', client);
    const refused = await ask('someone0@example.com', client);
    assert.equal(refused.status, 429);
    assert.match(refused.html, /Too many requests from here; try again in/);
    assert.ok(Number(refused.retryAfter) > 0);
    assert.equal(unknown.status, known.status);
  });

  it('builds links from http.publicUrl or the site\'s domains, never from a forged Host header', () => {
    const kernelWith = (publicUrl?: string) => ({ config: { http: { ...t.kernel.config.http, publicUrl } } }) as unknown as Kernel;
    const forged = { protocol: 'http', host: 'evil.example.net' };
    assert.equal(linkBase(kernelWith('https://intranet.example.com/'), { domains: [] }, forged), 'https://intranet.example.com');
    assert.equal(linkBase(kernelWith(), { domains: ['intranet.example.com'] }, forged), 'http://intranet.example.com');
    assert.equal(linkBase(kernelWith(), { domains: ['a.example.com', 'b.example.com'] }, { protocol: 'https', host: 'b.example.com' }), 'https://b.example.com');
  });
});
