import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import type { Section } from '../../modules/infoblocks/types.js';
import { alertText, assertCsrfRequired, page, root, startIbAdminEnv, submit, type IbAdminEnv } from './admin-harness.js';

/** Names of the listed elements, in order. */
function names(html: string): string[] {
  return [...html.matchAll(/<a href="\/admin\/infoblocks\/\d+\/elements\/\d+\/"><strong>([^<]*)<\/strong>/g)].map((m) => m[1]!);
}

describeEachDb('infoblocks admin: element list', (kind) => {
  let env: IbAdminEnv;
  let ib: number;
  let base: string;
  let a: Section;
  let b: Section;
  let ids: number[];
  let kinds: Record<string, number>;

  before(async function () {
    this.timeout(60_000);
    env = await startIbAdminEnv(kind);
    ib = (await env.api.iblocks.add(root, { typeId: env.typeId, code: 'items', name: 'Items' })).id;
    base = `/admin/infoblocks/${ib}/elements/`;
    a = await env.api.sections.add(root, ib, { name: 'Section A', code: 'a' });
    b = await env.api.sections.add(root, ib, { name: 'Section B', code: 'b', parentId: a.id });
    await env.api.properties.add(root, ib, { code: 'N', name: 'Number', type: 'number', filterable: true });
    const kindProp = await env.api.properties.add(root, ib, { code: 'KIND', name: 'Kind', type: 'list', filterable: true, enums: [{ value: 'Odd' }, { value: 'Even' }] });
    kinds = Object.fromEntries(kindProp.enums.map((e) => [e.value, e.id]));
    ids = [];
    for (let i = 1; i <= 25; i++) {
      const e = await env.api.elements.add(root, ib, {
        name: `Item ${String(i).padStart(2, '0')}`, sort: 100 - i, active: i % 5 !== 0,
        sectionIds: i <= 4 ? [a.id] : i <= 8 ? [b.id] : [], properties: { N: i, KIND: i % 2 ? kinds.Odd : kinds.Even },
      });
      ids.push(e.id);
    }
  });
  after(async () => env.close());

  it('lists the newest first in pages of 20 with the design system pager', async () => {
    const first = await page(env.admin, base);
    assert.equal(first.status, 200);
    assert.equal(names(first.html).length, 20);
    assert.equal(names(first.html)[0], 'Item 25');
    assert.match(first.html, /<nav class="pagination"/);
    assert.match(first.html, /Page 1 of 2 \(25 in all\)/);
    assert.match(first.html, /<span class="page-current" aria-current="page">1<\/span>/);
    const second = await page(env.admin, `${base}?page=2`);
    assert.deepEqual(names(second.html), ['Item 05', 'Item 04', 'Item 03', 'Item 02', 'Item 01']);
    assert.equal((await page(env.admin, `${base}?page=zzz`)).status, 200, 'a bad page number is page 1');
  });

  it('sorts by clicking column headers, both ways, and keeps the filter', async () => {
    const list = await page(env.admin, `${base}?q=Item+1`);
    const link = /<a class="iba-sort-link" href="([^"]+)">Name/.exec(list.html)![1]!.replace(/&amp;/g, '&');
    assert.match(link, /q=Item\+1/);
    assert.match(link, /by=NAME&dir=asc/);
    const asc = await page(env.admin, link);
    assert.deepEqual(names(asc.html), ['Item 10', 'Item 11', 'Item 12', 'Item 13', 'Item 14', 'Item 15', 'Item 16', 'Item 17', 'Item 18', 'Item 19']);
    assert.match(asc.html, /<th class="" aria-sort="ascending"><a class="iba-sort-link" href="[^"]*by=NAME&amp;dir=desc">Name/);
    const desc = await page(env.admin, `${base}?q=Item+1&by=NAME&dir=desc`);
    assert.equal(names(desc.html)[0], 'Item 19');
    const byNumber = await page(env.admin, `${base}?by=PROPERTY_N&dir=asc`);
    assert.deepEqual(names(byNumber.html).slice(0, 3), ['Item 01', 'Item 02', 'Item 03']);
    const bySort = await page(env.admin, `${base}?by=SORT&dir=asc`);
    assert.equal(names(bySort.html)[0], 'Item 25', 'sort 75 is the lowest');
    assert.equal((await page(env.admin, `${base}?by=DROP+TABLE&dir=up`)).status, 200, 'an unknown column falls back to ID');
  });

  it('filters by name, activity, section with subsections and filterable properties through the filter grammar', async () => {
    assert.deepEqual(names((await page(env.admin, `${base}?q=Item+2`)).html).sort(), ['Item 20', 'Item 21', 'Item 22', 'Item 23', 'Item 24', 'Item 25']);
    assert.deepEqual(names((await page(env.admin, `${base}?active=N`)).html), ['Item 25', 'Item 20', 'Item 15', 'Item 10', 'Item 05']);
    assert.deepEqual(names((await page(env.admin, `${base}?section=${a.id}`)).html), ['Item 04', 'Item 03', 'Item 02', 'Item 01']);
    assert.equal(names((await page(env.admin, `${base}?section=${a.id}&sub=1`)).html).length, 8);
    assert.deepEqual(names((await page(env.admin, `${base}?f_N_from=3&f_N_to=6`)).html), ['Item 06', 'Item 05', 'Item 04', 'Item 03']);
    const even = await page(env.admin, `${base}?f_KIND=${kinds.Even}&f_N_to=6`);
    assert.deepEqual(names(even.html), ['Item 06', 'Item 04', 'Item 02']);
    assert.match(even.html, /Reset the filter/);
    assert.match(even.html, new RegExp(`<option value="${kinds.Even}" selected>Even</option>`), 'the filter form shows what was asked');
    const none = await page(env.admin, `${base}?q=nothing+like+this`);
    assert.match(none.html, /Nothing matches the search/);
  });

  it('answers a filter value of the wrong type with a 400 and the grammar\'s message, not a 500', async () => {
    const bad = await page(env.admin, `${base}?f_N_from=ten`);
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /Value "ten" of filter field "PROPERTY_N" is not a valid num/);
    const badSection = await page(env.admin, `${base}?section=x'--`);
    assert.equal(badSection.status, 400);
    assert.match(alertText(badSection.html), /SECTION_ID/);
  });

  it('activates and deactivates the checked rows in one POST', async () => {
    const back = `${base}?active=N`;
    const off = [ids[4]!, ids[9]!].map(String);
    const on = await submit(env.admin, `${base}bulk/`, { action: 'activate', ids: off, back });
    assert.equal(on.status, 302);
    assert.equal(on.location, `${back}&done=activated`);
    for (const id of off) assert.equal((await env.api.elements.get(root, Number(id))).active, true);
    const notice = await page(env.admin, on.location!);
    assert.match(notice.html, /role="status">The elements are active\./);
    const deact = await submit(env.admin, `${base}bulk/`, { action: 'deactivate', ids: [String(ids[0]), String(ids[1])] });
    assert.equal(deact.status, 302);
    assert.equal((await env.api.elements.get(root, ids[0]!)).active, false);
    const many = Array.from({ length: 25 }, (_, i) => String(ids[i]));
    const all = await submit(env.admin, `${base}bulk/`, { action: 'activate', ids: many });
    assert.equal(all.status, 302, 'more than 20 checked rows still arrive as a list');
    assert.equal((await env.api.elements.list(root, ib, { filter: { ACTIVE: 'N' } })).total, 0);
  });

  it('deletes checked rows only after a confirmation page', async () => {
    const doomed = [String(ids[23]), String(ids[24])];
    const confirm = await submit(env.admin, `${base}bulk/`, { action: 'delete', ids: doomed, back: base });
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /Delete the checked elements\?/);
    assert.match(confirm.html, /to delete: 2\./);
    assert.match(confirm.html, /Item 24 \[\d+\]/);
    assert.match(confirm.html, /name="confirmed" value="1"/);
    assert.equal((await env.api.elements.list(root, ib, {})).total, 25, 'nothing deleted yet');
    const res = await submit(env.admin, `${base}bulk/`, { action: 'delete', ids: doomed, confirmed: '1', back: base });
    assert.equal(res.status, 302);
    assert.equal(res.location, `${base}?done=deleted`);
    assert.equal((await env.api.elements.list(root, ib, {})).total, 23);
  });

  it('refuses empty, unknown or foreign bulk requests readably, and without rights or CSRF', async () => {
    const none = await submit(env.admin, `${base}bulk/`, { action: 'activate' });
    assert.equal(none.status, 400);
    assert.match(alertText(none.html), /Tick at least one element/);
    assert.equal(names(none.html).length, 20, 'the list is shown again');
    const unknown = await submit(env.admin, `${base}bulk/`, { action: 'explode', ids: [String(ids[0])] });
    assert.equal(unknown.status, 400);
    const other = await env.api.iblocks.add(root, { typeId: env.typeId, code: 'other', name: 'Other' });
    const foreign = (await env.api.elements.add(root, other.id, { name: 'Foreign' })).id;
    const cross = await submit(env.admin, `${base}bulk/`, { action: 'deactivate', ids: [String(foreign)] });
    assert.equal(cross.status, 404);
    assert.equal((await env.api.elements.get(root, foreign)).active, true);
    const badBack = await submit(env.admin, `${base}bulk/`, { action: 'activate', ids: [String(ids[0])], back: 'https://evil.example/' });
    assert.equal(badBack.location, `${base}?done=activated`, 'only a path of this list is a place to go back to');

    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    await env.api.iblocks.setRights(root, ib, { [viewers.id]: 'R' });
    const list = await page(env.viewer, base);
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.html, /name="ids"/, 'no checkboxes without write access');
    assert.doesNotMatch(list.html, /Add an element/);
    for (const action of ['activate', 'deactivate', 'delete']) {
      assert.equal((await submit(env.viewer, `${base}bulk/`, { action, ids: [String(ids[0])], confirmed: '1' })).status, 403, action);
    }
    assert.equal((await env.api.elements.list(root, ib, {})).total, 23);
    await assertCsrfRequired(env.admin, `${base}bulk/`, { action: 'deactivate', ids: String(ids[0]) });
    assert.equal((await env.api.elements.get(root, ids[0]!)).active, true);
  });
});
