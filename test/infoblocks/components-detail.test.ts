import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin } from './fixture.js';
import { bootComponents, type ComponentsFixture } from './components-fixture.js';

describeEachDb('infoblocks components: detail and sections', (kind) => {
  let f: ComponentsFixture;
  const render = async (name: string, params: Record<string, unknown>, template = '.default', language = 'en') =>
    f.t.kernel.components.renderPart(await f.stateFor(f.ivan, language), name, params, template);

  before(async () => {
    f = await bootComponents(kind);
  });
  after(async () => f?.t.close());

  it('shows an element by code with its properties by type, and gives the page its title and section crumbs', async () => {
    const part = await render('infoblocks.detail', { iblock: 'news', elementCode: 'news-1' });
    assert.equal(part.title, 'News 1', 'the epilog sets the title');
    assert.deepEqual(part.breadcrumbs, [{ href: '/news/section/company/', label: 'Company' }]);
    assert.match(part.html, /<h1>News 1<\/h1>/);
    assert.match(part.html, /<time class="ib-date" datetime="2026-01-01">1 January 2026<\/time>/);
    assert.match(part.html, /<p>First paragraph\.<\/p>\s*<p>Second paragraph\.<\/p>/);
    assert.match(part.html, /<dt>Importance<\/dt>\s*<dd>Normal<\/dd>/);
    assert.match(part.html, /<dt>Event date<\/dt>\s*<dd>1 February 2026<\/dd>/);
    assert.match(part.html, new RegExp(`<dt>Author</dt>\\s*<dd><a href="/company/${f.ivan.id}/">Ivan Petrov</a></dd>`));
    assert.match(part.html, /<dt>Secret note<\/dt>/, 'every property by default');
    assert.match(part.html, /href="\/news\/">← Back to the list<\/a>/);
    const again = await render('infoblocks.detail', { iblock: 'news', elementCode: 'news-1' });
    assert.equal(again.title, 'News 1', 'the epilog runs on a cache hit too');
  });

  it('finds an element by id or by a numeric code, escapes names and nests section crumbs', async () => {
    const third = f.items.get(3)!;
    const byId = await render('infoblocks.detail', { iblock: 'news', elementId: third.id, properties: 'SOURCE' });
    assert.match(byId.html, /<h1>Report &lt;b&gt;3&lt;\/b&gt; &amp; more<\/h1>/);
    assert.doesNotMatch(byId.html, /Secret note/);
    assert.equal((await render('infoblocks.detail', { iblock: 'news', elementCode: String(third.id) })).title, 'Report <b>3</b> & more');
    const fifth = await render('infoblocks.detail', { iblock: 'news', elementCode: 'news-5', sectionUrl: '/n/#SECTION_ID#/' });
    assert.deepEqual(fifth.breadcrumbs, [
      { href: `/n/${f.sections.company.id}/`, label: 'Company' },
      { href: `/n/${f.sections.events.id}/`, label: 'Events' },
    ]);
  });

  it('formats dates in the zone it is given, else in the site’s, never the server’s', async () => {
    const el = await f.api.elements.add(admin, f.news.id, { name: 'Late news', code: 'late', activeFrom: Date.UTC(2026, 2, 1, 22, 30) });
    const utc = await render('infoblocks.detail', { iblock: 'news', elementCode: 'late', timeZone: 'UTC' });
    assert.match(utc.html, /datetime="2026-03-01">1 March 2026</);
    const moscow = await render('infoblocks.detail', { iblock: 'news', elementCode: 'late', timeZone: 'Europe/Moscow' }, '.default', 'ru');
    assert.match(moscow.html, /datetime="2026-03-02">2 марта 2026 г\.</, 'already 2 March in Moscow; Russian month names');
    const site = await f.t.kernel.sites.resolve('localhost');
    try {
      await f.t.kernel.sites.update(site.id, { timeZone: 'Asia/Vladivostok' });
      assert.match((await render('infoblocks.detail', { iblock: 'news', elementCode: 'late' })).html, /datetime="2026-03-02">2 March 2026</, 'no parameter: the site’s zone');
      await f.t.kernel.sites.update(site.id, { timeZone: 'America/Sao_Paulo' });
      assert.match((await render('infoblocks.detail', { iblock: 'news', elementCode: 'late' })).html, /datetime="2026-03-01">1 March 2026</, 'another site zone, another day (not the cached one)');
    } finally {
      await f.t.kernel.sites.update(site.id, { timeZone: null });
    }
    await f.api.elements.delete(admin, el.id);
  });

  it('is a 404 for missing and inactive elements and needs an id or a code', async () => {
    await assert.rejects(render('infoblocks.detail', { iblock: 'news', elementCode: 'no-such-news' }), { code: 'ELEMENT_NOT_FOUND', status: 404 });
    await assert.rejects(render('infoblocks.detail', { iblock: 'news', elementCode: 'news-24' }), { code: 'ELEMENT_NOT_FOUND', status: 404 });
    assert.match((await render('infoblocks.detail', { iblock: 'news', elementCode: 'news-24', activeOnly: false })).html, /News 24/);
    await assert.rejects(render('infoblocks.detail', { iblock: 'news' }), { code: 'VALIDATION_FAILED', message: /"elementId" or "elementCode" is required/ });
  });

  it('draws the section tree with counts, to a depth, below a root', async () => {
    const { html } = await render('infoblocks.sections', { iblock: 'news', counts: true });
    assert.match(html, /<ul class="tree"><li><a href="\/news\/section\/company\/">Company<\/a> <span class="badge" title="Items: 14">14<\/span>/, 'company counts its events subsection');
    assert.match(html, /<ul class="tree"><li><a href="\/news\/section\/company\/events\/">Events<\/a> <span class="badge" title="Items: 4">4<\/span>\s*<\/li><\/ul><\/li>/);
    assert.match(html, /<a href="\/news\/section\/industry\/">Industry<\/a> <span class="badge" title="Items: 9">9<\/span>/);
    const shallow = await render('infoblocks.sections', { iblock: 'news', depth: 1 });
    assert.doesNotMatch(shallow.html, /Events/);
    assert.doesNotMatch(shallow.html, /class="badge"/, 'no counts unless asked');
    const below = await render('infoblocks.sections', { iblock: 'news', rootCode: 'company' });
    assert.match(below.html, /Events/);
    assert.doesNotMatch(below.html, /Industry/);
  });

  it('counts elements once per section even when bound to several of its subsections', async () => {
    const el = await f.api.elements.add(admin, f.news.id, { name: 'Twice', sectionIds: [f.sections.company.id, f.sections.events.id] });
    const counts = await f.api.sections.countElements(admin, f.news.id, { includeSubsections: true });
    assert.equal(counts[f.sections.company.id], 16, 'company: its 10 + the 5 of events + the new one once');
    const direct = await f.api.sections.countElements(admin, f.news.id, { activeOnly: true });
    assert.equal(direct[f.sections.company.id], 11);
    assert.equal(direct[f.sections.events.id], 5);
    await f.api.elements.delete(admin, el.id);
    await assert.rejects(f.api.sections.countElements(await f.t.kernel.users.principalOf(f.ivan), f.hr.id), { code: 'ACCESS_DENIED' });
  });

  it('renders the .menu template as a row of links with the current section marked', async () => {
    const { html } = await render('infoblocks.sections', { iblock: 'news', current: 'company/events', depth: 2 }, '.menu');
    assert.match(html, /<nav class="ib-menu"/);
    assert.match(html, /<li><a href="\/news\/">All<\/a><\/li>/);
    assert.match(html, /<a href="\/news\/section\/company\/" aria-current="page">Company<\/a>/, 'the ancestor of the current section');
    assert.match(html, /<ul class="filter-chips ib-submenu">\s*<li><a href="\/news\/section\/company\/events\/" aria-current="page">Events<\/a>/);
    const top = await render('infoblocks.sections', { iblock: 'news' }, '.menu');
    assert.match(top.html, /<a href="\/news\/" aria-current="page">All<\/a>/);
  });
});
