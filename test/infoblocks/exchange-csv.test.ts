import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { exportElementsCsv, type CsvExportOptions } from '../../modules/infoblocks/exchange/export-csv.js';
import { importElementsCsv, type CsvImportOptions } from '../../modules/infoblocks/exchange/import-csv.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

/** The same infoblock, properties, sections and user on a portal (no elements). */
async function structure(f: IbFixture): Promise<number> {
  const { api } = f;
  const ib = await api.iblocks.add(admin, { typeId: f.typeId, code: 'catalog', name: 'Catalogue' });
  await api.properties.add(admin, ib.id, { code: 'PRICE', name: 'Price', type: 'number', filterable: true });
  await api.properties.add(admin, ib.id, { code: 'COLOR', name: 'Color', type: 'list', multiple: true, enums: [{ value: 'Red', xmlId: 'red' }, { value: 'Blue | dark', xmlId: 'blue' }] });
  await api.properties.add(admin, ib.id, { code: 'WORDS', name: 'Words', type: 'string', multiple: true });
  await api.properties.add(admin, ib.id, { code: 'DAY', name: 'Day', type: 'date' });
  await api.properties.add(admin, ib.id, { code: 'AT', name: 'At', type: 'datetime' });
  await api.properties.add(admin, ib.id, { code: 'DOC', name: 'Doc', type: 'file' });
  await api.properties.add(admin, ib.id, { code: 'REL', name: 'Related', type: 'element', multiple: true, linkIblockId: ib.id });
  await api.properties.add(admin, ib.id, { code: 'SEC', name: 'Sec', type: 'section', linkIblockId: ib.id });
  await api.properties.add(admin, ib.id, { code: 'OWNER', name: 'Owner', type: 'user' });
  await api.properties.add(admin, ib.id, { code: 'NOTE', name: 'Note', type: 'html' });
  const lamps = await api.sections.add(admin, ib.id, { name: 'Lamps', code: 'lamps' });
  await api.sections.add(admin, ib.id, { name: 'Desk', code: 'desk', parentId: lamps.id });
  await api.sections.add(admin, ib.id, { name: 'Chairs', code: 'chairs' });
  await f.t.kernel.users.create({ login: 'jdoe', email: 'jdoe@example.com', password: 'password-123' });
  return ib.id;
}

async function content(f: IbFixture, ibId: number): Promise<void> {
  const { api, t } = f;
  const sections = new Map((await api.sections.list(admin, ibId)).map((s) => [s.codePath, s.id]));
  const prop = new Map((await api.properties.list(admin, ibId)).map((p) => [p.code, p]));
  const doc = await t.kernel.files.save({ module: 'infoblocks', name: 'spec sheet.txt', mimeType: 'text/plain', buffer: Buffer.from('line1\nпривет, "мир"') });
  const pic = await t.kernel.files.save({ module: 'infoblocks', name: 'p.png', mimeType: 'image/png', buffer: Buffer.from([137, 80, 78, 71, 0, 255]) });
  const jdoe = (await t.kernel.users.findByLogin('jdoe'))!;
  const [red, blue] = prop.get('COLOR')!.enums.map((e) => e.id);
  const first = await api.elements.add(admin, ibId, {
    name: 'Lamp "A", big', code: 'lamp-a', xmlId: 'e-1', sectionIds: [sections.get('lamps/desk')!, sections.get('lamps')!], tags: ['x', 'y z'],
    previewPicture: pic.id, previewText: 'Line\r\nbreak, "quoted"', detailText: '<p>Hi</p>', detailTextType: 'html', activeFrom: '2026-01-02T03:04:05Z', sort: 10,
    properties: { PRICE: 12.5, COLOR: [blue!, red!], WORDS: ['a|b', 'back\\slash', 'plain'], DAY: '2026-02-28', AT: '2026-01-01T10:00:00Z', DOC: doc.id, SEC: sections.get('chairs')!, OWNER: jdoe.id, NOTE: '<b>bold</b>' },
  });
  const second = await api.elements.add(admin, ibId, { name: 'Second', xmlId: 'e-2', active: false, properties: { REL: [first.id] } });
  await api.elements.add(admin, ibId, { name: 'Only code', code: 'only-code', properties: { REL: [second.id], DOC: doc.id } });
  await api.elements.update(admin, first.id, { properties: { REL: [second.id] } });
}

