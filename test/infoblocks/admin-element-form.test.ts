import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import type { Property, Section } from '../../modules/infoblocks/types.js';
import { alertText, chosen, inputValues, page, PNG, root, startIbAdminEnv, submitMultipart, unescapeHtml, type IbAdminEnv } from './admin-harness.js';

const MAX_UPLOAD = 200_000;

describeEachDb('infoblocks admin: element form', (kind) => {
  let env: IbAdminEnv;
  let ib: number;
  let base: string;
  let props: Map<string, Property>;
  let lamps: Section;
  let desk: Section;
  let brandId: number;
  const storedFiles = async () => (await env.t.kernel.files.listByModule('infoblocks')).length;
  const enumId = (code: string, value: string) => String(props.get(code)!.enums.find((e) => e.value === value)!.id);

  before(async function () {
    this.timeout(60_000);
    env = await startIbAdminEnv(kind, { uploadMaxBytes: MAX_UPLOAD });
    const brands = await env.api.iblocks.add(root, { typeId: env.typeId, code: 'brands', name: 'Brands' });
    brandId = (await env.api.elements.add(root, brands.id, { name: 'Lumina' })).id;
    ib = (await env.api.iblocks.add(root, { typeId: env.typeId, code: 'shop', name: 'Shop' })).id;
    base = `/admin/infoblocks/${ib}/elements`;
    lamps = await env.api.sections.add(root, ib, { name: 'Lamps', code: 'lamps' });
    desk = await env.api.sections.add(root, ib, { name: 'Desk lamps', code: 'desk', parentId: lamps.id });
    const add = (code: string, type: Property['type'], extra: Record<string, unknown> = {}) => env.api.properties.add(root, ib, { code, name: code[0] + code.slice(1).toLowerCase(), type, ...extra });
    await add('TITLE2', 'string', { required: true });
    await add('PRICE', 'number', { filterable: true });
    await add('COLOR', 'list', { multiple: true, filterable: true, enums: [{ value: 'Red' }, { value: 'Green' }, { value: 'Blue' }] });
    await add('SIZE', 'list', { enums: [{ value: 'S' }, { value: 'M' }, { value: 'L' }] });
    await add('MANUAL', 'file', { multiple: true, filterable: true });
    await add('COVER', 'file');
    await add('BRAND', 'element', { linkIblockId: brands.id });
    await add('SHELF', 'section', { linkIblockId: ib });
    await add('RELEASED', 'date', { filterable: true });
    await add('CHECKED_AT', 'datetime', { filterable: true });
    await add('NOTES', 'html');
    await add('OWNER', 'user', { filterable: true });
    await add('KEYWORDS', 'string', { multiple: true });
    props = new Map((await env.api.properties.list(root, ib)).map((p) => [p.code, p]));
    // Neither UTC nor the process's zone (the suite also runs in America/Sao_Paulo): UTC+10, no DST.
    await env.t.kernel.sites.update('s1', { timeZone: 'Asia/Vladivostok' });
  });
  after(async () => env.close());

  const full = (): [string, string][] => [
    ['name', 'Desk lamp'], ['code', 'desk-lamp'], ['xmlId', 'lamp-1'], ['active', '1'], ['activeFrom', '2026-03-01T09:00'], ['activeTo', ''], ['sort', '10'],
    ['tags', 'light, desk'], ['sections', String(lamps.id)], ['sections', String(desk.id)],
    ['previewText', 'Short & sweet'], ['previewTextType', 'text'], ['detailText', '<p>Bright<script>alert(1)</script></p>'], ['detailTextType', 'html'],
    ['prop_TITLE2', 'Bright one'], ['prop_PRICE', '42.5'], ['prop_COLOR', enumId('COLOR', 'Red')], ['prop_COLOR', enumId('COLOR', 'Blue')], ['prop_SIZE', enumId('SIZE', 'M')],
    ['prop_BRAND', String(brandId)], ['prop_SHELF', String(desk.id)], ['prop_RELEASED', '2026-01-31'], ['prop_CHECKED_AT', '2026-02-01T10:30'],
    ['prop_NOTES', '<b>bold</b><img src=x onerror="alert(1)">'], ['prop_OWNER', 'ivan'], ['prop_KEYWORDS', 'one'], ['prop_KEYWORDS', ''], ['prop_KEYWORDS', 'two'], ['prop_KEYWORDS', ''],
  ];

  it('saves every property type, multiple values, uploads and pictures, and shows them again', async () => {
    const ivan = (await env.t.kernel.users.findByLogin('ivan'))!;
    const res = await submitMultipart(env.admin, `${base}/new/`, full(), [
      { field: 'prop_MANUAL', name: 'manual.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.7 manual') },
      { field: 'prop_MANUAL', name: 'notes.txt', type: 'text/plain', data: Buffer.from('care notes') },
      { field: 'prop_COVER', name: 'cover.png', type: 'image/png', data: PNG },
      { field: 'previewPicture', name: 'preview.png', type: 'image/png', data: PNG },
    ]);
    assert.equal(res.status, 302, res.status === 302 ? '' : alertText(res.html));
    const id = Number(/elements\/(\d+)\/\?done=created$/.exec(res.location ?? '')?.[1]);
    const e = await env.api.elements.get(root, id);
    assert.equal(e.name, 'Desk lamp');
    assert.equal(e.activeFrom?.getTime(), Date.UTC(2026, 1, 28, 23, 0), 'active from is read on the site’s clock (09:00 in Vladivostok)');
    assert.deepEqual(e.tags, ['light', 'desk']);
    assert.deepEqual(e.sectionIds.sort(), [lamps.id, desk.id].sort());
    assert.equal(e.previewText, 'Short & sweet');
    assert.doesNotMatch(e.detailText, /script/, 'HTML text is sanitized by the API');
    assert.ok(e.previewPicture);
    const p = e.properties;
    assert.equal(p.TITLE2, 'Bright one');
    assert.equal(p.PRICE, 42.5);
    assert.deepEqual(p.COLOR, [Number(enumId('COLOR', 'Red')), Number(enumId('COLOR', 'Blue'))]);
    assert.equal(p.SIZE, Number(enumId('SIZE', 'M')));
    assert.equal(p.BRAND, brandId);
    assert.equal(p.SHELF, desk.id);
    assert.equal(p.RELEASED, '2026-01-31');
    assert.equal(p.CHECKED_AT, Date.UTC(2026, 1, 1, 0, 30), 'a datetime property too');
    assert.match(String(p.NOTES), /<b>bold<\/b>/);
    assert.doesNotMatch(String(p.NOTES), /onerror/);
    assert.equal(p.OWNER, ivan.id, 'a login becomes the user id');
    assert.deepEqual(p.KEYWORDS, ['one', 'two'], 'blank extra inputs are ignored');
    const manuals = await Promise.all((p.MANUAL as number[]).map((f) => env.t.kernel.files.get(f)));
    assert.deepEqual(manuals.map((f) => f.name), ['manual.pdf', 'notes.txt']);
    assert.equal((await env.t.kernel.files.get(p.COVER as number)).mimeType, 'image/png');

    const form = await page(env.admin, `${base}/${id}/?done=created`);
    assert.equal(form.status, 200);
    assert.match(form.html, /role="status">Created\./);
    assert.deepEqual(inputValues(form.html, 'activeFrom'), ['2026-03-01T09:00']);
    assert.match(form.html, /<label for="activeFrom">[^<]*<span class="muted">\(Asia\/Vladivostok\)<\/span>/, 'the zone is named at the input');
    assert.deepEqual(inputValues(form.html, 'prop_PRICE'), ['42.5']);
    assert.deepEqual(inputValues(form.html, 'prop_CHECKED_AT'), ['2026-02-01T10:30']);
    assert.deepEqual(inputValues(form.html, 'prop_RELEASED'), ['2026-01-31']);
    assert.deepEqual(inputValues(form.html, 'prop_OWNER'), ['ivan']);
    assert.deepEqual(inputValues(form.html, 'prop_KEYWORDS'), ['one', 'two', '', ''], 'values plus two blank inputs');
    assert.deepEqual(chosen(form.html, 'prop_COLOR'), [enumId('COLOR', 'Red'), enumId('COLOR', 'Blue')]);
    assert.deepEqual(chosen(form.html, 'prop_SIZE'), [enumId('SIZE', 'M')]);
    assert.deepEqual(chosen(form.html, 'prop_BRAND'), [String(brandId)]);
    assert.deepEqual(chosen(form.html, 'prop_SHELF'), [String(desk.id)]);
    assert.deepEqual(chosen(form.html, 'sections').sort(), [String(lamps.id), String(desk.id)].sort());
    assert.deepEqual(chosen(form.html, 'detailTextType'), ['html']);
    assert.deepEqual(inputValues(form.html, 'prop_MANUAL_keep'), (p.MANUAL as number[]).map(String));
    const urlOf = async (id: number) => env.t.kernel.files.url(await env.t.kernel.files.get(id));
    assert.ok(form.html.includes(`href="${await urlOf((p.MANUAL as number[])[0]!)}">manual.pdf</a>`), 'the file links to its keyed URL');
    assert.ok(form.html.includes(`<img src="${await urlOf(e.previewPicture!)}"`));
    assert.match(form.html, /<textarea id="prop-NOTES" name="prop_NOTES"[^>]*>&lt;b&gt;bold&lt;\/b&gt;/, 'HTML is shown escaped in the textarea');

    const list = await page(env.admin, `${base}/`);
    const row = new RegExp(`<tr>[\\s\\S]*?>${id}</td>[\\s\\S]*?</tr>`).exec(list.html)?.[0] ?? '';
    assert.match(row, /Desk lamp/);
    assert.match(row, />42\.5</);
    assert.match(row, /Red, Blue/);
    assert.match(row, /manual\.pdf<\/a>, <a[^>]*>notes\.txt/);
    assert.match(row, /2026-01-31/);
    assert.match(row, /1 Feb 2026, 10:30:00/, 'the list shows it on the site’s clock');
    assert.match(row, />ivan</);
    assert.match(row, /Lamps, Desk lamps|Desk lamps, Lamps/);
  });

  it('keeps, removes and adds files, replaces the single file and removes a picture', async () => {
    const e = (await env.api.elements.list(root, ib, { filter: { '=CODE': 'desk-lamp' } })).items[0]!;
    const [manual, notes] = e.properties.MANUAL as number[];
    const fields = full().filter(([k]) => k !== 'prop_KEYWORDS');
    const res = await submitMultipart(env.admin, `${base}/${e.id}/`, [
      ...fields, ['prop_KEYWORDS', 'three'],
      ['prop_MANUAL_keep', String(manual)], ['prop_MANUAL_keep', String(notes)], ['prop_MANUAL_remove', String(notes)],
      ['prop_COVER_keep', String(e.properties.COVER)], ['previewPictureRemove', '1'],
      // a hidden field cannot attach a file the element does not hold
      ['prop_MANUAL_keep', String(e.previewPicture)],
    ], [
      { field: 'prop_MANUAL', name: 'warranty.txt', type: 'text/plain', data: Buffer.from('two years') },
      { field: 'prop_COVER', name: 'cover2.png', type: 'image/png', data: PNG },
    ]);
    assert.equal(res.status, 302, res.status === 302 ? '' : alertText(res.html));
    const after = await env.api.elements.get(root, e.id);
    const names = await Promise.all((after.properties.MANUAL as number[]).map(async (f) => (await env.t.kernel.files.get(f)).name));
    assert.deepEqual(names, ['manual.pdf', 'warranty.txt']);
    assert.notEqual(after.properties.COVER, e.properties.COVER);
    assert.equal((await env.t.kernel.files.get(after.properties.COVER as number)).name, 'cover2.png');
    assert.equal(after.previewPicture, null);
    assert.deepEqual(after.properties.KEYWORDS, ['three']);
  });

  it('re-renders invalid input with a readable 4xx, the typed values, and no file left behind', async () => {
    const before = await storedFiles();
    const upload = [{ field: 'prop_MANUAL', name: 'kept-out.txt', type: 'text/plain', data: Buffer.from('x') }];
    const swap = (key: string, value: string): [string, string][] => [...full().filter(([k]) => k !== key), [key, value]];
    const cases: [[string, string][], number, RegExp][] = [
      [swap('prop_PRICE', 'cheap'), 400, /"cheap" is not a number/],
      [swap('prop_OWNER', 'nobody'), 400, /no user with the login "nobody"/],
      [swap('prop_CHECKED_AT', 'tomorrow'), 400, /"tomorrow" is not a date and time/],
      [swap('prop_RELEASED', '2026-02-30'), 400, /"2026-02-30" is not a date/],
      [swap('prop_TITLE2', ''), 400, /Property "TITLE2" is required/],
      [swap('activeTo', '2026-01-01T00:00'), 400, /activeTo is before activeFrom/],
      [swap('prop_SHELF', '999999'), 400, /section 999999 does not exist/],
      [swap('sort', 'first'), 400, /sort must be a whole number/],
    ];
    for (const [fields, status, message] of cases) {
      const res = await submitMultipart(env.admin, `${base}/new/`, fields, upload);
      assert.equal(res.status, status, String(message));
      assert.match(alertText(res.html), message);
      assert.deepEqual(inputValues(res.html, 'name'), ['Desk lamp'], 'what was typed stays');
      assert.deepEqual(inputValues(res.html, 'prop_KEYWORDS').slice(0, 2), ['one', 'two']);
    }
    const priceError = await submitMultipart(env.admin, `${base}/new/`, swap('prop_PRICE', 'cheap'));
    assert.match(priceError.html, /id="prop-PRICE" value="cheap" name="prop_PRICE" aria-invalid="true"/, 'the field is marked');
    const notImage = await submitMultipart(env.admin, `${base}/new/`, full(), [{ field: 'previewPicture', name: 'evil.svg', type: 'image/svg+xml', data: Buffer.from('<svg onload="alert(1)"/>') }]);
    assert.equal(notImage.status, 400);
    assert.match(alertText(notImage.html), /"evil\.svg" is not a PNG, JPEG, GIF or WebP image/);
    const tooBig = await submitMultipart(env.admin, `${base}/new/`, full(), [{ field: 'prop_MANUAL', name: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(MAX_UPLOAD + 1000) }]);
    assert.equal(tooBig.status, 413);
    assert.match(unescapeHtml(alertText(tooBig.html)), /larger than the limit of 195\.3 KB/);
    assert.equal(await storedFiles(), before, 'no upload of a refused form is kept');
    assert.equal((await env.api.elements.list(root, ib, {})).total, 1, 'nothing was created');
    const noToken = await submitMultipart(env.admin, `${base}/new/`, full(), [], { csrf: false });
    assert.equal(noToken.status, 403);
    assert.equal((await page(env.admin, `${base}/abc/`)).status, 404);
    assert.equal((await page(env.admin, `${base}/999999/`)).status, 404);
  });

  it('gives R a read-only form and 403 on saving; U saves its own elements inactive and cannot touch others', async () => {
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    const e = (await env.api.elements.list(root, ib, {})).items[0]!;
    await env.api.iblocks.setRights(root, ib, { [viewers.id]: 'R' });
    const form = await page(env.viewer, `${base}/${e.id}/`);
    assert.equal(form.status, 200);
    assert.match(form.html, /<fieldset disabled>/);
    assert.doesNotMatch(form.html, />Save</);
    assert.equal((await page(env.viewer, `${base}/new/`)).status, 403);
    assert.equal((await submitMultipart(env.viewer, `${base}/${e.id}/`, swapName('Hacked'))).status, 403);
    assert.equal((await submitMultipart(env.viewer, `${base}/new/`, swapName('Sneaky'))).status, 403);
    assert.equal((await page(env.viewer, `${base}/${e.id}/delete/`)).status, 403);

    await env.api.iblocks.setRights(root, ib, { [viewers.id]: 'U' });
    const own = await submitMultipart(env.viewer, `${base}/new/`, swapName('Vera lamp'));
    assert.equal(own.status, 302, own.status === 302 ? '' : alertText(own.html));
    const vera = (await env.api.elements.list(root, ib, { filter: { NAME: 'Vera lamp' } })).items[0]!;
    assert.equal(vera.active, false, 'edit-through-workflow saves inactive');
    const ownForm = await page(env.viewer, `${base}/${vera.id}/`);
    assert.match(ownForm.html, /saved inactive until an editor/);
    assert.equal((await submitMultipart(env.viewer, `${base}/${e.id}/`, swapName('Not yours'))).status, 403);
    assert.equal((await env.api.elements.get(root, e.id)).name, 'Desk lamp');
    await env.api.iblocks.setRights(root, ib, {});
  });

  function swapName(name: string): [string, string][] {
    return [...full().filter(([k]) => k !== 'name' && k !== 'code' && k !== 'xmlId'), ['name', name]];
  }
});
