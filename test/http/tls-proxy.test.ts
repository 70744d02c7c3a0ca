import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { httpsRequest, startTlsProxy, type HttpsAnswer, type TlsProxy } from '../harness/nginx.js';
import type { PortalConfigInput } from '../../core/config/types.js';

const PASSWORD = 'correct horse 42';
const HTTPS_PORTAL: PortalConfigInput = { http: { publicUrl: 'https://intranet.example.test' } };
// An https portal's cookies carry the __Host- prefix (host-only, Secure, Path=/; see decisions.md, "Cookies").

function cookie(answer: { cookies: string[] } | Response, name: string): string | undefined {
  const lines = answer instanceof Response ? answer.headers.getSetCookie() : answer.cookies;
  return lines.find((l) => l.startsWith(`${name}=`));
}

const pair = (line: string | undefined) => line!.split(';')[0]!;

async function lastFailedSignInIp(t: TestKernel): Promise<string> {
  const { items } = await t.kernel.users.securityLog.list({ event: 'login.failed', limit: 1 });
  return items[0]!.ip;
}

describeEachDb('behind a TLS proxy (nginx) with an https publicUrl', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let proxy: TlsProxy;
  const get = (path: string, headers: Record<string, string> = {}) => httpsRequest(proxy.url + path, proxy.ca, { headers });

  before(async () => {
    t = await bootTestKernel(kind, { overrides: HTTPS_PORTAL });
    await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Ivan' });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    proxy = await startTlsProxy(server.url);
  });
  after(async () => {
    await proxy.stop();
    await server.close();
    await t.close();
  });

  it('serves pages and signs in through a proxy on this host, with Secure cookies and HSTS', async () => {
    const page = await get('/auth/login/');
    assert.equal(page.status, 200, page.body.slice(0, 300));
    assert.match(cookie(page, '__Host-portal_csrf') ?? '', /;\s*secure/i);
    assert.match(String(page.headers['strict-transport-security'] ?? ''), /max-age=\d+/, 'the connection is known to be https');
    const csrf = HttpClient.csrfFrom(page.body);
    const form = new URLSearchParams({ _csrf: csrf, login: 'ivan', password: PASSWORD, back: '/' }).toString();
    const signedIn: HttpsAnswer = await httpsRequest(`${proxy.url}/auth/login/`, proxy.ca, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: pair(cookie(page, '__Host-portal_csrf')) },
    });
    assert.equal(signedIn.status, 302, signedIn.body.slice(0, 300));
    const sid = cookie(signedIn, '__Host-portal_sid');
    assert.match(sid ?? '', /;\s*secure/i);
    const home = await get('/', { cookie: pair(sid) });
    assert.equal(home.status, 200);
    assert.match(home.body, /Welcome, Ivan/);
  });

  it('knows the visitor by the address the proxy forwards', async () => {
    const page = await get('/auth/login/', { 'x-forwarded-for': '198.51.100.4' });
    const form = new URLSearchParams({ _csrf: HttpClient.csrfFrom(page.body), login: 'ivan', password: 'wrong password', back: '/' }).toString();
    const failed = await httpsRequest(`${proxy.url}/auth/login/`, proxy.ca, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: pair(cookie(page, '__Host-portal_csrf')), 'x-forwarded-for': '198.51.100.4' },
    });
    assert.equal(failed.status, 401);
    assert.equal(await lastFailedSignInIp(t), '198.51.100.4');
  });

  it('answers plain http on the portal port without a 500; cookies stay Secure, no HSTS', async () => {
    const res = await fetch(`${server.url}/auth/login/`);
    assert.equal(res.status, 200);
    assert.match(cookie(res, '__Host-portal_csrf') ?? '', /;\s*secure/i);
    assert.equal(res.headers.get('strict-transport-security'), null, 'HSTS only over https');
    const c = new HttpClient(server.url);
    const signIn = await c.signIn('ivan', PASSWORD);
    assert.equal(signIn.status, 302, 'signing in over plain http is no 500 either');
  });
});

describeEachDb('forwarded headers from a peer that is not a trusted proxy', (kind) => {
  let t: TestKernel;
  let server: RunningServer;

  before(async () => {
    t = await bootTestKernel(kind, { overrides: { http: { publicUrl: 'https://intranet.example.test', trustedProxies: ['192.0.2.1'] } } });
    await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('ignores X-Forwarded-Proto and X-Forwarded-For, and still answers', async () => {
    const spoofed = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
    const c = new HttpClient(server.url);
    const page = await c.get('/auth/login/', spoofed);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('strict-transport-security'), null, 'not told the connection is https');
    assert.match(cookie(page, '__Host-portal_csrf') ?? '', /;\s*secure/i);
    const failed = await c.request('POST', '/auth/login/', { form: { _csrf: HttpClient.csrfFrom(await page.text()), login: 'ivan', password: 'nope' }, headers: spoofed });
    assert.equal(failed.status, 401);
    assert.equal(await lastFailedSignInIp(t), '127.0.0.1');
  });
});
