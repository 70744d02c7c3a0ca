import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { alertText, assertDenied, page, startAdminEnv, type AdminEnv } from './harness.js';

describeEachDb('admin security log', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
    await new HttpClient(env.server.url).signIn('ivan', 'wrong password');
  });
  after(async () => env.close());

  it('shows sign-ins, failures and denials, newest first', async () => {
    await env.user.get('/admin/security/');
    const { status, html } = await page(env.admin, '/admin/security/');
    assert.equal(status, 200);
    assert.match(html, /login\.success/);
    assert.match(html, /login\.failed/);
    assert.match(html, /access\.denied/);
    assert.ok(html.indexOf('title="access.denied">Access denied</span>') < html.indexOf('title="login.failed">Wrong password</span>'), 'newest first, named in words with the code as tooltip');
    assert.match(html, /&quot;path&quot;:&quot;\/admin\/security\/&quot;/, 'details shown, escaped');
  });

  it('filters by event and pages', async () => {
    const failed = await page(env.admin, '/admin/security/?event=login.failed');
    assert.equal(failed.status, 200);
    assert.match(failed.html, /title="login\.failed">Wrong password<\/span>/);
    assert.doesNotMatch(failed.html, /title="login\.success">Signed in<\/span>/);
    for (let i = 0; i < 55; i++) await env.t.kernel.users.securityLog.record('custom.probe', { login: `p${i}`, ip: '10.0.0.1' });
    const first = await page(env.admin, '/admin/security/?event=custom.probe');
    assert.match(first.html, /Page 1 of 2 \(55 in all\)/);
    assert.match(first.html, /title="custom\.probe">custom\.probe<\/span>/, 'an event without a name shows its code');
    assert.match(first.html, />p54</);
    const second = await page(env.admin, '/admin/security/?event=custom.probe&page=2');
    assert.match(second.html, />p0</);
    assert.doesNotMatch(second.html, />p54</);
  });

  it('answers a malformed filter with a readable 400', async () => {
    const res = await page(env.admin, '/admin/security/?event=%3Cscript%3E');
    assert.equal(res.status, 400);
    assert.match(alertText(res.html), /event name may hold only/);
    assert.doesNotMatch(res.html, /<script>/, 'escaped');
  });

  it('is closed to users without main.admin.view', async () => {
    assert.equal((await page(env.viewer, '/admin/security/')).status, 200);
    await assertDenied(env, env.user, 'GET', '/admin/security/');
  });
});
