import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

const code = (err: unknown) => (err as { code?: string }).code;

describeEachDb('infoblocks model and storage', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  before(async () => {
    f = await bootInfoblocks(kind);
    const ib = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'news', name: 'News', detailUrl: '#SITE_DIR#/news/#SECTION_CODE_PATH#/#ELEMENT_CODE#/' });
    iblockId = ib.id;
  });
  after(async () => f.t.close());

  it('creates per-infoblock property tables and a column per single-value property', async () => {
    const db = f.t.kernel.db('infoblocks');
    assert.ok(await db.hasTable(`p${iblockId}_s`));
    assert.ok(await db.hasTable(`p${iblockId}_m`));
    const p = await f.api.properties.add(admin, iblockId, { code: 'PRICE', name: 'Price', type: 'number', filterable: true });
    assert.ok(await db.schema.hasColumn(db.table(`p${iblockId}_s`), `p${p.id}`));
    const m = await f.api.properties.add(admin, iblockId, { code: 'COLORS', name: 'Colors', type: 'string', multiple: true });
    assert.equal(await db.schema.hasColumn(db.table(`p${iblockId}_s`), `p${m.id}`), false);
    await f.api.properties.update(admin, iblockId, 'PRICE', { filterable: false });
    await f.api.properties.update(admin, iblockId, 'PRICE', { filterable: true });
    const tmp = await f.api.properties.add(admin, iblockId, { code: 'TMP', name: 'Tmp', type: 'string', filterable: true });
    await f.api.properties.delete(admin, iblockId, 'TMP');
    assert.equal(await db.schema.hasColumn(db.table(`p${iblockId}_s`), `p${tmp.id}`), false);
  });

  it('stores every property type with defaults and validates with coded errors', async () => {
    const api = f.api;
    const list = await api.properties.add(admin, iblockId, { code: 'KIND', name: 'Kind', type: 'list', enums: [{ value: 'Red', xmlId: 'red' }, { value: 'Blue', xmlId: 'blue', isDefault: true }] });
    await api.properties.add(admin, iblockId, { code: 'DAY', name: 'Day', type: 'date' });
    await api.properties.add(admin, iblockId, { code: 'AT', name: 'At', type: 'datetime' });
    await api.properties.add(admin, iblockId, { code: 'BODY', name: 'Body', type: 'html' });
    await api.properties.add(admin, iblockId, { code: 'TITLE2', name: 'Subtitle', type: 'string', defaultValue: 'none' });
    await api.properties.add(admin, iblockId, { code: 'REL', name: 'Related', type: 'element', multiple: true, linkIblockId: iblockId });
    const file = await f.t.kernel.files.save({ module: 'infoblocks', name: 'a.txt', buffer: Buffer.from('hi') });
    await api.properties.add(admin, iblockId, { code: 'DOC', name: 'Doc', type: 'file' });
    await api.properties.add(admin, iblockId, { code: 'OWNER', name: 'Owner', type: 'user' });
    const first = await api.elements.add(admin, iblockId, { name: 'First', code: 'first' });
    const e = await api.elements.add(admin, iblockId, {
      name: 'Second',
      code: 'second',
      xmlId: 'x-2',
      tags: 'a, b ,a',
      detailText: '<p onclick="x()">Hi<script>alert(1)</script></p>',
      detailTextType: 'html',
      properties: { PRICE: '12.5', COLORS: ['red', 'green'], DAY: '2026-02-28', AT: '2026-01-01T10:00:00Z', BODY: '<b>ok</b><img src=x onerror=alert(1)>', REL: [first.id], DOC: file.id },
    });
    assert.equal(e.properties.PRICE, 12.5);
    assert.deepEqual(e.properties.COLORS, ['red', 'green']);
    assert.equal(e.properties.KIND, list.enums.find((x) => x.isDefault)!.id);
    assert.equal(e.properties.TITLE2, 'none');
    assert.equal(e.properties.DAY, '2026-02-28');
    assert.equal(e.properties.AT, Date.parse('2026-01-01T10:00:00Z'));
    assert.equal(e.properties.BODY, '<b>ok</b><img src="x" />');
    assert.deepEqual(e.properties.REL, [first.id]);
    assert.equal(e.properties.DOC, file.id);
    assert.equal(e.detailText, '<p>Hi</p>');
    assert.deepEqual(e.tags, ['a', 'b']);
    const bad: [Record<string, unknown>, string][] = [
      [{ PRICE: 'abc' }, 'PROPERTY_VALUE_INVALID'],
      [{ KIND: 99999 }, 'PROPERTY_VALUE_INVALID'],
      [{ DAY: '2026-02-30' }, 'PROPERTY_VALUE_INVALID'],
      [{ REL: [987654] }, 'PROPERTY_VALUE_INVALID'],
      [{ DOC: 987654 }, 'PROPERTY_VALUE_INVALID'],
      [{ OWNER: 987654 }, 'PROPERTY_VALUE_INVALID'],
      [{ PRICE: [1, 2] }, 'PROPERTY_NOT_MULTIPLE'],
      [{ NOPE: 1 }, 'PROPERTY_UNKNOWN'],
    ];
    for (const [properties, expected] of bad) {
      await assert.rejects(api.elements.add(admin, iblockId, { name: 'x', properties }), (err) => code(err) === expected && (err as { status: number }).status === 400, JSON.stringify(properties));
    }
    await api.properties.update(admin, iblockId, 'OWNER', { required: true });
    await assert.rejects(api.elements.add(admin, iblockId, { name: 'x' }), (err) => code(err) === 'PROPERTY_REQUIRED' && /OWNER/.test((err as Error).message));
    await api.properties.update(admin, iblockId, 'OWNER', { required: false });
    await assert.rejects(api.elements.add(admin, iblockId, { name: '' }), (err) => code(err) === 'ELEMENT_INPUT_INVALID');
    await assert.rejects(api.properties.add(admin, iblockId, { code: 'Z', name: 'z', type: 'blob' as never }), (err) => code(err) === 'PROPERTY_INPUT_INVALID');
    const updated = await api.elements.update(admin, e.id, { properties: { COLORS: ['blue'] }, name: 'Second!' });
    assert.deepEqual(updated.properties.COLORS, ['blue']);
    assert.equal(updated.properties.PRICE, 12.5);
    assert.equal(updated.name, 'Second!');
  });

  it('keeps a section tree with paths, moves subtrees and fills URL templates', async () => {
    const s = f.api.sections;
    const a = await s.add(admin, iblockId, { name: 'A', code: 'a' });
    const a1 = await s.add(admin, iblockId, { name: 'A1', code: 'a1', parentId: a.id });
    const a11 = await s.add(admin, iblockId, { name: 'A11', code: 'a11', parentId: a1.id });
    const b = await s.add(admin, iblockId, { name: 'B', code: 'b' });
    assert.equal(a11.codePath, 'a/a1/a11');
    assert.equal(a11.depth, 3);
    assert.deepEqual((await s.subtreeIds(a.id)).sort((x, y) => x - y), [a.id, a1.id, a11.id]);
    await assert.rejects(s.update(admin, a.id, { parentId: a11.id }), (err) => code(err) === 'SECTION_MOVE_INVALID');
    await s.update(admin, a1.id, { parentId: b.id });
    assert.equal((await s.get(admin, a11.id)).codePath, 'b/a1/a11');
    assert.deepEqual((await s.subtreeIds(b.id)).sort((x, y) => x - y), [a1.id, a11.id, b.id].sort((x, y) => x - y));
    assert.deepEqual((await s.list(admin, iblockId)).map((x) => x.name), ['A', 'B', 'A1', 'A11']);
    const el = await f.api.elements.add(admin, iblockId, { name: 'Deep', code: 'deep', sectionIds: [a11.id] });
    assert.equal(el.detailUrl, '/news/b/a1/a11/deep/');
    const inB = await f.api.elements.list(admin, iblockId, { filter: { SECTION_ID: b.id, INCLUDE_SUBSECTIONS: true } });
    assert.deepEqual(inB.items.map((x) => x.id), [el.id]);
    assert.equal((await f.api.elements.list(admin, iblockId, { filter: { SECTION_ID: b.id } })).total, 0);
    await s.delete(admin, a1.id);
    assert.deepEqual((await f.api.elements.get(admin, el.id)).sectionIds, []);
    await assert.rejects(s.get(admin, a11.id), (err) => code(err) === 'SECTION_NOT_FOUND');
  });

  it('deletes an infoblock with its tables', async () => {
    const ib = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'tmp', name: 'Tmp' });
    await f.api.properties.add(admin, ib.id, { code: 'N', name: 'N', type: 'number' });
    await f.api.elements.add(admin, ib.id, { name: 'x', properties: { N: 1 } });
    await f.api.iblocks.delete(admin, ib.id);
    assert.equal(await f.t.kernel.db('infoblocks').hasTable(`p${ib.id}_s`), false);
    await assert.rejects(f.api.iblocks.get(admin, ib.id), (err) => code(err) === 'IBLOCK_NOT_FOUND');
    await assert.rejects(f.api.iblocks.add(admin, { typeId: f.typeId, code: 'news', name: 'Dup' }), (err) => code(err) === 'IBLOCK_CODE_TAKEN');
  });
});
