import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

const notFound = (e: { code?: string; status?: number }) => e.code === 'ELEMENT_NOT_FOUND' && e.status === 404;

describeEachDb('infoblocks element by code (detail page)', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  let sectionId: number;
  before(async () => {
    f = await bootInfoblocks(kind);
    const ib = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'shop', name: 'Shop', detailUrl: '#SITE_DIR#shop/#SECTION_CODE_PATH#/#ELEMENT_CODE#/' });
    iblockId = ib.id;
    await f.api.properties.add(admin, iblockId, { code: 'PRICE', name: 'Price', type: 'number', filterable: true });
    await f.api.properties.add(admin, iblockId, { code: 'TAGS', name: 'Tags', type: 'string', multiple: true });
    const lamps = await f.api.sections.add(admin, iblockId, { name: 'Lamps', code: 'lamps' });
    sectionId = (await f.api.sections.add(admin, iblockId, { name: 'Desk', code: 'desk', parentId: lamps.id })).id;
  });
  after(async () => f?.t.close());

  it('returns the element with its properties, sections and detail URL', async () => {
    const added = await f.api.elements.add(admin, iblockId, { name: 'Desk lamp', code: 'desk-lamp', sectionIds: [sectionId], properties: { PRICE: 42.5, TAGS: ['led', 'usb'] } });
    const reader = await f.t.kernel.users.principalOf(await f.t.kernel.users.create({ login: 'reader', email: 'reader@example.com', password: 'reader pass 42' }));
    const el = await f.api.elements.getByCode(reader, iblockId, 'desk-lamp');
    assert.equal(el.id, added.id);
    assert.equal(el.properties.PRICE, 42.5);
    assert.deepEqual(el.properties.TAGS, ['led', 'usb']);
    assert.deepEqual(el.sectionIds, [sectionId]);
    assert.equal(el.detailUrl, '/shop/lamps/desk/desk-lamp/');
    assert.ok(el.createdAt instanceof Date, 'dates are revived from the cache');
    assert.deepEqual(await f.api.elements.getByCode(reader, iblockId, 'desk-lamp'), el, 'a cached hit equals the first answer');
  });

  it('keeps a code with "/", "?" or "#" inside one URL segment', async () => {
    const el = await f.api.elements.add(admin, iblockId, { name: 'Odd', code: 'a/b?c#d', sectionIds: [sectionId] });
    assert.equal(el.detailUrl, '/shop/lamps/desk/a%2Fb%3Fc%23d/');
    assert.equal((await f.api.elements.getByCode(admin, iblockId, decodeURIComponent('a%2Fb%3Fc%23d'))).id, el.id);
  });

  it('is three lookups by code run at once: no count, no list query', async () => {
    await f.api.elements.add(admin, iblockId, { name: 'Floor lamp', code: 'floor-lamp', sectionIds: [sectionId] });
    const seen: string[] = [];
    const listener = (q: { sql: string }) => void seen.push(q.sql);
    f.t.kernel.mainKnex.on('query', listener);
    try {
      await f.api.elements.getByCode(admin, iblockId, 'floor-lamp');
    } finally {
      f.t.kernel.mainKnex.removeListener('query', listener);
    }
    // The row, its multiple values and its section bindings, each found through the (iblock_id, code) index.
    assert.equal(seen.length, 3, seen.join('\n'));
    assert.ok(seen.every((sql) => /[`"]iblock_id[`"] = \? and [`"](e[`"]\.[`"])?code[`"] = \?/i.test(sql)), seen.join('\n'));
    assert.ok(!seen.some((sql) => /count\(/i.test(sql)), seen.join('\n'));
  });

  it('picks the lowest sort, then the lowest id, when codes repeat; unknown codes are a 404', async () => {
    await f.api.elements.add(admin, iblockId, { name: 'Twin B', code: 'twin', sort: 200 });
    const a = await f.api.elements.add(admin, iblockId, { name: 'Twin A', code: 'twin', sort: 100 });
    await f.api.elements.add(admin, iblockId, { name: 'Twin C', code: 'twin', sort: 100 });
    assert.equal((await f.api.elements.getByCode(admin, iblockId, 'twin')).id, a.id);
    await assert.rejects(f.api.elements.getByCode(admin, iblockId, 'no-such-code'), notFound);
  });

  it('follows changes (the cached answer is dropped) and checks read rights', async () => {
    const el = await f.api.elements.add(admin, iblockId, { name: 'Old', code: 'old-code' });
    assert.equal((await f.api.elements.getByCode(admin, iblockId, 'old-code')).name, 'Old');
    await assert.rejects(f.api.elements.getByCode(admin, iblockId, 'new-code'), notFound);
    await f.api.elements.update(admin, el.id, { code: 'new-code', name: 'New' });
    await assert.rejects(f.api.elements.getByCode(admin, iblockId, 'old-code'), notFound);
    assert.equal((await f.api.elements.getByCode(admin, iblockId, 'new-code')).name, 'New');
    const nobody = { userId: null, groupIds: [], isAdmin: false };
    await assert.rejects(f.api.elements.getByCode(nobody, iblockId, 'new-code'), (e: { code?: string }) => e.code === 'ACCESS_DENIED');
  });
});
