import assert from 'node:assert/strict';
import { exportIblockXml } from '../../modules/infoblocks/exchange/export-xml.js';
import { importIblockXml } from '../../modules/infoblocks/exchange/import-xml.js';
import type { ImportProgress } from '../../modules/infoblocks/exchange/import-types.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

/** Fills an infoblock with every kind of data the format carries. */
async function seed(f: IbFixture): Promise<void> {
  const { api } = f;
  const ib = await api.iblocks.add(admin, { typeId: f.typeId, code: 'catalog', name: 'Catalogue & "more"', detailUrl: '#SITE_DIR#/c/#SECTION_CODE_PATH#/#ELEMENT_CODE#/', listUrl: '/c/', workflow: false });
  await api.properties.add(admin, ib.id, { code: 'PRICE', name: 'Price', type: 'number', filterable: true });
  await api.properties.add(admin, ib.id, { code: 'COLOR', name: 'Color', type: 'list', multiple: true, enums: [{ value: 'Red <1>', xmlId: 'red' }, { value: 'Blue', xmlId: 'blue', isDefault: true }] });
  await api.properties.add(admin, ib.id, { code: 'DAY', name: 'Day', type: 'date' });
  await api.properties.add(admin, ib.id, { code: 'AT', name: 'At', type: 'datetime' });
  await api.properties.add(admin, ib.id, { code: 'DOC', name: 'Doc', type: 'file' });
  await api.properties.add(admin, ib.id, { code: 'REL', name: 'Related', type: 'element', multiple: true, linkIblockId: ib.id });
  await api.properties.add(admin, ib.id, { code: 'SEC', name: 'Sec', type: 'section' });
  const lamps = await api.sections.add(admin, ib.id, { name: 'Lamps', code: 'lamps', xmlId: 's-lamps' });
  const desk = await api.sections.add(admin, ib.id, { name: 'Desk', code: 'desk', parentId: lamps.id });
  const doc = await f.t.kernel.files.save({ module: 'infoblocks', name: 'spec.txt', mimeType: 'text/plain', buffer: Buffer.from('line1\nпривет & <b>') });
  const pic = await f.t.kernel.files.save({ module: 'infoblocks', name: 'p.png', mimeType: 'image/png', buffer: Buffer.from([137, 80, 78, 71, 0, 255]) });
  const first = await api.elements.add(admin, ib.id, {
    name: 'Lamp "A" & B', code: 'lamp-a', xmlId: 'e-1', sectionIds: [desk.id, lamps.id], tags: 'x,y', previewPicture: pic.id,
    previewText: 'Line\r\nbreak\t<tab>', detailText: '<p>Hi</p>', detailTextType: 'html', activeFrom: '2026-01-02T03:04:05Z',
    properties: { PRICE: 12.5, COLOR: [], DAY: '2026-02-28', AT: '2026-01-01T10:00:00Z', DOC: doc.id, SEC: desk.id },
  });
  const second = await api.elements.add(admin, ib.id, { name: 'Second', xmlId: 'e-2', active: false, properties: { REL: [first.id] } });
  await api.elements.update(admin, first.id, { properties: { REL: [second.id] } });
}

