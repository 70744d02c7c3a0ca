import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { describeEachDb, testCache } from '../harness/db-matrix.js';
import { adminTestModule } from './fixtures.js';
import { alertText, assertCsrfRequired, assertDenied, page, startAdminEnv, submit, type AdminEnv } from './harness.js';

describeEachDb('admin settings and cache', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind, { definitions: [mainModule, adminTestModule] });
    await env.t.kernel.modules.install('admintest');
    await env.t.kernel.sites.create({ id: 's2', name: 'Second', domains: ['second.example.com'] });
  });
  after(async () => env.close());

  const values = { value_motto: 'hello', value_limit: '10', value_enabled: '1', value_extra: '{"a":1}' };

  it('lists modules with options and shows a field per option type', async () => {
    const index = await page(env.admin, '/admin/settings/');
    assert.equal(index.status, 200);
    assert.match(index.html, /href="\/admin\/settings\/admintest\/"/);
    const { status, html } = await page(env.admin, '/admin/settings/admintest/');
    assert.equal(status, 200);
    assert.match(html, /<input type="text" id="value_motto" name="value_motto" value="hello">/);
    assert.match(html, /<input type="number" step="any" id="value_limit" name="value_limit" value="10">/);
    assert.match(html, /<input type="checkbox" id="value_enabled" name="value_enabled" value="1" checked>/);
    assert.match(html, /<textarea id="value_extra" name="value_extra"[^>]*>\{\n {2}&quot;a&quot;: 1\n\}<\/textarea>/);
  });

  it('saves options of every type for all sites', async () => {
    const res = await submit(env.admin, '/admin/settings/admintest/', { site: '', value_motto: 'carpe diem', value_limit: '25', value_extra: '{"a":2,"b":[1]}' });
    assert.equal(res.status, 302);
    const o = env.t.kernel.options;
    assert.equal(await o.get('admintest', 'motto'), 'carpe diem');
    assert.equal(await o.get('admintest', 'limit'), 25);
    assert.equal(await o.get('admintest', 'enabled'), false, 'unticked checkbox');
    assert.deepEqual(await o.get('admintest', 'extra'), { a: 2, b: [1] });
    assert.match((await page(env.admin, res.location!)).html, /role="status">Saved/);
  });

  it('overrides an option for one site and inherits again when unticked', async () => {
    const res = await submit(env.admin, '/admin/settings/admintest/', { ...values, site: 's2', value_limit: '99', override_limit: '1' });
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/settings/admintest/?site=s2&done=saved');
    const o = env.t.kernel.options;
    assert.equal(await o.get('admintest', 'limit', 's2'), 99);
    assert.equal(await o.get('admintest', 'limit', 's1'), 25, 'other sites keep the all-sites value');
    assert.equal(await o.get('admintest', 'motto', 's2'), 'carpe diem', 'not overridden: inherited');
    const form = await page(env.admin, '/admin/settings/admintest/?site=s2');
    assert.match(form.html, /name="override_limit" value="1" checked/);
    assert.doesNotMatch(form.html, /name="override_motto" value="1" checked/);
    assert.equal((await submit(env.admin, '/admin/settings/admintest/', { ...values, site: 's2' })).status, 302);
    assert.equal(await o.get('admintest', 'limit', 's2'), 25, 'back to the all-sites value');
    assert.equal((await page(env.admin, '/admin/settings/admintest/?site=nosuch')).status, 404);
  });

  it('re-renders invalid values with a readable 400, keeping them and storing nothing', async () => {
    const res = await submit(env.admin, '/admin/settings/admintest/', { site: '', value_motto: 'changed?', value_limit: 'ten', value_extra: '{"a":2}' });
    assert.equal(res.status, 400);
    assert.match(alertText(res.html), /admintest\.limit must be a number/);
    assert.match(res.html, /name="value_limit" value="ten"/);
    assert.match(res.html, /name="value_motto" value="changed\?"/);
    assert.equal(await env.t.kernel.options.get('admintest', 'motto'), 'carpe diem');
    const json = await submit(env.admin, '/admin/settings/admintest/', { site: '', value_motto: 'x', value_limit: '1', value_extra: '{oops' });
    assert.equal(json.status, 400);
    assert.match(alertText(json.html), /must be JSON/);
    assert.equal((await page(env.admin, '/admin/settings/nope/')).status, 404);
  });

  it('resets an option to its default', async () => {
    const res = await submit(env.admin, '/admin/settings/admintest/', { site: '', value_motto: 'carpe diem', value_limit: '25', value_extra: '{}', reset_motto: '1' });
    assert.equal(res.status, 302);
    assert.equal(await env.t.kernel.options.get('admintest', 'motto'), 'hello');
  });

  it('clears the cache by tag and entirely', async () => {
    const cache = env.t.kernel.cache;
    await cache.set('probe:tagged', 'v1', { tags: ['probe-tag'] });
    await cache.set('probe:other', 'v2', { tags: ['other-tag'] });
    const { status, html } = await page(env.admin, '/admin/cache/');
    assert.equal(status, 200);
    assert.match(html, new RegExp(`<code>${testCache()}</code>`));
    const res = await submit(env.admin, '/admin/cache/tag/', { tag: 'probe-tag' });
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/cache/?done=tag_cleared');
    assert.equal(await cache.get('probe:tagged'), undefined, 'tagged entry gone');
    assert.equal(await cache.get('probe:other'), 'v2', 'other entry kept');
    assert.equal((await submit(env.admin, '/admin/cache/clear/')).status, 302);
    assert.equal(await cache.get('probe:other'), undefined, 'everything gone');
  });

  it('refuses an empty or malformed tag with a readable 400', async () => {
    const empty = await submit(env.admin, '/admin/cache/tag/', { tag: '' });
    assert.equal(empty.status, 400);
    assert.match(alertText(empty.html), /Enter a tag/);
    const spaced = await submit(env.admin, '/admin/cache/tag/', { tag: 'two words' });
    assert.equal(spaced.status, 400);
    assert.match(spaced.html, /value="two words"/);
  });

  it('needs main.settings.edit / main.cache.clear to change and the CSRF token', async () => {
    assert.equal((await page(env.viewer, '/admin/settings/admintest/')).status, 200);
    assert.equal((await page(env.viewer, '/admin/cache/')).status, 200);
    await assertDenied(env, env.user, 'GET', '/admin/settings/main/');
    await assertDenied(env, env.user, 'GET', '/admin/cache/');
    await assertDenied(env, env.viewer, 'POST', '/admin/settings/admintest/', { ...values, site: '', value_motto: 'hacked' });
    await assertDenied(env, env.viewer, 'POST', '/admin/cache/clear/');
    await assertCsrfRequired(env.admin, '/admin/settings/admintest/', { ...values, site: '', value_motto: 'hacked' });
    await assertCsrfRequired(env.admin, '/admin/cache/tag/', { tag: 'x' });
    assert.equal(await env.t.kernel.options.get('admintest', 'motto'), 'hello');
  });
});
