import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { adminKit } from '../../core/http/admin-kit.js';
import { validateDefinition } from '../../core/modules/discover.js';
import { defineModule, type ModuleDefinition } from '../../core/modules/types.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { page, startAdminEnv, type AdminEnv } from './harness.js';

/** A module with two admin menu entries (one behind its own operation) and a screen in the admin frame. */
const menuModule: ModuleDefinition = defineModule({
  id: 'menutest',
  version: '1.0.0',
  title: { en: 'Menu test', ru: 'Тест меню' },
  dependencies: { main: '^0.1.0' },
  rights: {
    levels: { D: { title: { en: 'Denied', ru: 'Закрыто' }, operations: [] }, R: { title: { en: 'Read', ru: 'Чтение' }, operations: ['menutest.read'] } },
    defaultLevel: 'D',
    operations: { 'menutest.read': { en: 'Read', ru: 'Чтение' } },
  },
  admin: {
    menu: [
      { href: '/admin/menutest/', title: { en: 'Menu test screen', ru: 'Экран теста' }, section: 'content', operation: 'menutest.read' },
      { href: '/admin/menutest/log/', title: { en: 'Menu test log', ru: 'Журнал теста' }, section: 'system' },
    ],
  },
  lang: { en: { MT_HELLO: 'Hello from the module' }, ru: { MT_HELLO: 'Привет от модуля' } },
  routes(router, ctx) {
    const kit = adminKit(ctx.kernel, 'menutest');
    router.get('/admin/menutest/', kit.view, (c) =>
      kit.render(c, '@admin/confirm', kit.t(c, 'MT_HELLO'), { heading: kit.t(c, 'MT_HELLO'), message: kit.t(c, 'ADM_SAVE'), action: '/admin/menutest/', button: 'Go', cancel: '/admin/' }),
    );
  },
});

describeEachDb('admin menu from module manifests', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind, { definitions: [mainModule, menuModule] });
  });
  after(async () => env.close());

  it('shows no entry and no screen while the module is not installed', async () => {
    const { html } = await page(env.admin, '/admin/');
    assert.doesNotMatch(html, /\/admin\/menutest\//);
    assert.equal((await page(env.admin, '/admin/menutest/')).status, 404);
  });

  it('adds the entries to their sections once installed, and renders the module\'s screen in the same frame', async () => {
    await env.t.kernel.modules.install('menutest');
    const { html } = await page(env.admin, '/admin/');
    const section = (title: string) => new RegExp(`${title}</div>\\s*<ul>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '';
    assert.match(section('Content'), /<a href="\/admin\/pages\/">Pages<\/a>[\s\S]*<a href="\/admin\/menutest\/">Menu test screen<\/a>/, 'after main\'s own entries');
    assert.match(section('System'), /<a href="\/admin\/menutest\/log\/">Menu test log<\/a>/);
    const screen = await page(env.admin, '/admin/menutest/');
    assert.equal(screen.status, 200);
    assert.match(screen.html, /<nav class="leftnav admin-nav" aria-label="Admin menu">/);
    assert.match(screen.html, /<a href="\/admin\/menutest\/" aria-current="page">Menu test screen<\/a>/);
    assert.match(screen.html, /<h1>Hello from the module<\/h1>/, 'the module\'s own message');
    assert.match(screen.html, /<p>Save<\/p>/, 'main\'s admin words are there for every module');
  });

  it('shows an entry with an operation only to users who have it', async () => {
    const viewer = await page(env.viewer, '/admin/');
    assert.doesNotMatch(viewer.html, /href="\/admin\/menutest\/"/);
    assert.match(viewer.html, /href="\/admin\/menutest\/log\/"/, 'an entry without an operation is for everyone in the admin area');
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    await env.t.kernel.rights.setLevel('menutest', viewers.id, 'R');
    assert.match((await page(env.viewer, '/admin/')).html, /href="\/admin\/menutest\/"/);
  });

  it('drops the entries again when the module is uninstalled', async () => {
    await env.t.kernel.modules.uninstall('menutest');
    const { html } = await page(env.admin, '/admin/');
    assert.doesNotMatch(html, /menutest/);
  });

  it('rejects malformed entries when the manifest is loaded', () => {
    const bad = (entry: object) => ({ ...menuModule, admin: { menu: [entry] } }) as ModuleDefinition;
    const ok = { href: '/admin/x/', title: { en: 'X', ru: 'Х' }, section: 'content' };
    assert.throws(() => validateDefinition(bad({ ...ok, href: 'https://evil.example/' })), /href "https:\/\/evil.example\/" must be an \/admin\/ path/);
    assert.throws(() => validateDefinition(bad({ ...ok, href: '/admin/x' })), /ending in "\/"/);
    assert.throws(() => validateDefinition(bad({ ...ok, section: 'games' })), /section "games" is not one of overview, content, people, system/);
    assert.throws(() => validateDefinition(bad({ ...ok, title: { en: 'X' } })), /title needs en and ru/);
    assert.throws(() => validateDefinition(bad({ ...ok, operation: 'no dots' })), /operation "no dots"/);
    assert.doesNotThrow(() => validateDefinition(bad(ok)));
  });
});
