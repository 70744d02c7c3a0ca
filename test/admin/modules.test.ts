import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { adminDepModule, adminTestModule } from './fixtures.js';
import { alertText, assertCsrfRequired, assertDenied, page, startAdminEnv, submit, type AdminEnv } from './harness.js';

describeEachDb('admin modules', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind, { definitions: [mainModule, adminTestModule, adminDepModule] });
  });
  after(async () => env.close());

  it('lists available modules with versions and dependencies', async () => {
    const { status, html } = await page(env.admin, '/admin/modules/');
    assert.equal(status, 200);
    assert.match(html, /Admin test module<\/strong> <code>admintest<\/code>/);
    assert.match(html, /admintest \^1\.0\.0/, 'dependency of admindep');
    assert.match(html, /action="\/admin\/modules\/admintest\/install\/"/);
    assert.doesNotMatch(html, /action="\/admin\/modules\/main\/uninstall\/"/, 'the main module cannot be uninstalled');
  });

  it('refuses a module whose dependency is missing with a readable 409', async () => {
    const res = await submit(env.admin, '/admin/modules/admindep/install/');
    assert.equal(res.status, 409);
    assert.match(alertText(res.html), /needs module &quot;admintest&quot;|needs module "admintest"/);
    assert.equal(env.t.kernel.modules.isInstalled('admindep'), false);
  });

  it('installs, refuses to uninstall while needed, and uninstalls keeping the data', async () => {
    const res = await submit(env.admin, '/admin/modules/admintest/install/');
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/modules/?done=installed');
    assert.equal(env.t.kernel.modules.isInstalled('admintest'), true);
    assert.match((await page(env.admin, res.location!)).html, /role="status">The module is installed/);
    await env.t.kernel.db('admintest').write('items').insert({ title: 'kept' });

    assert.equal((await submit(env.admin, '/admin/modules/admindep/install/')).status, 302);
    const inUse = await submit(env.admin, '/admin/modules/admintest/uninstall/');
    assert.equal(inUse.status, 409);
    assert.match(alertText(inUse.html), /needed by/);
    assert.equal((await submit(env.admin, '/admin/modules/admindep/uninstall/')).status, 302);

    const plain = await submit(env.admin, '/admin/modules/admintest/uninstall/');
    assert.equal(plain.status, 302);
    assert.equal(env.t.kernel.modules.isInstalled('admintest'), false);
    assert.equal(await env.t.kernel.db('admintest').hasTable('items'), true, 'data kept');
  });

  it('asks for confirmation before deleting a module\'s data', async () => {
    assert.equal((await submit(env.admin, '/admin/modules/admintest/install/')).status, 302);
    assert.deepEqual(await env.t.kernel.db('admintest').read('items').pluck('title'), ['kept'], 'reinstall finds the old data');
    const ask = await submit(env.admin, '/admin/modules/admintest/uninstall/', { dropData: '1' });
    assert.equal(ask.status, 200);
    assert.match(ask.html, /Delete the module&#39;s data\?|Delete the module's data\?/);
    assert.match(ask.html, /name="confirm" value="1"/);
    assert.equal(env.t.kernel.modules.isInstalled('admintest'), true, 'nothing happened yet');

    const confirmed = await submit(env.admin, '/admin/modules/admintest/uninstall/', { dropData: '1', confirm: '1' });
    assert.equal(confirmed.status, 302);
    assert.equal(env.t.kernel.modules.isInstalled('admintest'), false);
    assert.equal(await env.t.kernel.db('admintest').hasTable('items'), false, 'data deleted');
  });

  it('refuses to uninstall the main module with a readable error', async () => {
    const res = await submit(env.admin, '/admin/modules/main/uninstall/');
    assert.equal(res.status, 409);
    assert.match(alertText(res.html), /cannot be uninstalled/);
  });

  it('answers unknown module ids with 404', async () => {
    assert.equal((await submit(env.admin, '/admin/modules/nope/install/')).status, 404);
    assert.equal((await submit(env.admin, '/admin/modules/..%2F..%2Fetc/install/')).status, 404);
  });

  it('needs main.admin.view to open and main.modules.manage to change', async () => {
    assert.equal((await page(env.viewer, '/admin/modules/')).status, 200);
    await assertDenied(env, env.user, 'GET', '/admin/modules/');
    await assertDenied(env, env.viewer, 'POST', '/admin/modules/admintest/install/');
    assert.equal(env.t.kernel.modules.isInstalled('admintest'), false);
  });

  it('refuses a change without the CSRF token', async () => {
    await assertCsrfRequired(env.admin, '/admin/modules/admintest/install/');
    assert.equal(env.t.kernel.modules.isInstalled('admintest'), false);
  });
});