async function exportCsv(f: IbFixture, opts: CsvExportOptions = {}): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportElementsCsv(f.t.kernel, admin, 'catalog', out, opts);
  return Buffer.concat(chunks).toString('utf8');
}

const importCsv = (f: IbFixture, csv: string, opts: Partial<CsvImportOptions> = {}) => importElementsCsv(f.t.kernel, admin, Readable.from([csv]), { iblock: 'catalog', ...opts });
const rejectsWith = (code: string, re: RegExp) => (err: { code?: string; message?: string }) => {
  assert.equal(err.code, code, err.message);
  assert.match(err.message!, re);
  return true;
};

describeEachDb('infoblocks CSV export and import', (kind) => {
  let a: IbFixture;
  let b: IbFixture;
  let dirA: string;
  let dirB: string;
  let csv: string;
  before(async () => {
    [a, b] = await Promise.all([bootInfoblocks(kind), bootInfoblocks(kind)]);
    await content(a, await structure(a));
    await structure(b);
    dirA = mkdtempSync(path.join(os.tmpdir(), 'ib-csv-a-'));
    dirB = mkdtempSync(path.join(os.tmpdir(), 'ib-csv-b-'));
    csv = await exportCsv(a, { filesDir: dirA });
  });
  after(async () => {
    await Promise.all([a?.t.close(), b?.t.close()]);
    for (const d of [dirA, dirB]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('exports one header row, escaped cells, list values by xml_id, sections by code path, users by login, files by path', () => {
    const lines = csv.split('\n');
    assert.equal(lines[0], 'XML_ID,CODE,NAME,ACTIVE,ACTIVE_FROM,ACTIVE_TO,SORT,PREVIEW_TEXT,PREVIEW_TEXT_TYPE,DETAIL_TEXT,DETAIL_TEXT_TYPE,PREVIEW_PICTURE,DETAIL_PICTURE,TAGS,SECTIONS,PROPERTY_PRICE,PROPERTY_COLOR,PROPERTY_WORDS,PROPERTY_DAY,PROPERTY_AT,PROPERTY_DOC,PROPERTY_REL,PROPERTY_SEC,PROPERTY_OWNER,PROPERTY_NOTE');
    assert.ok(csv.includes('e-1,lamp-a,"Lamp ""A"", big",Y,2026-01-02T03:04:05.000Z,,10,"Line\r\nbreak, ""quoted""",text,<p>Hi</p>,html,files/'));
    assert.match(csv, /,x\|y z,lamps\|lamps\/desk,12\.5,blue\|red,a\\\|b\|back\\\\slash\|plain,2026-02-28,2026-01-01T10:00:00\.000Z,files\/[0-9a-f]{16}\/spec sheet\.txt,xml:e-2,chairs,jdoe,<b>bold<\/b>\n/);
    assert.match(csv, new RegExp(`\n,only-code,Only code,Y,,,500,,text,,text${','.repeat(10)}files/[0-9a-f]{16}/spec sheet\\.txt,xml:e-2,,,\n`));
    const file = /files\/[0-9a-f]{16}\/spec sheet\.txt/.exec(csv)![0];
    assert.equal(readFileSync(path.join(dirA, file), 'utf8'), 'line1\nпривет, "мир"');
  });

  it('a dry run checks every row and writes nothing', async () => {
    const report = await importCsv(b, csv, { dryRun: true, filesDir: dirA });
    assert.deepEqual({ ...report }, { dryRun: true, iblock: 'catalog', rows: 3, created: 3, updated: 0, filesStored: 0, sectionsCreated: 0 });
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    assert.equal((await b.api.elements.list(admin, ib.id)).total, 0);
    assert.equal((await b.t.kernel.files.listByModule('infoblocks')).length, 0);
  });

  it('round-trips into an empty infoblock of another portal to identical CSV', async () => {
    const progress: number[] = [];
    const report = await importCsv(b, csv, { filesDir: dirA, batchSize: 2, onProgress: (p) => progress.push(p.rows) });
    assert.deepEqual([report.created, report.updated, report.filesStored], [3, 0, 2]);
    assert.deepEqual(progress, [2, 3]);
    assert.equal(await exportCsv(b, { filesDir: dirB }), csv);
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    const first = (await b.api.elements.list(admin, ib.id, { filter: { '=XML_ID': 'e-1' } })).items[0]!;
    assert.equal(first.properties.OWNER, (await b.t.kernel.users.findByLogin('jdoe'))!.id, 'login mapped to the local user id');
  });

  it('importing again updates instead of duplicating, and stores no file twice', async () => {
    const files = (await b.t.kernel.files.listByModule('infoblocks')).length;
    const report = await importCsv(b, csv, { filesDir: dirA });
    assert.deepEqual([report.created, report.updated, report.filesStored], [0, 3, 0]);
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    assert.equal((await b.api.elements.list(admin, ib.id)).total, 3);
    assert.equal((await b.t.kernel.files.listByModule('infoblocks')).length, files);
    assert.equal(await exportCsv(b, { filesDir: dirB }), csv);
  });

  it('a file with some columns changes only those', async () => {
    await importCsv(b, 'XML_ID,PROPERTY_PRICE\ne-1,99\n');
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    const el = (await b.api.elements.list(admin, ib.id, { filter: { '=XML_ID': 'e-1' } })).items[0]!;
    assert.equal(el.properties.PRICE, 99);
    assert.equal(el.name, 'Lamp "A", big');
    assert.deepEqual(el.properties.COLOR, (await b.api.properties.list(admin, ib.id)).find((p) => p.code === 'COLOR')!.enums.map((e) => e.id).reverse());
  });

  it('a key repeated in the file: the later row updates the element the earlier one created', async () => {
    const report = await importCsv(b, 'XML_ID,NAME,PROPERTY_PRICE\nd-1,first,1\nd-2,other,2\nd-1,second,3\n');
    assert.deepEqual([report.rows, report.created, report.updated], [3, 2, 1]);
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    const list = await b.api.elements.list(admin, ib.id, { filter: { '=XML_ID': 'd-1' } });
    assert.deepEqual(list.items.map((e) => [e.name, e.properties.PRICE]), [['second', 3]]);
    for (const e of (await b.api.elements.list(admin, ib.id, { filter: { '@XML_ID': ['d-1', 'd-2'] } })).items) await b.api.elements.delete(admin, e.id);
  });

  it('bad rows are errors naming the line and column', async () => {
    const cases: [string, string, RegExp][] = [
      ['XML_ID,NAME,COLOUR\n', 'EXCHANGE_INVALID', /^line 1, column 3 \(COLOUR\): unknown column/],
      ['XML_ID,NAME,PROPERTY_NOPE\n', 'EXCHANGE_INVALID', /^line 1, column 3 \(PROPERTY_NOPE\): the infoblock has no property "NOPE"/],
      ['XML_ID,NAME,NAME\n', 'EXCHANGE_INVALID', /^line 1, column 3 \(NAME\): the column appears twice/],
      ['XML_ID,NAME,PROPERTY_PRICE\nn-1,ok,1\nn-2,bad,cheap\n', 'PROPERTY_VALUE_INVALID', /^line 3, column 3 \(PROPERTY_PRICE\): Property "PRICE" \(number\): "cheap" is not a number$/],
      ['XML_ID,NAME,PROPERTY_COLOR\nn-1,ok,red|green\n', 'EXCHANGE_INVALID', /^line 2, column 3 \(PROPERTY_COLOR\): Property "COLOR" has no value "green"/],
      ['XML_ID,NAME,SECTIONS\nn-1,ok,lamps/nope\n', 'EXCHANGE_INVALID', /^line 2, column 3 \(SECTIONS\): section "lamps\/nope" does not exist$/],
      ['XML_ID,NAME,PROPERTY_OWNER\nn-1,ok,ghost\n', 'EXCHANGE_INVALID', /^line 2, column 3 \(PROPERTY_OWNER\): user "ghost" does not exist$/],
      ['XML_ID,NAME,PROPERTY_WORDS\nn-1,ok,a\\xb\n', 'EXCHANGE_INVALID', /^line 2, column 3 \(PROPERTY_WORDS\): "\\x" is not an escape/],
      ['XML_ID,NAME,SORT\nn-1,,1\n', 'ELEMENT_INPUT_INVALID', /^line 2, column 2 \(NAME\): name is required$/],
      ['XML_ID,NAME,ACTIVE_FROM\nn-1,"multi\nline",someday\n', 'ELEMENT_INPUT_INVALID', /^line 2, column 3 \(ACTIVE_FROM\): activeFrom must be a date\/time/],
      ['XML_ID,NAME\n"n-1,x\n', 'EXCHANGE_INVALID', /^line \d+: malformed CSV: /],
      ['XML_ID,NAME\nn-1,x,y\n', 'EXCHANGE_INVALID', /^line 2: malformed CSV: Invalid Record Length/],
      ['XML_ID,NAME,PROPERTY_DOC\nn-1,x,../../etc/passwd\n', 'EXCHANGE_INVALID', /^line 2, column 3 \(PROPERTY_DOC\): file "..\/..\/etc\/passwd" is outside the files folder$/],
      ['', 'EXCHANGE_INVALID', /^The file is empty/],
    ];
    for (const [text, code, re] of cases) await assert.rejects(importCsv(b, text, { filesDir: dirA }), rejectsWith(code, re));
    // Element links may point further down the file, so they are checked once every row is read: a dry run finds them.
    await assert.rejects(importCsv(b, 'XML_ID,NAME,PROPERTY_REL\nn-1,ok,xml:ghost\nn-2,ok,xml:n-3\nn-3,ok,\n', { dryRun: true }), rejectsWith('PROPERTY_VALUE_INVALID', /^line 2, column 3 \(PROPERTY_REL\): element "xml:ghost" does not exist$/));
    const multiLine = 'XML_ID,NAME,PROPERTY_PRICE\nn-1,"two\nlines",1\n\nn-2,x,oops\n';
    await assert.rejects(importCsv(b, multiLine, { dryRun: true }), rejectsWith('PROPERTY_VALUE_INVALID', /^line 5, column 3 /));
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    assert.equal((await b.api.elements.list(admin, ib.id)).total, 3, 'no bad row wrote anything');
  });

  it('createSections creates the missing sections along each code path once; a dry run only counts them', async () => {
    const text = 'XML_ID,NAME,SECTIONS\ns-1,one,lamps/floor|garden\ns-2,two,garden/tools/small\ns-3,three,lamps/desk\n';
    await assert.rejects(importCsv(b, text), rejectsWith('EXCHANGE_INVALID', /^line 2, column 3 \(SECTIONS\): section "lamps\/floor" does not exist$/));
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    const before = (await b.api.sections.list(admin, ib.id)).length;
    const dry = await importCsv(b, text, { createSections: true, dryRun: true });
    assert.deepEqual([dry.sectionsCreated, dry.created, (await b.api.sections.list(admin, ib.id)).length], [4, 3, before]);
    const report = await importCsv(b, text, { createSections: true });
    assert.deepEqual([report.sectionsCreated, report.created], [4, 3]);
    const sections = await b.api.sections.list(admin, ib.id);
    const byPath = new Map(sections.map((s) => [s.codePath, s]));
    assert.deepEqual(['lamps/floor', 'garden', 'garden/tools', 'garden/tools/small'].map((p) => byPath.get(p)?.name), ['floor', 'garden', 'tools', 'small']);
    assert.equal(byPath.get('garden/tools/small')!.parentId, byPath.get('garden/tools')!.id);
    const two = (await b.api.elements.list(admin, ib.id, { filter: { '=XML_ID': 's-2' } })).items[0]!;
    assert.deepEqual(two.sectionIds, [byPath.get('garden/tools/small')!.id]);
    const again = await importCsv(b, text, { createSections: true });
    assert.deepEqual([again.sectionsCreated, again.updated, (await b.api.sections.list(admin, ib.id)).length], [0, 3, sections.length]);
    await assert.rejects(importCsv(b, 'XML_ID,NAME,SECTIONS\ns-4,four,lamps/bad code\n', { createSections: true }), rejectsWith('EXCHANGE_INVALID', /^line 2, column 3 \(SECTIONS\): section "lamps\/bad code" cannot be created: "bad code" is not a valid code/));
  });

  it('an error in a later batch stops there and says how many rows before it were imported', async () => {
    const text = 'XML_ID,NAME,PROPERTY_PRICE\nb-1,one,1\nb-2,two,2\nb-3,three,x\n';
    await assert.rejects(importCsv(b, text, { batchSize: 2 }), rejectsWith('PROPERTY_VALUE_INVALID', /^line 4, column 3 \(PROPERTY_PRICE\): .* \(import stopped; the 2 rows before it are imported, and importing the fixed file again updates them\)$/));
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    assert.equal((await b.api.elements.list(admin, ib.id, { filter: { '@XML_ID': ['b-1', 'b-2', 'b-3'] } })).total, 2);
    const fixed = await importCsv(b, text.replace('three,x', 'three,3'), { batchSize: 2 });
    assert.deepEqual([fixed.created, fixed.updated], [1, 2]);
  });

  it('files stored for rows a failed import never wrote are deleted again; written rows keep theirs', async () => {
    const file = /files\/[0-9a-f]{16}\/spec sheet\.txt/.exec(csv)![0];
    const stored = async () => (await b.t.kernel.files.listByModule('infoblocks')).length;
    const before = await stored();
    const text = `XML_ID,NAME,PROPERTY_DOC,PROPERTY_PRICE\nr-1,one,${file},1\nr-2,two,${file},x\n`;
    await assert.rejects(importCsv(b, text, { filesDir: dirA }), rejectsWith('PROPERTY_VALUE_INVALID', /^line 3, column 4 /));
    assert.equal(await stored(), before, 'the batch wrote nothing, so its file went again');
    await assert.rejects(importCsv(b, text, { filesDir: dirA, batchSize: 1 }), rejectsWith('PROPERTY_VALUE_INVALID', /^line 3, column 4 /));
    const ib = await b.api.iblocks.getByCode(admin, 'catalog');
    const one = (await b.api.elements.list(admin, ib.id, { filter: { '=XML_ID': 'r-1' } })).items[0]!;
    assert.equal(await stored(), before + 1, 'the written row keeps its file');
    assert.equal((await b.t.kernel.files.get(one.properties.DOC as number)).name, 'spec sheet.txt');
  });

  it('streams a larger infoblock page by page in id order', async () => {
    const ib = await a.api.iblocks.getByCode(admin, 'catalog');
    const items = Array.from({ length: 1200 }, (_, i) => ({ name: `Bulk ${i}`, xmlId: `bulk-${String(i).padStart(4, '0')}`, properties: { PRICE: i, WORDS: [`w${i}`] } }));
    for (let i = 0; i < items.length; i += 500) await a.api.elements.importBatch(admin, ib.id, items.slice(i, i + 500));
    const seen: number[] = [];
    const text = await exportCsv(a, { filesDir: dirA, pageSize: 500, onProgress: (p) => seen.push(p.done) });
    assert.deepEqual(seen, [500, 1000, 1203]);
    const xmlIds = text.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]).filter((x) => x!.startsWith('bulk-'));
    assert.deepEqual(xmlIds, items.map((i) => i.xmlId));
  });
});
