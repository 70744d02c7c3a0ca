import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { PASSWORD, seedCompany } from './fixtures.js';

const PAGES = ['/', '/profile/', '/company/', '/company/departments/', '/profile/password/'];

/** No inline scripts or styles (the CSP allows 'self' only) and nothing from other origins. */
function assertCspClean(html: string, where: string): void {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${where}: inline <script>`);
  assert.doesNotMatch(html, /<style[\s>]/i, `${where}: <style> block`);
  assert.doesNotMatch(html, /\sstyle="/i, `${where}: style attribute`);
  assert.doesNotMatch(html, /\son[a-z]+="/i, `${where}: inline event handler`);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\/(?!127\.0\.0\.1)/i, `${where}: external resource`);
}

describeEachDb('site templates', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let c: HttpClient;

  before(async () => {
    t = await bootTestKernel(kind);
    await seedCompany(t.kernel);
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    c = new HttpClient(server.url);
    await c.signIn('ivan', PASSWORD);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('renders the .default template by default: header, top menu, search, user, footer', async () => {
    assert.equal((await t.kernel.sites.get('s1')).template, '.default');
    const html = await (await c.get('/company/')).text();
    assert.match(html, /<body class="tpl-default">/);
    assert.match(html, /<link rel="stylesheet" href="\/assets\/templates\/\.default\/style\.css">/);
    assert.doesNotMatch(html, /templates\/intranet\/style\.css/);
    assert.match(html, /<header class="site-header">/);
    assert.match(html, /<nav class="topnav"/);
    assert.match(html, /<form class="header-search" method="get" action="\/company\/" role="search">/);
    assert.match(html, /<a class="skip-link" href="#content">/);
    assert.match(html, /<main id="content"/);
    assert.match(html, /<nav class="breadcrumbs"/);
    assert.match(html, /<footer class="site-footer">/);
    assert.match(html, /<form method="post" action="\/auth\/logout\/">\s*<input type="hidden" name="_csrf"/);
    const home = await (await c.get('/')).text();
    assert.match(home, /class="person-list users-new"/, 'the component\'s own template');
    assert.doesNotMatch(home, /intranet-newcomers/);
  });

  it('renders the intranet theme when the site uses it, with its component template override', async () => {
    await t.kernel.sites.update('s1', { template: 'intranet' });
    try {
      const home = await c.get('/');
      assert.equal(home.status, 200);
      const html = await home.text();
      assert.match(html, /<body class="tpl-intranet has-shell">/);
      assert.match(html, /href="\/assets\/templates\/\.default\/style\.css">[\s\S]*href="\/assets\/templates\/intranet\/style\.css">/, 'base stylesheet, then the theme');
      assert.match(html, /<aside class="shell-sidebar"/);
      assert.match(html, /Your company, in one place/, 'string from templates/intranet/lang/en.json');
      assert.match(html, /placeholder="Search people, e.g. Ivan"/, 'the theme overrides a main message');
      assert.match(html, /<ul class="intranet-newcomers">/, 'templates/intranet/components/main.users.new/.default wins');
      assert.doesNotMatch(html, /class="person-list users-new"/);
      assert.match(html, /class="person-list birthdays"|No birthdays/, 'components without an override keep their own template');

      const login = await (await fetch(`${server.url}/auth/login/`)).text();
      assert.match(login, /<body class="tpl-intranet is-bare">/, 'signed-out pages have no navigation column');
      assert.doesNotMatch(login, /shell-sidebar/);
    } finally {
      await t.kernel.sites.update('s1', { template: '.default' });
    }
  });

  it('uses the site language for the theme strings', async () => {
    await t.kernel.sites.update('s1', { template: 'intranet', language: 'ru' });
    try {
      const html = await (await fetch(`${server.url}/auth/login/`)).text();
      assert.match(html, /<html lang="ru">/);
      assert.match(html, /Вся компания в одном месте/);
    } finally {
      await t.kernel.sites.update('s1', { template: '.default', language: 'en' });
    }
  });

  it('serves both stylesheets as CSS with nosniff', async () => {
    for (const name of ['.default', 'intranet']) {
      const res = await fetch(`${server.url}/assets/templates/${name}/style.css`);
      assert.equal(res.status, 200, name);
      assert.match(res.headers.get('content-type') ?? '', /^text\/css/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const css = await res.text();
      assert.match(css, /--color-primary:/, `${name} sets the design tokens`);
      assert.doesNotMatch(css, /@import|url\(\s*['"]?(https?:)?\/\//, `${name} loads nothing from elsewhere`);
    }
    const base = await (await fetch(`${server.url}/assets/templates/.default/style.css`)).text();
    for (const cls of ['.card', '.btn', '.btn-secondary', '.alert-error', '.alert-ok', 'table', '.badge', '.empty', '.empty-state', '.pagination', '.breadcrumbs', '.avatar', '.topnav', '.leftnav', '.grid', '.form-grid', '.page-columns', '@media']) {
      assert.ok(base.includes(cls), `design system has ${cls}`);
    }
  });

  it('keeps every screen free of inline scripts, styles and external resources in both themes', async () => {
    for (const template of ['.default', 'intranet']) {
      await t.kernel.sites.update('s1', { template });
      for (const p of PAGES) {
        const res = await c.get(p);
        assert.equal(res.status, 200, `${template} ${p}`);
        assertCspClean(await res.text(), `${template} ${p}`);
      }
      assertCspClean(await (await fetch(`${server.url}/auth/login/`)).text(), `${template} login`);
    }
    await t.kernel.sites.update('s1', { template: '.default' });
  });
});

describe('site template files', () => {
  for (const name of ['.default', 'intranet']) {
    it(`${name}: layout, stylesheet, template.json and language strings in both languages`, () => {
      const dir = path.join(projectRoot, 'templates', name);
      assert.ok(existsSync(path.join(dir, 'layout.eta')));
      assert.ok(existsSync(path.join(dir, 'assets', 'style.css')));
      const meta = JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8')) as { name: Record<string, string>; description: Record<string, string> };
      assert.ok(meta.name.en && meta.name.ru && meta.description.en && meta.description.ru);
      const en = JSON.parse(readFileSync(path.join(dir, 'lang', 'en.json'), 'utf8')) as Record<string, string>;
      const ru = JSON.parse(readFileSync(path.join(dir, 'lang', 'ru.json'), 'utf8')) as Record<string, string>;
      assert.deepEqual(Object.keys(ru).sort(), Object.keys(en).sort(), 'same keys in en and ru');
    });
  }
});
