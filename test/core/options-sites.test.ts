import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { alpha } from '../fixtures/test-modules.js';

describeEachDb('options', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, alpha] });
    await t.kernel.modules.install('alpha');
  });
  after(async () => t.close());

  it('returns the declared default, then the stored value, per site', async () => {
    const ctx = t.kernel.context('alpha');
    assert.equal(await ctx.option('greeting'), 'hello');
    await t.kernel.options.set('alpha', 'greeting', 'hi all');
    await t.kernel.options.set('alpha', 'greeting', 'hi s2', 's2');
    assert.equal(await ctx.option('greeting'), 'hi all');
    assert.equal(await ctx.option('greeting', 's2'), 'hi s2');
    assert.equal(await ctx.option('greeting', 's1'), 'hi all', 'falls back to the all-sites value');
    await t.kernel.options.reset('alpha', 'greeting');
    assert.equal(await ctx.option('greeting'), 'hello');
  });

  it('coerces and validates typed options', async () => {
    await t.kernel.options.set('main', 'directory_page_size', '50');
    assert.equal(await t.kernel.options.get('main', 'directory_page_size'), 50);
    await assert.rejects(t.kernel.options.set('main', 'directory_page_size', 'lots'), /must be a number/);
    await assert.rejects(t.kernel.options.set('main', 'nope', 1), /Not found: option "main.nope"/);
  });
});

describeEachDb('sites', (kind) => {
  let t: TestKernel;
  before(async () => (t = await bootTestKernel(kind)));
  after(async () => t.close());

  it('has a default site after install and resolves unknown hosts to it', async () => {
    const site = await t.kernel.sites.resolve('whatever.example');
    assert.equal(site.id, 's1');
    assert.equal(site.isDefault, true);
  });

  it('resolves a request to the site that lists its domain', async () => {
    await t.kernel.sites.create({ id: 'ru', name: 'Русский', domains: ['intranet.example.ru'], language: 'ru' });
    const site = await t.kernel.sites.resolve('intranet.example.ru:8080');
    assert.equal(site.id, 'ru');
    assert.equal(site.language, 'ru');
  });

  it('rejects bad site input', async () => {
    await assert.rejects(t.kernel.sites.create({ id: 'Bad Id', name: 'x' }), /site id "Bad Id"/);
    await assert.rejects(t.kernel.sites.create({ id: 'x2', name: 'x', domains: ['bad host/'] }), /is not a host name/);
    await assert.rejects(t.kernel.sites.create({ id: 's1', name: 'dup' }), /already exists/);
  });
});
