import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { pagesOf } from '../../core/pages/services.js';
import { markActive } from '../../core/menus/active.js';
import type { MenuItem } from '../../core/menus/types.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootPages, PASSWORD, type PagesFixture } from './harness.js';

describe('menu active state', () => {
  const items: MenuItem[] = [
    { href: '/', label: 'Home', active: false },
    { href: '/company/', label: 'Company', active: false, children: [{ href: '/company/structure/', label: 'Structure', active: false }] },
    { href: '/company/structure/', label: 'Structure (shortcut)', active: false },
    { href: 'https://example.com/', label: 'Out', active: false },
  ];
  const active = (path: string) => markActive(items, path).flatMap((i) => [i, ...(i.children ?? [])]).filter((i) => i.active).map((i) => i.label);

  it('marks home only on "/", and the longest matching prefix elsewhere', () => {
    assert.deepEqual(active('/'), ['Home']);
    assert.deepEqual(active('/company/'), ['Company']);
    assert.deepEqual(active('/company/people/5/'), ['Company']);
    assert.deepEqual(active('/elsewhere/'), []);
  });

  it('makes a parent active with its child, and only one sibling wins', () => {
    assert.deepEqual(active('/company/structure/x/'), ['Company', 'Structure']);
  });
});

describeEachDb('menus', (kind) => {
  let f: PagesFixture;
  let server: RunningServer;
  before(async () => {
    f = await bootPages(kind);
    server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await f.close();
  });
  const menus = () => pagesOf(f.kernel).menus;
  const labels = (items: MenuItem[]) => items.map((i) => i.label);

  it('installs default top and left menus and hides items the user may not see', async () => {
    const forAdmin = await menus().forLayout({ siteId: 's1', path: '/', language: 'en', principal: await f.kernel.users.principalOf(f.admin) });
    assert.deepEqual(labels(forAdmin.top), ['Home', 'Company', 'My profile', 'Administration']);
    assert.deepEqual(labels(forAdmin.left), ['Home', 'Employee directory', 'My profile']);
    const forUser = await menus().forLayout({ siteId: 's1', path: '/', language: 'ru', principal: await f.kernel.users.principalOf(f.user) });
    assert.deepEqual(labels(forUser.top), ['Главная', 'Компания', 'Мой профиль'], 'no admin link, Russian labels');
    const forVisitor = await menus().forLayout({ siteId: 's1', path: '/', language: 'en', principal: await f.kernel.users.principalOf(null) });
    assert.deepEqual(forVisitor.top, [], 'every default item needs an operation');
  });

  it('keeps children one level deep and marks the active trail', async () => {
    const company = (await menus().stored('*', 'top')).find((i) => i.href === '/company/')!;
    const child = await menus().create({ siteId: '*', menu: 'top', parentId: company.id, label: { en: 'Structure', ru: 'Структура' }, href: '/company/structure/', operation: 'main.users.view' });
    await assert.rejects(
      menus().create({ siteId: '*', menu: 'top', parentId: child.id, label: { en: 'Deeper', ru: '' }, href: '/x/' }),
      (err: { code: string; message: string }) => err.code === 'MENU_ITEM_INVALID' && /one level deep/.test(err.message),
    );
    const top = await menus().forRequest({ siteId: 's1', menu: 'top', path: '/company/structure/', language: 'en', principal: await f.kernel.users.principalOf(f.user) });
    const item = top.find((i) => i.label === 'Company')!;
    assert.equal(item.active, true);
    assert.deepEqual(item.children, [{ href: '/company/structure/', label: 'Structure', active: true }]);
    assert.deepEqual(top.filter((i) => i.active).length, 1);
    await menus().remove(company.id === child.parentId ? child.id : -1);
  });

  it('refuses unsafe links, unknown operations and missing labels', async () => {
    const base = { siteId: '*', menu: 'top' as const, label: { en: 'X', ru: 'X' }, href: '/x/' };
    for (const [input, message] of [
      [{ ...base, href: 'javascript:alert(1)' }, /must be a path starting with/],
      [{ ...base, href: '//evil.example/' }, /must be a path starting with/],
      [{ ...base, operation: 'main.nope' }, /no operation "main\.nope"/],
      [{ ...base, label: { en: ' ', ru: '' } }, /needs a label/],
      [{ ...base, menu: 'bottom' as never }, /menu must be one of top, left/],
    ] as const) {
      await assert.rejects(menus().create(input), (err: { code: string; message: string; status: number }) => {
        assert.equal(err.code, 'MENU_ITEM_INVALID');
        assert.equal(err.status, 400);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  it('gives a site its own menu while other sites keep the defaults', async () => {
    await f.kernel.sites.create({ id: 's2', name: 'Second', domains: ['second.test'] });
    assert.equal(await menus().copyDefaults('s1', 'left'), 3);
    const own = await menus().stored('s1', 'left');
    await menus().update(own[0]!.id, { label: { en: 'Start', ru: 'Старт' }, href: '/', sort: 10, operation: null });
    const principal = await f.kernel.users.principalOf(f.user);
    assert.deepEqual(labels(await menus().forRequest({ siteId: 's1', menu: 'left', path: '/', language: 'en', principal })), ['Start', 'Employee directory', 'My profile']);
    assert.deepEqual(labels(await menus().forRequest({ siteId: 's2', menu: 'left', path: '/', language: 'en', principal })), ['Home', 'Employee directory', 'My profile']);
    const visitor = await menus().forRequest({ siteId: 's1', menu: 'left', path: '/', language: 'en', principal: await f.kernel.users.principalOf(null) });
    assert.deepEqual(labels(visitor), ['Start'], 'an item without an operation is public');
  });

  it('feeds menus, breadcrumbs and isAdmin to the layout', async () => {
    await menus().create({ siteId: '*', menu: 'top', label: { en: 'Forum', ru: 'Форум' }, href: '/board/', sort: 25, operation: 'board.read' });
    const user = new HttpClient(server.url);
    await user.signIn('ivan', PASSWORD);
    const html = await (await user.get(`/board/${f.sections.general}/`)).text();
    const nav = /<nav class="topnav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)![1]!;
    assert.deepEqual([...nav.matchAll(/>([^<]+)<\/a>/g)].map((m) => m[1]), ['Home', 'Company', 'Forum', 'My profile']);
    assert.match(nav, /<a href="\/board\/" aria-current="page">Forum<\/a>/);
    assert.doesNotMatch(html, /class="admin-link"/);
    const crumbs = /<nav class="breadcrumbs"[^>]*>([\s\S]*?)<\/nav>/.exec(html)![1]!;
    assert.deepEqual([...crumbs.matchAll(/<(?:a href="[^"]+"|span aria-current="page")>([^<]+)</g)].map((m) => m[1]), ['Home', 'Forum', 'General']);

    const admin = new HttpClient(server.url);
    await admin.signIn('boss', PASSWORD);
    const adminHtml = await (await admin.get('/board/')).text();
    assert.match(adminHtml, /class="admin-link"/);
    assert.match(adminHtml, />Administration<\/a>/);
  });
});
