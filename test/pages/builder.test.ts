import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootPages, PASSWORD, type PagesFixture } from './harness.js';

/** The placement ids on the builder screen, in order. */
function placementIds(html: string): string[] {
  return [...html.matchAll(/id="placement-([0-9a-f]+)"/g)].map((m) => m[1]!);
}

function alertOf(html: string): string {
  const m = /role="alert">([^<]*)</.exec(html);
  assert.ok(m, 'the page shows an error with role="alert"');
  return m[1]!;
}

describeEachDb('page builder and menu editor over HTTP', (kind) => {
  let f: PagesFixture;
  let server: RunningServer;
  let admin: HttpClient;
  let user: HttpClient;
  let csrf: string;
  let pageId: number;
  before(async () => {
    f = await bootPages(kind);
    server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
    admin = new HttpClient(server.url);
    await admin.signIn('boss', PASSWORD);
    user = new HttpClient(server.url);
    await user.signIn('ivan', PASSWORD);
    csrf = HttpClient.csrfFrom(await (await admin.get('/admin/pages/')).text());
  });
  after(async () => {
    await server.close();
    await f.close();
  });

  it('lets only admins open the builder, and only with main.settings.edit change anything', async () => {
    assert.equal((await fetch(`${server.url}/admin/pages/`, { redirect: 'manual' })).status, 302);
    assert.equal((await user.get('/admin/pages/')).status, 403);
    assert.equal((await user.get('/admin/menus/')).status, 403);
    const auditors = await f.kernel.groups.create({ code: 'auditors', name: 'Auditors' });
    await f.kernel.rights.setLevel('main', auditors.id, 'A');
    await f.kernel.users.create({ login: 'audrey', email: 'audrey@example.com', password: PASSWORD, groupIds: [auditors.id] });
    const auditor = new HttpClient(server.url);
    await auditor.signIn('audrey', PASSWORD);
    const list = await auditor.get('/admin/pages/');
    assert.equal(list.status, 200);
    const html = await list.text();
    assert.doesNotMatch(html, /action="\/admin\/pages\/#add-page"/, 'no add form without the right to change');
    const token = HttpClient.csrfFrom(await (await auditor.get('/profile/password/')).text());
    const post = await auditor.post('/admin/pages/', { _csrf: token, siteId: 's1', path: '/x/', title: 'X' });
    assert.equal(post.status, 403);
    assert.equal((await admin.post('/admin/pages/', { siteId: 's1', path: '/x/', title: 'X' })).status, 403, 'CSRF token required');
  });

  it('refuses a bad page path with a readable error and keeps the values', async () => {
    const res = await admin.post('/admin/pages/', { _csrf: csrf, siteId: 's1', path: 'news', title: 'Company news', template: '', access: '' });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(alertOf(html), /must start and end with &quot;\/&quot;/);
    assert.match(html, /name="title" value="Company news"/);
    const reserved = await admin.post('/admin/pages/', { _csrf: csrf, siteId: 's1', path: '/admin/x/', title: 'X' });
    assert.equal(reserved.status, 400);
    assert.match(alertOf(await reserved.text()), /inside \/admin\//);
  });

  it('creates a page, places two components and sets their parameters', async () => {
    const created = await admin.post('/admin/pages/', { _csrf: csrf, siteId: 's1', path: '/news/', title: 'Company news', template: '', access: 'main.portal.view' });
    assert.equal(created.status, 302);
    const m = /^\/admin\/pages\/(\d+)\/\?done=created$/.exec(created.headers.get('location') ?? '');
    assert.ok(m, created.headers.get('location') ?? '');
    pageId = Number(m[1]);

    const screen = await (await admin.get(`/admin/pages/${pageId}/`)).text();
    assert.match(screen, /<option value="board\.sections">/, 'components to choose from');
    assert.match(screen, /<option value="board\.topics">/);
    for (const [component, area] of [['board.sections', 'main'], ['board.topics', 'sidebar']]) {
      const res = await admin.post(`/admin/pages/${pageId}/placements/`, { _csrf: csrf, component: component!, area: area! });
      assert.equal(res.status, 302);
    }
    const builder = await (await admin.get(`/admin/pages/${pageId}/`)).text();
    const [, topics] = placementIds(builder);
    assert.ok(topics);
    assert.match(builder, new RegExp(`name="p_sectionId" value="" placeholder="1"`), 'a field generated from the schema');
    assert.match(builder, /name="p_limit"/);

    const bad = await admin.post(`/admin/pages/${pageId}/placements/${topics}/`, { _csrf: csrf, p_sectionId: 'abc', p_limit: '5', template: '.default', area: 'sidebar' });
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(alertOf(badHtml), /^Section: must be a number, got &quot;abc&quot;$/, 'the parameter by its title, the problem in words');
    assert.match(badHtml, /name="p_sectionId" value="abc"/, 'the submitted value is kept');
    const tooMany = await admin.post(`/admin/pages/${pageId}/placements/${topics}/`, { _csrf: csrf, p_sectionId: '1', p_limit: '500', template: '.default', area: 'sidebar' });
    assert.equal(tooMany.status, 400);
    assert.match(alertOf(await tooMany.text()), /: must be at most 100$/);

    const ok = await admin.post(`/admin/pages/${pageId}/placements/${topics}/`, { _csrf: csrf, p_sectionId: String(f.sections.ideas), p_limit: '5', template: '.default', area: 'sidebar' });
    assert.equal(ok.status, 302);
  });

  it('previews the draft for admins; users see the page only after publishing', async () => {
    assert.equal((await user.get('/news/')).status, 404, 'not published yet');
    const preview = await admin.get(`/admin/pages/${pageId}/preview/`);
    assert.equal(preview.status, 200);
    const html = await preview.text();
    assert.match(html, /class="alert preview-banner" role="status"/);
    assert.match(html, /board-sections/);
    assert.match(html, /Plans for 2027/, 'topics of the section set in the parameters');
    assert.equal((await user.get(`/admin/pages/${pageId}/preview/`)).status, 403);

    assert.equal((await admin.post(`/admin/pages/${pageId}/publish/`, { _csrf: csrf })).status, 302);
    const seen = await user.get('/news/');
    assert.equal(seen.status, 200);
    const page = await seen.text();
    assert.match(page, /<title>Company news · /);
    assert.match(page, /<div class="page-main">[\s\S]*board-sections[\s\S]*<aside class="page-sidebar">[\s\S]*Plans for 2027/);
  });

  it('reorders and removes placements in the draft without touching the live page', async () => {
    const [sections, topics] = placementIds(await (await admin.get(`/admin/pages/${pageId}/`)).text());
    await admin.post(`/admin/pages/${pageId}/placements/${topics}/`, { _csrf: csrf, p_sectionId: String(f.sections.ideas), template: '.default', area: 'main' });
    assert.equal((await admin.post(`/admin/pages/${pageId}/placements/${topics}/move/`, { _csrf: csrf, dir: 'up' })).status, 302);
    assert.deepEqual(placementIds(await (await admin.get(`/admin/pages/${pageId}/`)).text()), [topics, sections]);
    const order = (html: string) => [...html.matchAll(/data-component="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order(await (await admin.get(`/admin/pages/${pageId}/preview/`)).text()), ['board.topics', 'board.sections']);
    assert.deepEqual(order(await (await user.get('/news/')).text()), ['board.sections', 'board.topics'], 'live page unchanged');

    assert.equal((await admin.post(`/admin/pages/${pageId}/placements/${sections}/delete/`, { _csrf: csrf })).status, 302);
    assert.deepEqual(placementIds(await (await admin.get(`/admin/pages/${pageId}/`)).text()), [topics]);
    assert.equal((await admin.post(`/admin/pages/${pageId}/discard/`, { _csrf: csrf })).status, 302);
    assert.deepEqual(placementIds(await (await admin.get(`/admin/pages/${pageId}/`)).text()), [sections, topics], 'back to the published version');
    assert.equal((await admin.post(`/admin/pages/${pageId}/placements/nope/delete/`, { _csrf: csrf })).status, 404);
    assert.equal((await admin.get('/admin/pages/abc/')).status, 404);
  });

  it('edits menus: a bad link is refused readably, a good item shows in the layout', async () => {
    const screen = await admin.get('/admin/menus/?site=*&menu=top');
    assert.equal(screen.status, 200);
    assert.match(await screen.text(), /value="Company"/);
    const bad = await admin.post('/admin/menus/items/', { _csrf: csrf, site: '*', menu: 'top', labelEn: 'News', labelRu: 'Новости', href: 'javascript:alert(1)', sort: '15', operation: '', parentId: '', active: '1' });
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(alertOf(badHtml), /must be a path starting with/);
    assert.match(badHtml, /id="new-ru" name="labelRu" value="Новости"/);
    const ok = await admin.post('/admin/menus/items/', { _csrf: csrf, site: '*', menu: 'top', labelEn: 'News', labelRu: 'Новости', href: '/news/', sort: '15', operation: 'main.portal.view', parentId: '', active: '1' });
    assert.equal(ok.status, 302);
    const html = await (await user.get('/news/')).text();
    assert.match(html, /<a href="\/news\/" aria-current="page">News<\/a>/);

    const item = (await f.kernel.db('main').read('menu_items').where({ href: '/news/' }).first()) as { id: number };
    const hide = await admin.post(`/admin/menus/items/${item.id}/`, { _csrf: csrf, labelEn: 'News', labelRu: 'Новости', href: '/news/', sort: '15', operation: 'main.admin.view', parentId: '', active: '1' });
    assert.equal(hide.status, 302);
    assert.doesNotMatch(await (await user.get('/news/')).text(), />News<\/a>/, 'now only for admins');
    assert.equal((await admin.post(`/admin/menus/items/${item.id}/delete/`, { _csrf: csrf })).status, 302);
    assert.equal(await f.kernel.db('main').read('menu_items').where({ id: item.id }).first(), undefined);

    const copy = await admin.post('/admin/menus/copy/', { _csrf: csrf, site: 's1', menu: 'left' });
    assert.equal(copy.status, 302);
    assert.match(await (await admin.get('/admin/menus/?site=s1&menu=left')).text(), /value="Employee directory"/);
  });

  it('edits site template rules: a missing template is refused, a good rule takes effect', async () => {
    assert.equal((await admin.get('/admin/pages/templates/')).status, 200);
    const bad = await admin.post('/admin/pages/templates/', { _csrf: csrf, siteId: '*', kind: 'path_prefix', value: 'news', template: 'board-theme', sort: '10', active: '1' });
    assert.equal(bad.status, 400);
    assert.match(alertOf(await bad.text()), /must start with &quot;\/&quot;/);
    const ok = await admin.post('/admin/pages/templates/', { _csrf: csrf, siteId: '*', kind: 'path_prefix', value: '/news/', template: 'board-theme', sort: '10', active: '1' });
    assert.equal(ok.status, 302);
    assert.match(await (await user.get('/news/')).text(), /<body data-template="board-theme"/);
  });
});
