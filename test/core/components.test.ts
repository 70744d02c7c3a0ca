import assert from 'node:assert/strict';
import path from 'node:path';
import mainModule from '../../modules/main/module.js';
import { projectRoot } from '../../core/config/paths.js';
import type { PortalState } from '../../core/http/state.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { alpha } from '../fixtures/test-modules.js';
import notes, * as notesModule from '../fixtures/alpha-notes-component.js';

const fixtureRoots = {
  templates: path.join(projectRoot, 'test/fixtures/site/templates'),
  components: path.join(projectRoot, 'test/fixtures/site/components'),
};

describeEachDb('components', (kind) => {
  let t: TestKernel;
  let state: PortalState;
  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, alpha], components: [notes], templateRoots: fixtureRoots });
    await t.kernel.modules.install('alpha');
    await t.kernel.api('alpha').add('<b>first</b>');
    await t.kernel.api('alpha').add('second');
    const site = await t.kernel.sites.resolve('localhost');
    state = { site, language: 'en', user: null, session: null, principal: await t.kernel.users.principalOf(null), auth: 'anonymous', csrfToken: '', requestId: 'r' };
  });
  after(async () => t.close());

  it('renders with defaults and escapes output', async () => {
    const html = await t.kernel.components.render(state, 'alpha.notes');
    assert.match(html, /<h3>Notes<\/h3>/);
    assert.match(html, /&lt;b&gt;first&lt;\/b&gt;/, 'escaped by default');
    assert.doesNotMatch(html, /<b>first/);
  });

  it('validates parameters and names the bad one', async () => {
    await assert.rejects(t.kernel.components.render(state, 'alpha.notes', { limit: 'many' }), /parameter "limit" must be a number/);
    await assert.rejects(t.kernel.components.render(state, 'alpha.notes', { limit: 50 }), /at most 10/);
    await assert.rejects(t.kernel.components.render(state, 'alpha.notes', { color: 'red' }), /unknown parameter "color"/);
  });

  it('looks templates up: site template, then .default, then the component', async () => {
    const own = await t.kernel.components.render(state, 'alpha.notes', { limit: 5 });
    assert.match(own, /class="notes"/);
    const compact = await t.kernel.components.render(state, 'alpha.notes', { limit: 5 }, 'compact');
    assert.match(compact, /class="notes-compact"/, 'from templates/.default');
    const themed = await t.kernel.components.render({ ...state, site: { ...state.site, template: 'intranet' } }, 'alpha.notes', { limit: 5 });
    assert.match(themed, /class="intranet-notes"/, 'site template override wins');
    await assert.rejects(t.kernel.components.render(state, 'alpha.notes', {}, 'nope'), /template "nope"/);
    await assert.rejects(t.kernel.components.render(state, 'alpha.notes', {}, '../../etc'), /not valid/);
  });

  it('caches the result and drops it when its tag is invalidated', async () => {
    const before = notesModule.prepareCalls;
    await t.kernel.components.render(state, 'alpha.notes', { limit: 2 });
    await t.kernel.components.render(state, 'alpha.notes', { limit: 2 });
    assert.equal(notesModule.prepareCalls - before, 1, 'second render is a cache hit');
    await t.kernel.api('alpha').add('third');
    await t.kernel.cache.invalidateTags('alpha:notes');
    const html = await t.kernel.components.render(state, 'alpha.notes', { limit: 3 });
    assert.match(html, /third/);
  });

  it('hides components of modules that are not installed', async () => {
    await t.kernel.modules.uninstall('alpha');
    assert.equal(t.kernel.components.list().length, 0);
    await assert.rejects(t.kernel.components.render(state, 'alpha.notes'), /Not found: component "alpha.notes"/);
    await t.kernel.modules.install('alpha');
  });
});
