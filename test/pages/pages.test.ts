import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { pagesOf } from '../../core/pages/services.js';
import { newPlacement } from '../../core/pages/page-store.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootPages, PASSWORD, type PagesFixture } from './harness.js';

describeEachDb('pages', (kind) => {
  let f: PagesFixture;
  let server: RunningServer;
  let user: HttpClient;
  let admin: HttpClient;
  before(async () => {
    f = await bootPages(kind);
    server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
    user = new HttpClient(server.url);
    await user.signIn('ivan', PASSWORD);
    admin = new HttpClient(server.url);
    await admin.signIn('boss', PASSWORD);
  });
  after(async () => {
    await server.close();
    await f.close();
  });
  const store = () => pagesOf(f.kernel).store;

  it("serves a module's file page with its complex component inside the site layout", async () => {
    const res = await user.get('/board/');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<body data-template="portal">/, 'the site template s1 uses');
    assert.match(html, /<title>Forum · /);
    assert.match(html, new RegExp(`<a href="/board/${f.sections.general}/">General</a>`));
    assert.match(html, /Ideas &amp; plans/);
    assert.match(html, /<a class="skip-link" href="#content">Skip to content<\/a>/, "it.t() reads the site template's lang/en.json");
  });

  it('routes the sub-URLs of the complex component and collects the CSS/JS of their templates', async () => {
    const res = await user.get(`/board/topic/${f.topics.plans}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>Plans for 2027 · /, 'the epilog set the title');
    assert.match(html, /<link rel="stylesheet" href="\/assets\/c\/components\/board\.topic\/templates\/\.default\/style\.css\?v=/);
    assert.match(html, /<script src="\/assets\/c\/components\/board\.topic\/templates\/\.default\/script\.js\?v=[^"]+" defer><\/script>/);
    const crumbs = [...html.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(crumbs, ['/ Home', '/board/ Forum', `/board/${f.sections.ideas}/ Ideas &amp; plans`]);
    assert.match(html, /<span aria-current="page">Plans for 2027<\/span>/);
    const section = await user.get(`/board/${f.sections.general}/`);
    assert.equal(section.status, 200);
    assert.match(await section.text(), new RegExp(`href="/board/topic/${f.topics.hello}/">Hello &lt;world&gt;`));
  });

  it('answers unknown sub-URLs and bad variables with the 404 page', async () => {
    for (const path of ['/board/nope/', '/board/topic/abc/', '/board/topic/0/', '/board/topic/99999/', `/board/topic/${f.topics.hello}/x/`, '/board/-3/']) {
      const res = await user.get(path);
      assert.equal(res.status, 404, path);
      assert.match(await res.text(), /Page not found/, path);
    }
  });

  it('redirects a sub-URL without its trailing slash to the one with it, and only when a route matches', async () => {
    const res = await user.get(`/board/topic/${f.topics.hello}?from=mail`);
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), `/board/topic/${f.topics.hello}/?from=mail`);
    assert.equal((await user.get(`/board/${f.sections.general}`)).status, 301);
    for (const path of ['/board/topic/abc', '/board/nope/more']) assert.equal((await user.get(path)).status, 404, path);
  });

  it('sends visitors to sign in and refuses users without the access operation', async () => {
    const anon = await fetch(`${server.url}/board/topic/${f.topics.hello}/`, { redirect: 'manual' });
    assert.equal(anon.status, 302);
    assert.equal(anon.headers.get('location'), `/auth/login/?back=${encodeURIComponent(`/board/topic/${f.topics.hello}/`)}`);

    const page = await store().create({ siteId: 's1', path: '/staff-board/', title: 'Board', access: 'main.admin.view' });
    await store().saveDraft(page.id, { ...store().editable(page), placements: [newPlacement({ component: 'board.sections' })] });
    await store().publish(page.id);
    const denied = await user.get('/staff-board/');
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /Access denied/);
    assert.equal((await admin.get('/staff-board/')).status, 200);
    assert.equal((await fetch(`${server.url}/staff-board/`, { redirect: 'manual' })).status, 302);
  });

  it('lets a DB page override the file page on the same path', async () => {
    const page = await store().create({ siteId: 's1', path: '/board/', title: 'Forum (custom)', access: 'board.read' });
    await store().saveDraft(page.id, { ...store().editable(page), placements: [newPlacement({ component: 'board.topics', params: { sectionId: f.sections.ideas } })] });
    assert.match(await (await user.get('/board/')).text(), /<title>Forum · /, 'an unpublished DB page changes nothing');
    await store().publish(page.id);
    const html = await (await user.get('/board/')).text();
    assert.match(html, /<title>Forum \(custom\) · /);
    assert.match(html, /Plans for 2027/);
    assert.doesNotMatch(html, /board-sections/);
    assert.equal((await user.get(`/board/topic/${f.topics.hello}/`)).status, 404, 'the DB page has no complex component, so it owns no sub-URLs');
    await store().remove(page.id);
    assert.match(await (await user.get('/board/')).text(), /<title>Forum · /, 'the file page is back');
  });

  it('renders placements in order, each area in its place', async () => {
    const page = await store().create({ siteId: 's1', path: '/team/', title: 'Team' });
    const placements = [
      newPlacement({ component: 'board.topics', params: { sectionId: f.sections.general } }),
      newPlacement({ component: 'board.sections', area: 'sidebar' }),
      newPlacement({ component: 'board.topic', params: { id: f.topics.plans } }),
    ];
    await store().saveDraft(page.id, { ...store().editable(page), placements });
    await store().publish(page.id);
    const html = await (await user.get('/team/')).text();
    const order = [...html.matchAll(/data-component="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, ['board.topics', 'board.topic', 'board.sections']);
    assert.match(html, /<div class="page-columns"><div class="page-main">[\s\S]*board-topics[\s\S]*<\/div><aside class="page-sidebar">[\s\S]*board-sections[\s\S]*<\/aside>/);
  });

  it('redirects /path to /path/ when that page exists', async () => {
    const res = await fetch(`${server.url}/team?x=1`, { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/team/?x=1');
  });

  it('skips a placement with bad stored parameters: an error box for admins, nothing for others, never a 500', async () => {
    const page = await store().create({ siteId: 's1', path: '/broken/', title: 'Broken' });
    await store().saveDraft(page.id, { ...store().editable(page), placements: [newPlacement({ component: 'board.sections' })] });
    await store().publish(page.id);
    const bad = [
      newPlacement({ component: 'board.sections' }),
      { ...newPlacement({ component: 'board.topics' }), params: { limit: 'many' } },
      { ...newPlacement({ component: 'board.gone' }) },
      { ...newPlacement({ component: 'board.topic' }), template: 'missing' },
    ];
    await f.kernel.db('main').write('pages').where({ id: page.id }).update({ placements: JSON.stringify(bad) });
    await f.kernel.cache.invalidateTags('main:pages');

    const asUser = await user.get('/broken/');
    assert.equal(asUser.status, 200);
    const userHtml = await asUser.text();
    assert.match(userHtml, /board-sections/, 'the good placement still renders');
    assert.doesNotMatch(userHtml, /placement-error/);

    const asAdmin = await admin.get('/broken/');
    assert.equal(asAdmin.status, 200);
    const adminHtml = await asAdmin.text();
    const boxes = [...adminHtml.matchAll(/<div class="alert alert-error placement-error" role="alert">([\s\S]*?)<\/div>/g)].map((m) => m[1]!);
    assert.equal(boxes.length, 3);
    assert.match(boxes[0]!, /board\.topics<\/strong>: .*parameter &quot;limit&quot; must be a number/);
    assert.match(boxes[1]!, /board\.gone<\/strong>: Not found: component &quot;board\.gone&quot;/);
    assert.match(boxes[2]!, /template &quot;missing&quot;/);
  });

  it('serves template assets of components and nothing else', async () => {
    const html = await (await user.get(`/board/topic/${f.topics.hello}/`)).text();
    const cssUrl = /href="(\/assets\/c\/[^"]+style\.css[^"]*)"/.exec(html)![1]!;
    const css = await fetch(server.url + cssUrl);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await css.text(), /\.board-topic/);
    const js = await fetch(`${server.url}/assets/c/components/board.topic/templates/.default/script.js`);
    assert.equal(js.status, 200);
    for (const bad of [
      '/assets/c/components/board.topic/component.ts',
      '/assets/c/components/board.topic/templates/.default/template.eta',
      '/assets/c/components/board.topic/templates/.default/modifier.ts',
      '/assets/c/components/board.topic/templates/.default/..%2f..%2f..%2fcomponent.ts',
      '/assets/c/components/../../../package.json',
      '/assets/c/components/%2e%2e/%2e%2e/style.css',
      '/assets/c/other/board.topic/templates/.default/style.css',
      '/assets/c/templates/.hidden/x.css',
    ]) {
      const res = await fetch(server.url + bad);
      assert.equal(res.status, 404, bad);
    }
  });

  it("drops a module's file pages while the module is uninstalled", async () => {
    await f.kernel.modules.uninstall('board');
    try {
      assert.equal((await user.get('/board/')).status, 404);
    } finally {
      await f.kernel.modules.install('board');
    }
    assert.equal((await user.get('/board/')).status, 200);
  });
});
