import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const PASSWORD = 'correct horse 42';
/** What a TLS proxy on this host adds for a visitor from elsewhere. */
const FROM_ELSEWHERE = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' };

type Ready = { status: string; checks?: Record<string, { ok: boolean }> };

describeEachDb('security headers and health probes', (kind) => {
  let t: TestKernel;
  let server: RunningServer;

  before(async () => {
    t = await bootTestKernel(kind);
    const admins = await t.kernel.groups.byCode('administrators');
    await t.kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id] });
    await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('forbids framing in both headers alike and turns powerful browser features off', async () => {
    for (const path of ['/auth/login/', '/auth/login/', '/readyz', '/api/v1/main/me']) {
      const res = await fetch(`${server.url}${path}`);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      const policy = res.headers.get('permissions-policy') ?? '';
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) assert.match(policy, new RegExp(`(^|, )${feature}=\\(\\)`), `${path}: ${feature}`);
    }
  });

  it('shows the readiness details to requests from this host', async () => {
    const res = await fetch(`${server.url}/readyz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Ready;
    assert.equal(body.status, 'ready');
    assert.equal(body.checks?.db?.ok, true);
    assert.equal(body.checks?.cache?.ok, true);
  });

  it('gives others only the status, also through a proxy on this host', async () => {
    const res = await fetch(`${server.url}/readyz`, { headers: FROM_ELSEWHERE });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ready' });
    const signedIn = new HttpClient(server.url);
    await signedIn.signIn('ivan', PASSWORD);
    assert.deepEqual(await (await signedIn.get('/readyz', FROM_ELSEWHERE)).json(), { status: 'ready' }, 'a colleague is not an admin');
  });

  it('shows the details to an administrator from anywhere', async () => {
    const c = new HttpClient(server.url);
    await c.signIn('boss', PASSWORD);
    const body = (await (await c.get('/readyz', FROM_ELSEWHERE)).json()) as Ready;
    assert.equal(body.checks?.db?.ok, true);
  });
});
