import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';

const PASSWORD = 'correct horse 42';

describeEachDb('HTTP shell', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  before(async () => {
    t = await bootTestKernel(kind);
    const admins = await t.kernel.groups.byCode('administrators');
    await t.kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id], name: 'Big', lastName: 'Boss' });
    await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Иван' });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('answers the health probes', async () => {
    const live = await fetch(`${server.url}/healthz`);
    assert.equal(live.status, 200);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    assert.equal(body.checks.db!.ok, true);
    assert.equal(body.checks.cache!.ok, true);
  });

  it('sends security headers on every response', async () => {
    const res = await fetch(`${server.url}/auth/login/`);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
    assert.ok(res.headers.get('x-frame-options'));
  });

  it('sends anonymous visitors to the sign-in page', async () => {
    const res = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/auth/login/?back=%2F');
  });

  it('rejects a sign-in without the CSRF token', async () => {
    const c = new HttpClient(server.url);
    await c.get('/auth/login/');
    const res = await c.post('/auth/login/', { login: 'ivan', password: PASSWORD });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /reload the page/);
  });

  it('shows a readable error for a wrong password', async () => {
    const c = new HttpClient(server.url);
    const res = await c.signIn('ivan', 'wrong password');
    assert.equal(res.status, 401);
    const html = await res.text();
    assert.match(html, /Wrong login or password/);
    assert.doesNotMatch(html, /at .*\.js:\d+/, 'no stack trace');
  });

  it('signs in with a rotated HttpOnly SameSite session and signs out', async () => {
    const c = new HttpClient(server.url);
    const res = await c.signIn('ivan', PASSWORD);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/');
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('portal_sid='));
    assert.ok(cookie, 'session cookie set');
    assert.match(cookie!, /httponly/i);
    assert.match(cookie!, /samesite=lax/i);
    const home = await c.get('/');
    assert.equal(home.status, 200);
    const html = await home.text();
    assert.match(html, /Welcome, Иван/);
    const sid = c.cookies.get('portal_sid')!;

    // Session fixation: a session id planted before sign-in is never the one used after it.
    const planted = await t.kernel.sessions.create({ userId: null, ip: '127.0.0.1', userAgent: 'test' });
    const victim = new HttpClient(server.url);
    victim.cookies.set('portal_sid', planted.id);
    assert.equal((await victim.signIn('ivan', PASSWORD)).status, 302);
    assert.notEqual(victim.cookies.get('portal_sid'), planted.id, 'session id rotated on login');
    assert.equal(await t.kernel.sessions.load(planted.id), null, 'the planted session is gone');

    const noToken = await c.post('/auth/logout/', {});
    assert.equal(noToken.status, 403, 'logout needs the CSRF token too');
    const out = await c.post('/auth/logout/', { _csrf: HttpClient.csrfFrom(await (await c.get('/')).text()) });
    assert.equal(out.status, 302);
    const stale = new HttpClient(server.url);
    stale.cookies.set('portal_sid', sid);
    assert.equal((await stale.get('/')).status, 302, 'old session is gone');
  });

  it('checks rights on the server: 403 for a user, 200 for an admin', async () => {
    const user = new HttpClient(server.url);
    await user.signIn('ivan', PASSWORD);
    const denied = await user.get('/admin/');
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /Access denied/);
    const log = await t.kernel.users.securityLog.list({ event: 'access.denied' });
    assert.ok(log.items.some((e: { login: string | null }) => e.login === 'ivan'), 'denial recorded in the security log');

    const admin = new HttpClient(server.url);
    await admin.signIn('boss', PASSWORD);
    const ok = await admin.get('/admin/');
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<code>main<\/code>/);
  });

  it('serves the JSON API with API tokens and coded errors', async () => {
    const ivan = (await t.kernel.users.findByLogin('ivan'))!;
    const { token } = await t.kernel.tokens.issue(ivan.id, 'script');
    const me = await fetch(`${server.url}/api/v1/main/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    const profile = ((await me.json()) as { result: Record<string, unknown> }).result;
    assert.equal(profile.login, 'ivan');
    for (const field of ['position', 'departmentId', 'phone', 'birthday', 'photoUrl']) assert.ok(field in profile, `the profile has ${field}`);
    assert.equal('passwordHash' in profile, false);

    const bad = await fetch(`${server.url}/api/v1/main/me`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');

    const badParam = await fetch(`${server.url}/api/v1/main/users?limit=abc`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(badParam.status, 400);
    const err = ((await badParam.json()) as { error: { code: string; message: string } }).error;
    assert.equal(err.code, 'VALIDATION_FAILED');
    assert.match(err.message, /limit must be an integer/);

    const anon = await fetch(`${server.url}/api/v1/main/me`);
    assert.equal(anon.status, 401);
  });

  it('answers malformed bodies and unknown paths with 4xx, never 500', async () => {
    const c = new HttpClient(server.url);
    const token = HttpClient.csrfFrom(await (await c.get('/auth/login/')).text());
    const res = await c.request('POST', '/auth/login/', { body: '{"login":', headers: { 'content-type': 'application/json', 'x-csrf-token': token } });
    assert.equal(res.status, 400);
    const notFound = await fetch(`${server.url}/no/such/page`);
    assert.equal(notFound.status, 404);
    assert.match(await notFound.text(), /Page not found/);
    const anonymousApi = await fetch(`${server.url}/api/v1/nope`);
    assert.equal(anonymousApi.status, 401, 'the portal is closed: its API answers nobody anonymous, known path or not');
    assert.equal(((await anonymousApi.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    const ivan = (await t.kernel.users.findByLogin('ivan'))!;
    const { token: apiToken } = await t.kernel.tokens.issue(ivan.id, 'unknown path');
    const apiNotFound = await fetch(`${server.url}/api/v1/nope`, { headers: { authorization: `Bearer ${apiToken}` } });
    assert.equal(apiNotFound.status, 404);
    assert.equal(((await apiNotFound.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  });

  it('changes the password from the profile and keeps the user signed in', async () => {
    await t.kernel.users.create({ login: 'olga', email: 'olga@example.com', password: PASSWORD });
    const c = new HttpClient(server.url);
    await c.signIn('olga', PASSWORD);
    const other = new HttpClient(server.url);
    await other.signIn('olga', PASSWORD);
    const form = await (await c.get('/profile/password/')).text();
    const csrf = HttpClient.csrfFrom(form);
    assert.match(form, /<input type="password" id="password2" name="password2" autocomplete="new-password"[^>]* required/, 'a confirmation field');
    const wrong = await c.post('/profile/password/', { _csrf: csrf, current: 'not it', password: 'new password 1', password2: 'new password 1' });
    assert.equal(wrong.status, 400);
    const wrongHtml = await wrong.text();
    assert.match(wrongHtml, /role="alert">The current password is wrong</);
    assert.doesNotMatch(wrongHtml, /Wrong login or password/);
    const differ = await c.post('/profile/password/', { _csrf: csrf, current: PASSWORD, password: 'new password 1', password2: 'new password 2' });
    assert.equal(differ.status, 400);
    assert.match(await differ.text(), /role="alert">The new password and its confirmation differ</);
    const weak = await c.post('/profile/password/', { _csrf: csrf, current: PASSWORD, password: 'short', password2: 'short' });
    assert.equal(weak.status, 400);
    await assert.rejects(t.kernel.users.authenticate('olga', 'new password 2', '127.0.0.3'), { code: 'LOGIN_FAILED' });
    const ok = await c.post('/profile/password/', { _csrf: csrf, current: PASSWORD, password: 'new password 1', password2: 'new password 1' });
    assert.equal(ok.status, 302);
    assert.equal((await c.get('/')).status, 200, 'still signed in');
    assert.equal((await other.get('/')).status, 302, 'the other session ended');
    await t.kernel.users.authenticate('olga', 'new password 1', '127.0.0.2');
  });

  it('guessing the current password on the profile is throttled like sign-in (429 with Retry-After)', async () => {
    await t.kernel.users.create({ login: 'pavel', email: 'pavel@example.com', password: PASSWORD });
    const c = new HttpClient(server.url);
    await c.signIn('pavel', PASSWORD);
    const csrf = HttpClient.csrfFrom(await (await c.get('/profile/password/')).text());
    const guess = (current: string) => c.post('/profile/password/', { _csrf: csrf, current, password: 'new password 1', password2: 'new password 1' });
    for (let i = 0; i < t.kernel.config.security.loginMaxAttempts; i++) assert.equal((await guess(`guess ${i}`)).status, 400);
    const throttled = await guess(PASSWORD);
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
    assert.match(await throttled.text(), /role="alert">Too many failed sign-in attempts\. Try again in/);
    const failed = await t.kernel.users.securityLog.list({ event: 'login.failed', limit: 20 });
    assert.ok(failed.items.some((e) => e.login === 'pavel' && e.details?.purpose === 'password_change'));
  });

  it('serves template assets and nothing outside them', async () => {
    const css = await fetch(`${server.url}/assets/templates/.default/style.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    const escape = await fetch(`${server.url}/assets/templates/.default/..%2f..%2fpackage.json`);
    assert.equal(escape.status, 404);
  });
});
