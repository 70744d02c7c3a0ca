import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listSiteTemplates } from '../../modules/main/routes/admin/site-templates.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { alertText, assertCsrfRequired, assertDenied, page, startAdminEnv, submit, type AdminEnv } from './harness.js';

describeEachDb('admin sites and site templates', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  const newSite = { id: 'extranet', name: 'Extranet', domains: 'extranet.example.com\npartners.example.com', language: 'ru', dir: '/', template: '.default' };

  it('lists the sites', async () => {
    const { status, html } = await page(env.admin, '/admin/sites/');
    assert.equal(status, 200);
    assert.match(html, /<code>s1<\/code>/);
    assert.match(html, /badge-ok">Default</);
  });

  it('adds a site with domains, language and template', async () => {
    const form = await page(env.admin, '/admin/sites/new/');
    assert.equal(form.status, 200);
    assert.match(form.html, /<option value="\.default"/, 'templates with a layout are offered');
    const res = await submit(env.admin, '/admin/sites/new/', newSite);
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/sites/extranet/?done=created');
    const site = await env.t.kernel.sites.get('extranet');
    assert.deepEqual(site.domains, ['extranet.example.com', 'partners.example.com']);
    assert.equal(site.language, 'ru');
    assert.equal(site.isDefault, false);
  });

  it('edits a site', async () => {
    const form = await page(env.admin, '/admin/sites/extranet/');
    assert.equal(form.status, 200);
    assert.match(form.html, /partners\.example\.com/);
    const res = await submit(env.admin, '/admin/sites/extranet/', { ...newSite, name: 'Partners', domains: 'partners.example.com', dir: '/partners/' });
    assert.equal(res.status, 302);
    const site = await env.t.kernel.sites.get('extranet');
    assert.equal(site.name, 'Partners');
    assert.equal(site.dir, '/partners/');
    assert.deepEqual(site.domains, ['partners.example.com']);
  });

  it('re-renders invalid input with a readable 400 and the values kept', async () => {
    const badHost = await submit(env.admin, '/admin/sites/new/', { ...newSite, id: 'other', name: 'Other site', domains: 'bad host!' });
    assert.equal(badHost.status, 400);
    assert.match(alertText(badHost.html), /is not a host name/);
    assert.match(badHost.html, /name="name" value="Other site"/);
    const badTemplate = await submit(env.admin, '/admin/sites/new/', { ...newSite, id: 'other', template: '../../etc' });
    assert.equal(badTemplate.status, 400);
    assert.match(alertText(badTemplate.html), /no site template/);
    const taken = await submit(env.admin, '/admin/sites/new/', newSite);
    assert.equal(taken.status, 409);
    assert.match(alertText(taken.html), /already exists/);
    await assert.rejects(env.t.kernel.sites.get('other'));
    assert.equal((await page(env.admin, '/admin/sites/NOPE!/')).status, 404);
    assert.equal((await page(env.admin, '/admin/sites/nosuch/')).status, 404);
  });

  it('lists site templates with names from template.json and chooses one per site', async () => {
    const { status, html } = await page(env.admin, '/admin/templates/');
    assert.equal(status, 200);
    assert.match(html, /<code>\.default<\/code>/);
    assert.match(html, /name="site_extranet"/);
    const rules = /href="([^"]+)">Template conditions/.exec(html)?.[1];
    if (rules) assert.equal((await page(env.admin, rules)).status, 200, 'the linked conditions screen exists');
    const withLayout = [...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(withLayout.includes('.default'));
    const other = withLayout.find((id) => id !== '.default');
    const choice = other ?? '.default';
    const res = await submit(env.admin, '/admin/templates/', { site_s1: '.default', site_extranet: choice });
    assert.equal(res.status, 302);
    assert.equal((await env.t.kernel.sites.get('extranet')).template, choice);
    const bad = await submit(env.admin, '/admin/templates/', { site_s1: '.default', site_extranet: 'no-such-template' });
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /no-such-template/);
    assert.equal((await env.t.kernel.sites.get('extranet')).template, choice, 'nothing changed');
  });

  it('needs main.settings.edit to change and the CSRF token', async () => {
    assert.equal((await page(env.viewer, '/admin/sites/')).status, 200);
    assert.equal((await page(env.viewer, '/admin/templates/')).status, 200);
    await assertDenied(env, env.user, 'GET', '/admin/sites/');
    await assertDenied(env, env.user, 'GET', '/admin/templates/');
    await assertDenied(env, env.viewer, 'POST', '/admin/sites/extranet/', { ...newSite, name: 'Hacked' });
    await assertDenied(env, env.viewer, 'POST', '/admin/templates/', { site_extranet: '.default' });
    await assertCsrfRequired(env.admin, '/admin/sites/extranet/', { ...newSite, name: 'Hacked' });
    assert.equal((await env.t.kernel.sites.get('extranet')).name, 'Partners');
  });
});

describe('site template listing', () => {
  it('reads names and descriptions from template.json and marks folders without a layout', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'admin-templates-'));
    try {
      mkdirSync(path.join(root, '.default'));
      writeFileSync(path.join(root, '.default', 'layout.eta'), '<%~ it.body %>');
      mkdirSync(path.join(root, 'corp'));
      writeFileSync(path.join(root, 'corp', 'layout.eta'), '<%~ it.body %>');
      writeFileSync(path.join(root, 'corp', 'template.json'), JSON.stringify({ name: { en: 'Corporate', ru: 'Корпоративный' }, description: { en: 'Blue' } }));
      mkdirSync(path.join(root, 'broken'));
      writeFileSync(path.join(root, 'broken', 'template.json'), '{not json');
      const en = listSiteTemplates('en', root);
      assert.deepEqual(en.map((t) => t.id), ['.default', 'broken', 'corp'], '.default first');
      assert.deepEqual(en.find((t) => t.id === 'corp'), { id: 'corp', name: 'Corporate', description: 'Blue', hasLayout: true });
      assert.deepEqual(en.find((t) => t.id === 'broken'), { id: 'broken', name: 'broken', description: '', hasLayout: false });
      const ru = listSiteTemplates('ru', root).find((t) => t.id === 'corp')!;
      assert.equal(ru.name, 'Корпоративный');
      assert.equal(ru.description, 'Blue', 'falls back to English');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
