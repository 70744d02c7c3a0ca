import assert from 'node:assert/strict';
import { describeParams } from '../../core/components/params.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin } from './fixture.js';
import { bootComponents, listedNames, type ComponentsFixture } from './components-fixture.js';

const IB_COMPONENTS = ['infoblocks.list', 'infoblocks.detail', 'infoblocks.sections', 'infoblocks.filter', 'infoblocks.catalog'];

describeEachDb('infoblocks components: parameters, list, paging, filter', (kind) => {
  let f: ComponentsFixture;
  const render = async (name: string, params: Record<string, unknown>, opts: { query?: Record<string, string | string[]>; template?: string; user?: 'ivan' | 'olga' | 'boss' | null } = {}) => {
    const user = opts.user === undefined ? f.ivan : opts.user === null ? null : f[opts.user];
    return f.t.kernel.components.renderPart(await f.stateFor(user), name, params, opts.template ?? '.default', { query: opts.query ?? {} });
  };
  const list = (params: Record<string, unknown> = {}, query: Record<string, string | string[]> = {}) => render('infoblocks.list', { iblock: 'news', ...params }, { query });

  before(async () => {
    f = await bootComponents(kind);
  });
  after(async () => f?.t.close());

  it('describes every parameter with English and Russian titles for the page builder', () => {
    for (const name of IB_COMPONENTS) {
      const def = f.t.kernel.components.get(name);
      for (const { name: param, spec } of describeParams(def.params)) {
        assert.ok(spec.title?.en && spec.title.ru && spec.title.ru !== spec.title.en, `${name}.${param} has en and ru titles`);
      }
    }
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    const cases: [Record<string, unknown>, RegExp, string?][] = [
      [{ iblock: '' }, /parameter "iblock" is required/],
      [{ filter: '{"=ACTIVE": ' }, /parameter "filter" is not valid JSON/],
      [{ filter: '[1, 2]' }, /parameter "filter" must be a JSON object/],
      [{ filter: '{"=COLOUR": "red"}' }, /^infoblocks\.list: parameter "filter": Unknown filter field "COLOUR"$/, 'FILTER_FIELD_UNKNOWN'],
      [{ filter: '{"%PROPERTY_RATING": 3}' }, /parameter "filter": Operator "%" \(contains\) applies only to text/, 'FILTER_OPERATOR_INVALID'],
      [{ filter: '{">=PROPERTY_RATING": "many"}' }, /parameter "filter": Value "many" of filter field "PROPERTY_RATING"/, 'FILTER_VALUE_INVALID'],
      [{ sortBy: 'PROPERTY_NOPE' }, /parameter "sortBy": Unknown order field "PROPERTY_NOPE"/, 'ORDER_FIELD_INVALID'],
      [{ sortOrder: 'UP' }, /parameter "sortOrder" must be one of ASC, DESC/],
      [{ properties: 'SOURCE, NOPE' }, /parameter "properties" names unknown property "NOPE"/],
      [{ properties: 'SOURCE;DROP' }, /parameter "properties" must be property codes/],
      [{ pageSize: 0 }, /parameter "pageSize" must be at least 1/],
      [{ timeZone: 'Mars/Olympus' }, /parameter "timeZone" is not a known time zone/],
      [{ filterName: 'Bad Name' }, /parameter "filterName" must be lower-case letters/],
      [{ colour: 'red' }, /unknown parameter "colour"/],
      [{ iblock: 'nope' }, /Infoblock "nope" does not exist/, 'IBLOCK_NOT_FOUND'],
    ];
    for (const [params, message, code] of cases) {
      await assert.rejects(list(params), (err: { status: number; code: string; message: string }) => {
        assert.equal(err.status, code === 'IBLOCK_NOT_FOUND' ? 404 : 400, JSON.stringify(params));
        assert.match(err.message, message);
        if (code) assert.equal(err.code, code);
        return true;
      });
    }
  });

  it('shows the first page of active elements in order, escaped, with HTML previews as sanitized HTML', async () => {
    const { html } = await list();
    assert.deepEqual(listedNames(html), ['News 1', 'News 2', 'Report &lt;b&gt;3&lt;/b&gt; &amp; more', 'News 4', 'News 5', 'News 6', 'News 7', 'News 8', 'News 9', 'News 10']);
    assert.match(html, /<p class="ib-preview">Preview &lt;1&gt;<\/p>/, 'a text preview is escaped');
    assert.match(html, /<div class="ib-preview"><p>Preview with <strong>HTML<\/strong><\/p><\/div>/, 'an HTML preview is kept, its script removed on write');
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /<a href="\/news\/news-1\/">News 1<\/a>/, 'links from the infoblock detail URL');
    assert.match(html, /<time class="ib-date" datetime="2026-01-01">1 January 2026<\/time>/);
    assert.match(html, /Page 1 of 3, 23 in all/, 'inactive elements 24 and 25 are left out');
    assert.doesNotMatch(html, /SECRET_NOTE|not for lists/, 'no properties unless asked');
  });

  it('orders, limits, picks properties, filters by section and by the grammar parameter', async () => {
    const { html } = await list({ sortBy: 'PROPERTY_RATING', sortOrder: 'DESC', pageSize: 3, properties: 'SOURCE,IMPORTANCE,AUTHOR' });
    assert.deepEqual(listedNames(html), ['News 23', 'News 22', 'News 21']);
    assert.match(html, /<dt>Source<\/dt><dd>Internal<\/dd>/);
    assert.match(html, /<dt>Importance<\/dt><dd>Normal<\/dd>/, 'a list value shows its text');
    assert.match(html, new RegExp(`<dt>Author</dt><dd><a href="/company/${f.ivan.id}/">Ivan Petrov</a></dd>`), 'a user shows the name');
    const events = await list({ sectionCode: 'company/events', pageSize: 50 });
    assert.deepEqual(listedNames(events.html), ['News 5', 'News 10', 'News 15', 'News 20']);
    const company = await list({ sectionId: f.sections.company.id, includeSubsections: false, pageSize: 50 });
    assert.equal(listedNames(company.html).length, 10, 'odd numbers not divisible by 5, without the events subsection');
    const grammar = await list({ filter: JSON.stringify({ '=PROPERTY_SOURCE': 'Reuters', '>PROPERTY_RATING': 10 }), pageSize: 50 });
    assert.deepEqual(listedNames(grammar.html), ['News 12', 'News 15', 'News 18', 'News 21']);
    const all = await list({ activeOnly: false, pageSize: 50 });
    assert.equal(listedNames(all.html).length, 25, 'inactive ones too when asked');
    await assert.rejects(list({ sectionCode: 'nowhere' }), { code: 'SECTION_NOT_FOUND', status: 404 });
  });

  it('pages through the request: the page number comes from the query string, validated', async () => {
    const third = await list({}, { page: '3' });
    assert.deepEqual(listedNames(third.html), ['News 21', 'News 22', 'News 23']);
    assert.match(third.html, /<a class="btn btn-secondary btn-sm" href="\?page=2" rel="prev">/);
    assert.match(third.html, /<li><a href="\.\/" aria-label="Page 1">1<\/a><\/li>/, 'page 1 is the bare URL');
    const own = await list({ pageVar: 'p2' }, { page: '3', p2: '2' });
    assert.deepEqual(listedNames(own.html).slice(0, 2), ['News 11', 'News 12'], 'each list reads its own page parameter');
    const unpaged = await list({ paging: false }, { page: '3' });
    assert.deepEqual(listedNames(unpaged.html).slice(0, 1), ['News 1']);
    assert.doesNotMatch(unpaged.html, /class="pagination"/);
    for (const [value, problem] of [['abc', /must be a number/], ['0', /must be at least 1/], ['1.5', /whole number/], [['1', '2'], /given more than once/]] as const) {
      await assert.rejects(list({}, { page: value as string | string[] }), (err: { status: number; code: string; message: string; details?: { param?: string } }) => {
        assert.equal(err.status, 400);
        assert.equal(err.code, 'REQUEST_PARAM_INVALID');
        assert.match(err.message, /^Query parameter "page" /);
        assert.match(err.message, problem);
        assert.equal(err.details?.param, 'page');
        return true;
      });
    }
  });

  it('turns the filter form values of the same filter name into grammar conditions', async () => {
    const q = (query: Record<string, string | string[]>) => list({ filterName: 'nf', pageSize: 50 }, query);
    assert.deepEqual(listedNames((await q({ 'nf.PROPERTY_SOURCE': 'reut' })).html), ['Report &lt;b&gt;3&lt;/b&gt; &amp; more', 'News 6', 'News 9', 'News 12', 'News 15', 'News 18', 'News 21']);
    assert.deepEqual(listedNames((await q({ 'nf.PROPERTY_IMPORTANCE': String(f.enums.important) })).html), ['News 4', 'News 8', 'News 12', 'News 16', 'News 20']);
    assert.deepEqual(listedNames((await q({ 'nf.PROPERTY_RATING.from': '5', 'nf.PROPERTY_RATING.to': '7.5' })).html), ['News 5', 'News 6', 'News 7']);
    assert.deepEqual(listedNames((await q({ 'nf.PROPERTY_EVENT_DATE.from': '2026-02-20', 'nf.PROPERTY_EVENT_DATE.to': '2026-02-21' })).html), ['News 20', 'News 21']);
    assert.deepEqual(listedNames((await q({ 'nf.NAME': 'report', 'nf.PROPERTY_SOURCE': '' })).html), ['Report &lt;b&gt;3&lt;/b&gt; &amp; more'], 'empty fields are ignored');
    const none = await q({ 'nf.NAME': 'no such thing' });
    assert.match(none.html, /Nothing matches the filter\./);
    const other = await list({ pageSize: 50 }, { 'nf.NAME': 'report' });
    assert.equal(listedNames(other.html).length, 23, 'a list without the filter name ignores those values');
  });

  it('keeps the filter values in the pager links', async () => {
    const { html } = await list({ filterName: 'nf', pageSize: 2 }, { 'nf.PROPERTY_SOURCE': 'Reuters', page: '2' });
    assert.deepEqual(listedNames(html), ['News 9', 'News 12']);
    assert.match(html, /href="\?nf\.PROPERTY_SOURCE=Reuters&amp;page=3" rel="next"/);
    assert.match(html, /href="\?nf\.PROPERTY_SOURCE=Reuters" rel="prev"/);
  });

  it('answers bad filter values with a 400 naming the query parameter, never a 500', async () => {
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ 'nf.PROPERTY_RATING.from': 'lots' }, /"nf\.PROPERTY_RATING\.from" must be a number/],
      [{ 'nf.PROPERTY_EVENT_DATE.to': '2026-13-40' }, /"nf\.PROPERTY_EVENT_DATE\.to" must be a date YYYY-MM-DD/],
      [{ 'nf.PROPERTY_IMPORTANCE': '999999' }, /"nf\.PROPERTY_IMPORTANCE" value "999999" is not one of the values of "Importance"/],
      [{ 'nf.PROPERTY_IMPORTANCE': 'x; DROP TABLE' }, /"nf\.PROPERTY_IMPORTANCE" value "x; DROP TABLE" is not an id/],
      [{ 'nf.PROPERTY_SECRET_NOTE': 'x' }, /"nf\.PROPERTY_SECRET_NOTE" does not name a filterable property/],
      [{ 'nf.PROPERTY_NOPE': 'x' }, /"nf\.PROPERTY_NOPE" does not name a filterable property/],
      [{ 'nf.COLOUR': 'red' }, /"nf\.COLOUR" is not a filter field/],
      [{ 'nf.PROPERTY_SOURCE.from': 'a' }, /"nf\.PROPERTY_SOURCE\.from" takes no range/],
      [{ 'nf.NAME': ['a', 'b'] }, /"nf\.NAME" is given more than once/],
      [{ 'nf.NAME': 'x'.repeat(201) }, /"nf\.NAME" is longer than 200 characters/],
    ];
    for (const [query, message] of cases) {
      for (const name of ['infoblocks.list', 'infoblocks.filter']) {
        await assert.rejects(render(name, { iblock: 'news', filterName: 'nf' }, { query }), (err: { status: number; code: string; message: string }) => {
          assert.equal(err.status, 400, `${name} ${JSON.stringify(query)}`);
          assert.equal(err.code, 'REQUEST_PARAM_INVALID');
          assert.match(err.message, message);
          return true;
        });
      }
    }
  });

  it('renders the filter form from the filterable properties with the current values', async () => {
    const { html } = await render('infoblocks.filter', { iblock: 'news', filterName: 'nf' }, { query: { 'nf.PROPERTY_IMPORTANCE': String(f.enums.important), 'nf.PROPERTY_RATING.from': '3', 'nf.NAME': '<x>' } });
    assert.match(html, /<form method="get" class="ib-filter-form">/);
    assert.match(html, /<input type="text" id="ibf-nf-NAME" name="nf\.NAME" value="&lt;x&gt;"/);
    assert.match(html, new RegExp(`<option value="${f.enums.important}" selected>Important</option>`));
    assert.match(html, /<input type="number" name="nf\.PROPERTY_RATING\.from" value="3" step="any">/);
    assert.match(html, /<input type="date" name="nf\.PROPERTY_EVENT_DATE\.to" value="">/);
    assert.match(html, /name="nf\.PROPERTY_SOURCE"/);
    assert.doesNotMatch(html, /SECRET_NOTE|AUTHOR/, 'only filterable properties');
    assert.match(html, /href="\.\/">Reset<\/a>/);
    const boxes = await render('infoblocks.filter', { iblock: 'news', filterName: 'nf', listControl: 'checkboxes', properties: 'IMPORTANCE', nameField: false }, { query: {} });
    assert.match(boxes.html, new RegExp(`<input type="checkbox" name="nf.PROPERTY_IMPORTANCE" value="${f.enums.normal}"> Normal`));
    assert.doesNotMatch(boxes.html, /nf\.NAME|Reset/);
    const ru = await f.t.kernel.components.render(await f.stateFor(f.ivan, 'ru'), 'infoblocks.filter', { iblock: 'news', filterName: 'nf' });
    assert.match(ru, /Название содержит/);
    const both = await list({ filterName: 'nf', pageSize: 50 }, { 'nf.PROPERTY_IMPORTANCE': [String(f.enums.important), String(f.enums.normal)] });
    assert.equal(listedNames(both.html).length, 23, 'checkboxes send several values: any of them');
  });

  it('caches the rendered list and drops it as soon as an element changes', async () => {
    const k = f.t.kernel;
    const first = await list({ pageSize: 1 });
    assert.deepEqual(listedNames(first.html), ['News 1']);
    // Behind the API's back: the cached HTML still shows the old name.
    await k.db('infoblocks').write('elements').where({ id: f.items.get(1)!.id }).update({ name: 'Changed quietly' });
    assert.deepEqual(listedNames((await list({ pageSize: 1 })).html), ['News 1'], 'served from the cache');
    await f.api.elements.update(admin, f.items.get(1)!.id, { name: 'Renamed news' });
    assert.deepEqual(listedNames((await list({ pageSize: 1 })).html), ['Renamed news'], 'the update dropped the cached result');
    await f.api.elements.update(admin, f.items.get(1)!.id, { name: 'News 1' });
  });

  it('passes the visitor to the API: no data without read rights, even from the cache', async () => {
    const hrList = (user: 'ivan' | 'olga' | null) => render('infoblocks.list', { iblock: 'hr' }, { user });
    assert.deepEqual(listedNames((await hrList('olga')).html), ['Salary review'], 'the group that may read it');
    await assert.rejects(hrList('ivan'), { code: 'ACCESS_DENIED', status: 403 });
    await assert.rejects(hrList(null), { code: 'ACCESS_DENIED', status: 403 });
    await assert.rejects(render('infoblocks.sections', { iblock: 'hr' }), { code: 'ACCESS_DENIED' });
    await assert.rejects(render('infoblocks.filter', { iblock: 'hr', filterName: 'x' }), { code: 'ACCESS_DENIED' });
    const salary = (await f.api.elements.getByCode(admin, f.hr.id, 'salary')).id;
    assert.match((await render('infoblocks.detail', { iblock: 'hr', elementId: salary }, { user: 'olga' })).html, /Salary review/);
    await assert.rejects(render('infoblocks.detail', { iblock: 'hr', elementId: salary }), { code: 'IBLOCK_NOT_FOUND', status: 404 }, 'a detail does not reveal what exists');
    await assert.rejects(render('infoblocks.detail', { iblock: 'news', elementId: salary }), { code: 'ELEMENT_NOT_FOUND', status: 404 }, 'an element of another infoblock');
  });
});
