import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { registerPage } from '../../core/pages/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { setPublicAccess } from '../../modules/main/public-access.js';
import { admin } from './fixture.js';
import { bootComponents, listedNames, PASSWORD, type ComponentsFixture } from './components-fixture.js';

const titleOf = (html: string) => /<title>([^<]*) · /.exec(html)?.[1];
const crumbsOf = (html: string) => [.../<nav class="breadcrumbs"[\s\S]*?<\/nav>/.exec(html)?.[0].matchAll(/<(?:a href="[^"]*"|span aria-current="page")>([^<]*)</g) ?? []].map((m) => m[1]);

describeEachDb('infoblocks components on pages: catalog SEF URLs, request input, page cache', (kind) => {
  let f: ComponentsFixture;
  let server: RunningServer;
  let ivan: HttpClient;
  let olga: HttpClient;
  const off: (() => void)[] = [];

  before(async () => {
    f = await bootComponents(kind);
    const k = f.t.kernel;
    off.push(
      registerPage(k, {
        path: '/news/',
        title: 'News',
        access: 'main.portal.view',
        placements: [{ component: 'infoblocks.catalog', params: { iblock: 'news', pageSize: 5, filterName: 'nf', sectionCounts: true, listProperties: 'SOURCE' } }],
      }),
      registerPage(k, { path: '/hr/', title: 'HR', access: 'main.portal.view', placements: [{ component: 'infoblocks.catalog', params: { iblock: 'hr' } }] }),
      registerPage(k, {
        path: '/open-news/',
        title: 'Open news',
        placements: [
          { component: 'infoblocks.filter', params: { iblock: 'news', filterName: 'of', properties: 'SOURCE' } },
          { component: 'infoblocks.list', params: { iblock: 'news', pageSize: 4, filterName: 'of' } },
        ],
      }),
    );
    server = await startServer(k, { host: '127.0.0.1', port: 0 });
    ivan = new HttpClient(server.url);
    assert.equal((await ivan.signIn('ivan', PASSWORD)).status, 302);
    olga = new HttpClient(server.url);
    assert.equal((await olga.signIn('olga', PASSWORD)).status, 302);
  });
  after(async () => {
    off.forEach((remove) => remove());
    await server?.close();
    await f?.t.close();
  });

  const get = async (client: HttpClient, path: string) => {
    const res = await client.get(path);
    return { status: res.status, html: await res.text(), cache: res.headers.get('x-page-cache') };
  };

  it('serves the catalog list with the sections menu, the filter form and element links', async () => {
    const { status, html } = await get(ivan, '/news/');
    assert.equal(status, 200);
    assert.equal(titleOf(html), 'News');
    assert.match(html, /<nav class="ib-menu"[\s\S]*<a href="\/news\/section\/company\/">Company <span class="ib-count">14<\/span><\/a>/);
    assert.match(html, /<form method="get" class="ib-filter-form">[\s\S]*name="nf\.PROPERTY_SOURCE"/);
    assert.deepEqual(listedNames(html), ['News 1', 'News 2', 'Report &lt;b&gt;3&lt;/b&gt; &amp; more', 'News 4', 'News 5']);
    assert.match(html, /<a href="\/news\/news-1\/">News 1<\/a>/);
    assert.match(html, /<dt>Source<\/dt><dd>Internal<\/dd>/);
  });

  it('routes section URLs by code path or id, with the section as title and its parents as crumbs', async () => {
    const company = await get(ivan, '/news/section/company/');
    assert.equal(company.status, 200);
    assert.equal(titleOf(company.html), 'Company');
    assert.deepEqual(listedNames(company.html), ['News 1', 'Report &lt;b&gt;3&lt;/b&gt; &amp; more', 'News 5', 'News 7', 'News 9']);
    assert.match(company.html, /<a href="\/news\/section\/company\/" aria-current="page">Company/);
    const events = await get(ivan, '/news/section/company/events/');
    assert.equal(titleOf(events.html), 'Events');
    assert.deepEqual(crumbsOf(events.html), ['Home', 'News', 'Company', 'Events']);
    assert.deepEqual(listedNames(events.html), ['News 5', 'News 10', 'News 15', 'News 20']);
    const byId = await get(ivan, `/news/section/${f.sections.industry.id}/`);
    assert.equal(titleOf(byId.html), 'Industry');
  });

  it('routes element URLs by code or id to the detail page, titled by the element', async () => {
    const detail = await get(ivan, '/news/news-3/');
    assert.equal(detail.status, 200);
    assert.equal(titleOf(detail.html), 'Report &lt;b&gt;3&lt;/b&gt; &amp; more');
    assert.match(detail.html, /<h1>Report &lt;b&gt;3&lt;\/b&gt; &amp; more<\/h1>/);
    assert.deepEqual(crumbsOf(detail.html), ['Home', 'News', 'Company', 'Report &lt;b&gt;3&lt;/b&gt; &amp; more']);
    assert.match(detail.html, /<a class="btn btn-secondary btn-sm" href="\/news\/">← Back to the list<\/a>/);
    const byId = await get(ivan, `/news/${f.items.get(7)!.id}/`);
    assert.equal(titleOf(byId.html), 'News 7');
  });

  it('answers 404 for unknown elements, sections and URLs below the catalog', async () => {
    for (const path of ['/news/no-such-news/', '/news/news-24/', '/news/section/nowhere/', '/news/section/company/nowhere/', '/news/news-1/extra/', '/news/section/']) {
      assert.equal((await ivan.get(path)).status, 404, path);
    }
  });

  it('pages and filters through the query string; bad values are a 400 page naming the parameter', async () => {
    assert.deepEqual(listedNames((await get(ivan, '/news/?page=2')).html), ['News 6', 'News 7', 'News 8', 'News 9', 'News 10']);
    const filtered = await get(ivan, '/news/?nf.PROPERTY_SOURCE=Reuters&page=2');
    assert.deepEqual(listedNames(filtered.html), ['News 18', 'News 21']);
    assert.match(filtered.html, /<input type="text" id="ibf-nf-PROPERTY_SOURCE" name="nf\.PROPERTY_SOURCE" value="Reuters"/, 'the form shows what was picked');
    for (const [path, param] of [['/news/?page=abc', 'page'], ['/news/section/company/?page=-1', 'page'], ['/news/?nf.PROPERTY_RATING.from=x', 'nf.PROPERTY_RATING.from'], ['/news/?nf.NOPE=1', 'nf.NOPE']]) {
      const html = await ivan.get(path);
      assert.equal(html.status, 400, path);
      assert.match(await html.text(), new RegExp(`Query parameter &quot;${param.replaceAll('.', '\\.')}&quot;`));
      const json = await ivan.request('GET', path, { headers: { accept: 'application/json' } });
      const body = (await json.json()) as { error: { code: string; details: { param: string } } };
      assert.equal(body.error.code, 'REQUEST_PARAM_INVALID');
      assert.equal(body.error.details.param, param);
    }
  });

  it('checks rights with the visitor: 403 for a list they may not read, 404 for its elements', async () => {
    assert.equal((await ivan.get('/hr/')).status, 403);
    assert.equal((await ivan.get('/hr/salary/')).status, 404);
    const allowed = await get(olga, '/hr/salary/');
    assert.equal(allowed.status, 200);
    assert.equal(titleOf(allowed.html), 'Salary review');
    assert.deepEqual(listedNames((await get(olga, '/hr/')).html), ['Salary review']);
    assert.equal((await ivan.get('/hr/')).status, 403, 'still 403 with the list in the cache');
  });

  it('keys the anonymous whole-page cache on the full URL and drops it when an element changes', async () => {
    const anon = new HttpClient(server.url);
    assert.equal((await anon.get('/open-news/')).status, 302, 'the portal is private until an admin opens it');
    await setPublicAccess(f.t.kernel, true);
    const first = await get(anon, '/open-news/');
    assert.equal(first.status, 200);
    assert.equal(first.cache, 'miss');
    assert.equal((await get(anon, '/open-news/')).cache, 'hit');
    const page2 = await get(anon, '/open-news/?page=2');
    assert.equal(page2.cache, 'miss', 'another query string is another page');
    assert.deepEqual(listedNames(page2.html), ['News 5', 'News 6', 'News 7', 'News 8']);
    const page2again = await get(anon, '/open-news/?page=2');
    assert.equal(page2again.cache, 'hit');
    assert.deepEqual(listedNames(page2again.html), ['News 5', 'News 6', 'News 7', 'News 8']);
    const reuters = await get(anon, '/open-news/?of.PROPERTY_SOURCE=Reuters');
    assert.deepEqual(listedNames(reuters.html), ['Report &lt;b&gt;3&lt;/b&gt; &amp; more', 'News 6', 'News 9', 'News 12']);
    assert.equal((await anon.get('/open-news/?page=0')).status, 400);
    assert.equal((await get(anon, '/open-news/?page=0')).cache, null, 'an error is never cached');

    await f.api.elements.update(admin, f.items.get(2)!.id, { name: 'Fresh name' });
    const changed = await get(anon, '/open-news/');
    assert.equal(changed.cache, 'miss');
    assert.deepEqual(listedNames(changed.html), ['News 1', 'Fresh name', 'Report &lt;b&gt;3&lt;/b&gt; &amp; more', 'News 4']);
    await f.api.elements.update(admin, f.items.get(2)!.id, { name: 'News 2' });
    await setPublicAccess(f.t.kernel, false);
  });
});
