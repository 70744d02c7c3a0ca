import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { alertText, assertCsrfRequired, chosen, inputValues, page, root, startIbAdminEnv, submit, type IbAdminEnv } from './admin-harness.js';

describeEachDb('infoblocks admin: properties and sections', (kind) => {
  let env: IbAdminEnv;
  let ib: number;
  let base: string;
  before(async () => {
    env = await startIbAdminEnv(kind);
    ib = (await env.api.iblocks.add(root, { typeId: env.typeId, code: 'catalog', name: 'Catalogue' })).id;
    base = `/admin/infoblocks/${ib}`;
    await env.t.kernel.sites.update('s1', { timeZone: 'Asia/Vladivostok' }); // UTC+10: neither UTC nor the process's zone
  });
  after(async () => env.close());

  it('adds a list property with enum values from blank rows, then reorders, edits and removes values', async () => {
    const form = await page(env.admin, `${base}/properties/new/?type=list`);
    assert.equal(form.status, 200);
    assert.deepEqual(chosen(form.html, 'type'), ['list']);
    assert.equal(inputValues(form.html, 'enum_2_value').length, 1, 'three blank rows');
    const more = await submit(env.admin, `${base}/properties/new/`, { code: 'COLOR', name: 'Colour', type: 'list', enum_rows: '3', enum_0_value: 'Red', more: '1' });
    assert.equal(more.status, 200, '"More rows" re-renders without saving');
    assert.deepEqual(inputValues(more.html, 'enum_0_value'), ['Red']);
    assert.equal(inputValues(more.html, 'enum_5_value').length, 1);
    assert.equal((await env.api.properties.list(root, ib)).length, 0);

    const res = await submit(env.admin, `${base}/properties/new/`, {
      code: 'COLOR', name: 'Colour', type: 'list', multiple: '1', filterable: '1', sort: '10', enum_rows: '4',
      enum_0_value: 'Red', enum_0_xml: 'red', enum_0_sort: '10',
      enum_1_value: 'Green', enum_1_sort: '20', enum_1_default: '1',
      enum_2_value: '', enum_3_value: 'Blue', enum_3_sort: '30',
    });
    assert.equal(res.status, 302);
    assert.equal(res.location, `${base}/properties/?done=created`);
    const color = (await env.api.properties.list(root, ib)).find((p) => p.code === 'COLOR')!;
    assert.equal(color.multiple, true);
    assert.deepEqual(color.enums.map((e) => [e.value, e.xmlId, e.sort, e.isDefault]), [['Red', 'red', 10, false], ['Green', 'Green', 20, true], ['Blue', 'Blue', 30, false]]);

    const edit = await page(env.admin, `${base}/properties/${color.id}/`);
    assert.match(edit.html, /id="code" value="COLOR" readonly/);
    assert.doesNotMatch(edit.html, /name="type"/, 'the type is fixed');
    const [red, green, blue] = color.enums;
    const saved = await submit(env.admin, `${base}/properties/${color.id}/`, {
      name: 'Colour of the item', filterable: '1', sort: '10', enum_rows: '4',
      enum_0_id: String(red!.id), enum_0_value: 'Red', enum_0_xml: 'red', enum_0_sort: '30',
      enum_1_id: String(green!.id), enum_1_value: 'Green', enum_1_xml: 'Green', enum_1_sort: '20', enum_1_remove: '1',
      enum_2_id: String(blue!.id), enum_2_value: 'Navy blue', enum_2_xml: 'Blue', enum_2_sort: '10',
      enum_3_value: 'White', enum_3_sort: '40',
      // a sneaky attempt to change the fixed fields is ignored
      code: 'HACK', type: 'number', multiple: '',
    });
    assert.equal(saved.status, 302);
    const after = (await env.api.properties.list(root, ib)).find((p) => p.id === color.id)!;
    assert.equal(after.name, 'Colour of the item');
    assert.equal(after.code, 'COLOR');
    assert.equal(after.multiple, true);
    assert.deepEqual(after.enums.map((e) => e.value), ['Navy blue', 'Red', 'White']);
    assert.equal(after.enums.find((e) => e.value === 'Red')!.id, red!.id, 'values keep their ids');
  });

  it('adds properties of every other type with their settings', async () => {
    const target = await env.api.iblocks.add(root, { typeId: env.typeId, code: 'brands', name: 'Brands' });
    const specs: Record<string, string>[] = [
      { code: 'TITLE2', name: 'Subtitle', type: 'string', required: '1', searchable: '1', defaultValue: 'none' },
      { code: 'PRICE', name: 'Price', type: 'number', filterable: '1', defaultValue: '9.5' },
      { code: 'MANUAL', name: 'Manual', type: 'file', multiple: '1' },
      { code: 'BRAND', name: 'Brand', type: 'element', linkIblockId: String(target.id) },
      { code: 'SHELF', name: 'Shelf', type: 'section', linkIblockId: String(ib) },
      { code: 'RELEASED', name: 'Released', type: 'date', defaultValue: '2026-01-31' },
      { code: 'CHECKED_AT', name: 'Checked at', type: 'datetime', defaultValue: '2026-02-01T10:30' },
      { code: 'NOTES', name: 'Notes', type: 'html' },
      { code: 'OWNER', name: 'Owner', type: 'user', filterable: '1' },
    ];
    for (const spec of specs) {
      const res = await submit(env.admin, `${base}/properties/new/`, { sort: '500', enum_rows: '0', ...spec });
      assert.equal(res.status, 302, `${spec.code}: ${res.status === 302 ? '' : alertText(res.html)}`);
    }
    const props = new Map((await env.api.properties.list(root, ib)).map((p) => [p.code, p]));
    assert.equal(props.get('TITLE2')!.required, true);
    assert.equal(props.get('TITLE2')!.defaultValue, 'none');
    assert.equal(props.get('PRICE')!.defaultValue, 9.5);
    assert.equal(props.get('MANUAL')!.multiple, true);
    assert.equal(props.get('BRAND')!.linkIblockId, target.id);
    assert.equal(props.get('CHECKED_AT')!.defaultValue, Date.UTC(2026, 1, 1, 0, 30), 'the default datetime is read on the site’s clock');
    const checkedAt = await page(env.admin, `${base}/properties/${props.get('CHECKED_AT')!.id}/`);
    assert.deepEqual(inputValues(checkedAt.html, 'defaultValue'), ['2026-02-01T10:30'], 'and shown back the same');
    const list = await page(env.admin, `${base}/properties/`);
    for (const label of ['String', 'Number', 'List', 'File', 'Link to an element', 'Link to a section', 'Date', 'Date and time', 'HTML', 'User']) {
      assert.ok(list.html.includes(`>${label}`), `the list names the type ${label}`);
    }
  });

  it('refuses bad property input with a 4xx form and an alert', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ code: 'PRICE', name: 'Again', type: 'number' }, 409, /already used/],
      [{ code: 'bad code', name: 'Bad', type: 'string' }, 400, /code "bad code" may hold only latin letters, digits and "_", starting with a letter/],
      [{ code: 'KIND', name: 'Kind', type: 'colour' }, 400, /type "colour" is not one of/],
      [{ code: 'WEIGHT', name: 'Weight', type: 'number', defaultValue: 'heavy' }, 400, /defaultValue "heavy" is not a number/],
      [{ code: 'WHEN', name: 'When', type: 'datetime', defaultValue: 'soon' }, 400, /"soon" is not a date and time/],
      [{ code: 'SIZE', name: 'Size', type: 'list', enum_rows: '1', enum_0_value: 'S', enum_0_sort: 'first' }, 400, /sort of "S" must be a whole number/],
    ];
    for (const [form, status, message] of cases) {
      const res = await submit(env.admin, `${base}/properties/new/`, form);
      assert.equal(res.status, status, JSON.stringify(form));
      assert.match(alertText(res.html), message);
      assert.match(res.html, new RegExp(`name="name" value="${form.name}"`));
    }
    const price = (await env.api.properties.list(root, ib)).find((p) => p.code === 'PRICE')!;
    assert.equal((await page(env.admin, `${base}/properties/999999/`)).status, 404);
    const blank = await submit(env.admin, `${base}/properties/${price.id}/`, { name: '' });
    assert.equal(blank.status, 400);
    assert.match(alertText(blank.html), /name is required/);
  });

  it('deletes a property after a confirmation page', async () => {
    const notes = (await env.api.properties.list(root, ib)).find((p) => p.code === 'NOTES')!;
    const confirm = await page(env.admin, `${base}/properties/${notes.id}/delete/`);
    assert.match(confirm.html, /will be deleted with its values in every element/);
    const res = await submit(env.admin, `${base}/properties/${notes.id}/delete/`);
    assert.equal(res.status, 302);
    assert.equal((await env.api.properties.list(root, ib)).some((p) => p.code === 'NOTES'), false);
  });

  it('builds a section tree, moves a subtree and deletes with confirmation', async () => {
    const add = async (name: string, code: string, parentId = '') => {
      const res = await submit(env.admin, `${base}/sections/new/`, { name, code, parentId, sort: '500', active: '1' });
      assert.equal(res.status, 302, res.status === 302 ? '' : alertText(res.html));
      return (await env.api.sections.list(root, ib)).find((s) => s.code === code)!;
    };
    const lamps = await add('Lamps', 'lamps');
    const desk = await add('Desk lamps', 'desk', String(lamps.id));
    const led = await add('LED', 'led', String(desk.id));
    const chairs = await add('Chairs', 'chairs');
    const tree = await page(env.admin, `${base}/sections/`);
    assert.equal(tree.status, 200);
    assert.match(tree.html, /Lamps[\s\S]*<ul>[\s\S]*Desk lamps[\s\S]*<ul>[\s\S]*LED/, 'nested lists show the depth');
    assert.match(tree.html, /lamps\/desk\/led/);

    const form = await page(env.admin, `${base}/sections/${desk.id}/`);
    assert.doesNotMatch(form.html, new RegExp(`<option value="${led.id}"`), 'a section cannot move below itself');
    const moved = await submit(env.admin, `${base}/sections/${desk.id}/`, { name: 'Desk lamps', code: 'desk', parentId: String(chairs.id), sort: '5', active: '1' });
    assert.equal(moved.status, 302);
    assert.equal((await env.api.sections.get(root, led.id)).codePath, 'chairs/desk/led', 'the subtree moved along');
    const loop = await submit(env.admin, `${base}/sections/${chairs.id}/`, { name: 'Chairs', code: 'chairs', parentId: String(led.id), active: '1' });
    assert.equal(loop.status, 400);
    assert.match(alertText(loop.html), /cannot move into itself or its descendant/);
    const noName = await submit(env.admin, `${base}/sections/new/`, { name: ' ', code: 'x' });
    assert.equal(noName.status, 400);
    assert.match(alertText(noName.html), /name is required/);

    const confirm = await page(env.admin, `${base}/sections/${chairs.id}/delete/`);
    assert.match(confirm.html, /and its 2 subsection/);
    assert.equal((await submit(env.admin, `${base}/sections/${chairs.id}/delete/`)).status, 302);
    assert.deepEqual((await env.api.sections.list(root, ib)).map((s) => s.code), ['lamps']);
  });

  it('has every message of every screen in English and Russian (no raw keys)', async () => {
    const price = (await env.api.properties.list(root, ib)).find((p) => p.code === 'PRICE')!;
    const lamps = (await env.api.sections.list(root, ib))[0]!;
    const el = await env.api.elements.add(root, ib, { name: 'Лампа', properties: { TITLE2: 'x' } });
    const screens = [
      '/admin/infoblocks/', '/admin/infoblocks/types/', `/admin/infoblocks/types/${env.typeId}/`, '/admin/infoblocks/new/', `${base}/settings/`,
      `${base}/delete/`, `${base}/properties/`, `${base}/properties/new/?type=list`, `${base}/properties/${price.id}/`, `${base}/properties/${price.id}/delete/`,
      `${base}/sections/`, `${base}/sections/new/`, `${base}/sections/${lamps.id}/`, `${base}/sections/${lamps.id}/delete/`,
      `${base}/elements/?f_PRICE_from=1`, `${base}/elements/new/`, `${base}/elements/${el.id}/`, `${base}/elements/${el.id}/delete/`,
    ];
    try {
      for (const language of ['en', 'ru']) {
        await env.t.kernel.sites.update('s1', { language });
        for (const path of screens) {
          const { status, html } = await page(env.admin, path);
          assert.equal(status, 200, `${language} ${path}`);
          assert.doesNotMatch(html, /\b(IBA|ADM)_[A-Z0-9_]+/, `${language} ${path} shows a raw message key`);
          if (language === 'ru') assert.match(html, /Инфоблоки/, `${path} is in Russian`);
        }
      }
    } finally {
      await env.t.kernel.sites.update('s1', { language: 'en' });
      await env.api.elements.delete(root, el.id);
    }
  });

  it('gives a user with R on the infoblock read-only screens and 403 on changes', async () => {
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    await env.api.iblocks.setRights(root, ib, { [viewers.id]: 'R' });
    const lamps = (await env.api.sections.list(root, ib))[0]!;
    const price = (await env.api.properties.list(root, ib)).find((p) => p.code === 'PRICE')!;
    const props = await page(env.viewer, `${base}/properties/`);
    assert.equal(props.status, 200);
    assert.doesNotMatch(props.html, /Add a property/);
    const propForm = await page(env.viewer, `${base}/properties/${price.id}/`);
    assert.match(propForm.html, /<fieldset disabled>/);
    const sections = await page(env.viewer, `${base}/sections/`);
    assert.doesNotMatch(sections.html, /Add a section/);
    assert.equal((await page(env.viewer, `${base}/properties/new/`)).status, 403);
    assert.equal((await page(env.viewer, `${base}/sections/new/`)).status, 403);
    for (const [path, form] of [
      [`${base}/properties/new/`, { code: 'SNEAKY', name: 'Sneaky', type: 'string' }],
      [`${base}/properties/${price.id}/`, { name: 'Cost' }],
      [`${base}/properties/${price.id}/delete/`, {}],
      [`${base}/sections/new/`, { name: 'Sneaky' }],
      [`${base}/sections/${lamps.id}/`, { name: 'Renamed', code: 'lamps' }],
      [`${base}/sections/${lamps.id}/delete/`, {}],
    ] as const) {
      assert.equal((await submit(env.viewer, path, form)).status, 403, `POST ${path}`);
    }
    assert.equal((await env.api.properties.list(root, ib)).find((p) => p.id === price.id)!.name, 'Price');
    assert.equal((await env.api.sections.get(root, lamps.id)).name, 'Lamps');
    await env.api.iblocks.setRights(root, ib, {});
    assert.equal((await page(env.viewer, `${base}/sections/`)).status, 403, 'no level on the infoblock: 403');
    await assertCsrfRequired(env.admin, `${base}/sections/new/`, { name: 'No token' });
    await assertCsrfRequired(env.admin, `${base}/properties/new/`, { code: 'NOTOKEN', name: 'No token', type: 'string' });
  });
});