describeEachDb('infoblocks XML export and import', (kind) => {
  let a: IbFixture;
  let b: IbFixture;
  let xml: string;
  before(async () => {
    [a, b] = await Promise.all([bootInfoblocks(kind), bootInfoblocks(kind)]);
    await seed(a);
    xml = await exportIblockXml(a.t.kernel, admin, 'catalog');
  });
  after(async () => Promise.all([a?.t.close(), b?.t.close()]));

  it('exports a documented, escaped format with properties, enums, sections, elements and files', () => {
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<infoblock-export version="1">/);
    assert.match(xml, /<name>Catalogue &amp; &quot;more&quot;<\/name>/);
    assert.match(xml, /<enum xml-id="red" sort="10" default="N">Red &lt;1&gt;<\/enum>/);
    assert.match(xml, /<section key="path:lamps\/desk" parent="xml:s-lamps"/);
    assert.match(xml, /<value property="COLOR" enum="blue">Blue<\/value>/);
    assert.match(xml, /<file name="spec.txt" mime="text\/plain">/);
    assert.match(xml, /<value property="REL" element="xml:e-2"\/>/);
    assert.match(xml, /Line&#13;\nbreak\t&lt;tab&gt;/);
  });

  it('a dry run reports what would be created and writes nothing', async () => {
    const report = await importIblockXml(b.t.kernel, admin, xml, { dryRun: true });
    assert.deepEqual({ ...report.elements }, { created: 2, updated: 0, unchanged: 0 });
    assert.equal(report.sections.created, 2);
    assert.equal(report.properties.created, 7);
    await assert.rejects(b.api.iblocks.getByCode(admin, 'catalog'), (err) => (err as { code: string }).code === 'IBLOCK_NOT_FOUND');
  });

  it('round-trips into a fresh database to identical XML, with progress', async () => {
    const seen: ImportProgress[] = [];
    const report = await importIblockXml(b.t.kernel, admin, xml, { onProgress: (p) => seen.push(p) });
    assert.equal(report.iblock.action, 'created');
    assert.deepEqual(seen.filter((p) => p.phase === 'elements').map((p) => p.done), [1, 2]);
    const again = await exportIblockXml(b.t.kernel, admin, 'catalog');
    assert.equal(again, xml);
  });

  it('re-importing creates no duplicates and updates only what changed', async () => {
    const same = await importIblockXml(b.t.kernel, admin, xml);
    assert.deepEqual([same.iblock.action, same.properties, same.sections, same.elements], ['unchanged', { created: 0, updated: 0, unchanged: 7 }, { created: 0, updated: 0, unchanged: 2 }, { created: 0, updated: 0, unchanged: 2 }]);
    const changed = xml.replace('<name>Second</name>', '<name>Second v2</name>').replaceAll('>Blue<', '>Navy<');
    const dry = await importIblockXml(b.t.kernel, admin, changed, { dryRun: true });
    assert.deepEqual(dry.elements, { created: 0, updated: 1, unchanged: 1 });
    const r = await importIblockXml(b.t.kernel, admin, changed);
    assert.equal(r.properties.updated, 1);
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    const list = await b.api.elements.list(admin, ib.id, { order: { ID: 'ASC' } });
    assert.deepEqual(list.items.map((e) => e.name), ['Lamp "A" & B', 'Second v2']);
    assert.equal((await b.api.sections.list(admin, ib.id)).length, 2);
    assert.equal((await b.t.kernel.files.listByModule('infoblocks')).length, 2);
    assert.equal(await exportIblockXml(b.t.kernel, admin, 'catalog'), changed);
  });

  it('files stored for elements a failed import never wrote are deleted again', async () => {
    const files = async () => (await b.t.kernel.files.listByModule('infoblocks')).length;
    const before = await files();
    // A new element (its files are stored afresh) whose price is no number: the batch fails after the files are stored.
    const broken = xml.replace('xml-id="e-1"', 'xml-id="e-9"').replace(/(<value property="PRICE">)12\.5</, '$1cheap<');
    assert.ok(broken.includes('xml-id="e-9"') && broken.includes('>cheap<'));
    await assert.rejects(importIblockXml(b.t.kernel, admin, broken), (err) => (err as { code: string }).code === 'PROPERTY_VALUE_INVALID');
    assert.equal(await files(), before);
  });

  it('malformed or foreign XML is a 400 EXCHANGE_INVALID naming the problem', async () => {
    for (const [input, re] of [['<infoblock-export version="1"><iblock>', /not closed/], ['<a/>', /root element is <a>/], ['<x>&bogus;</x>', /unknown entity/]] as const) {
      await assert.rejects(importIblockXml(b.t.kernel, admin, input), (err) => (err as { code: string }).code === 'EXCHANGE_INVALID' && re.test((err as Error).message));
    }
  });
});
