import assert from 'node:assert/strict';
import { exportIblockXml } from '../../modules/infoblocks/exchange/export-xml.js';
import { importIblockXml } from '../../modules/infoblocks/exchange/import-xml.js';
import type { ImportProgress } from '../../modules/infoblocks/exchange/import-types.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

// The XML import writes elements through importBatch; these cover what a small file does not: users by login,
// files spanning several batches, keys repeated in one file.
describeEachDb('infoblocks XML import in batches', (kind) => {
  let a: IbFixture;
  let b: IbFixture;
  let xml: string;
  const COUNT = 1100;
  before(async () => {
    [a, b] = await Promise.all([bootInfoblocks(kind), bootInfoblocks(kind)]);
    for (const f of [a, b]) await f.t.kernel.users.create({ login: 'Editor.One', email: 'e1@example.com', password: 'password-123' });
    await a.t.kernel.users.create({ login: 'only-here', email: 'oh@example.com', password: 'password-123' });
    const ib = await a.api.iblocks.add(admin, { typeId: a.typeId, code: 'big', name: 'Big' });
    await a.api.properties.add(admin, ib.id, { code: 'AUTHOR', name: 'Author', type: 'user' });
    await a.api.properties.add(admin, ib.id, { code: 'N', name: 'N', type: 'number' });
    await a.api.properties.add(admin, ib.id, { code: 'NEXT', name: 'Next', type: 'element', linkIblockId: ib.id });
    const author = (await a.t.kernel.users.findByLogin('Editor.One'))!.id;
    const items = Array.from({ length: COUNT }, (_, i) => ({ name: `E${i}`, xmlId: `e${i}`, properties: { AUTHOR: author, N: i } }));
    const { ids } = await a.api.elements.importBatch(admin, ib.id, items.slice(0, 600));
    ids.push(...(await a.api.elements.importBatch(admin, ib.id, items.slice(600))).ids);
    // Each element links to the next one: forward references across batches.
    await a.api.elements.importBatch(admin, ib.id, ids.slice(0, -1).map((_, i) => ({ name: `E${i}`, xmlId: `e${i}`, properties: { NEXT: ids[i + 1] } })));
    xml = await exportIblockXml(a.t.kernel, admin, 'big');
  });
  after(async () => Promise.all([a?.t.close(), b?.t.close()]));

  it('exports user values as logins', () => {
    assert.match(xml, /<value property="AUTHOR" user="Editor.One"\/>/);
    assert.doesNotMatch(xml, /<value property="AUTHOR">\d+<\/value>/);
  });

  it('imports a file larger than one batch into another portal: logins mapped, links set, same XML back', async () => {
    const seen: ImportProgress[] = [];
    const report = await importIblockXml(b.t.kernel, admin, xml, { onProgress: (p) => seen.push(p) });
    assert.deepEqual(report.elements, { created: COUNT, updated: 0, unchanged: 0 });
    const elementProgress = seen.filter((p) => p.phase === 'elements');
    assert.equal(elementProgress.length, COUNT);
    assert.deepEqual(elementProgress.at(-1), { phase: 'elements', done: COUNT, total: COUNT });
    const ib = await b.api.iblocks.getByCode(admin, 'big');
    const first = (await b.api.elements.list(admin, ib.id, { filter: { '=XML_ID': 'e0' } })).items[0]!;
    assert.equal(first.properties.AUTHOR, (await b.t.kernel.users.findByLogin('editor.one'))!.id);
    assert.equal((await b.api.elements.get(admin, first.properties.NEXT as number)).xmlId, 'e1');
    assert.equal(await exportIblockXml(b.t.kernel, admin, 'big'), xml);
    const again = await importIblockXml(b.t.kernel, admin, xml);
    assert.deepEqual(again.elements, { created: 0, updated: 0, unchanged: COUNT });
  });

  it('a key repeated in one file updates the element its first occurrence created', async () => {
    const twice = xml.replace('</elements>', '<element xml-id="e0" active="Y" sort="500"><name>E0 again</name></element>\n  </elements>');
    const report = await importIblockXml(b.t.kernel, admin, twice);
    assert.deepEqual(report.elements, { created: 0, updated: 1, unchanged: COUNT });
    const ib = await b.api.iblocks.getByCode(admin, 'big');
    const list = await b.api.elements.list(admin, ib.id, { filter: { '=XML_ID': 'e0' } });
    assert.deepEqual(list.items.map((e) => e.name), ['E0 again']);
  });

  it('an unknown login is a 400 naming the element and the login', async () => {
    const ghost = xml.replace('user="Editor.One"', 'user="only-here"');
    await assert.rejects(importIblockXml(b.t.kernel, admin, ghost), (err: { code?: string; message?: string }) => err.code === 'EXCHANGE_INVALID' && /Element "e0": user "only-here" of property "AUTHOR" does not exist/.test(err.message!));
  });

  it('a bad value names the element, not its position in a batch', async () => {
    const broken = xml.replace('<value property="N">5</value>', '<value property="N">five</value>');
    await assert.rejects(importIblockXml(b.t.kernel, admin, broken), (err: { code?: string; message?: string }) => err.code === 'PROPERTY_VALUE_INVALID' && /^Element "e5": Property "N" \(number\): "five" is not a number$/.test(err.message!));
  });
});
