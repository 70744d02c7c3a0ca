import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { projectRoot } from '../../core/config/paths.js';
import { detectEncoding, decodeText } from '../../modules/cloudimport/read/encoding.js';
import { parseCsv, parseHtmlTable } from '../../modules/cloudimport/read/table.js';
import { openSource, type DumpSource } from '../../modules/cloudimport/read/source.js';
import { bool, date, day, isEmpty, ref, refs, set } from '../../modules/cloudimport/read/values.js';
import { PortalError } from '../../core/errors/portal-error.js';

const FIXTURES = path.join(projectRoot, 'test/fixtures/cloudimport');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

async function rowsOf(src: DumpSource, entity: Parameters<DumpSource['rows']>[0]) {
  const out = [];
  for await (const r of src.rows(entity)) out.push(r);
  return out;
}

/** Zips the files of a flat folder (yazl), under `prefix` inside the archive. */
export async function zipDir(dir: string, out: string, prefix = ''): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const name of readdirSync(dir)) zip.addFile(path.join(dir, name), prefix + name);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject));
}

async function rejectsWithCode(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof PortalError && err.code === code && message.test(err.message));
}

describe('cloud import: readers', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'cloudimport-read-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('encodings', () => {
    it('takes valid UTF-8 as UTF-8, with or without a BOM', () => {
      assert.equal(detectEncoding(fixture('users-bom.csv'), 'x'), 'utf8');
      assert.equal(detectEncoding(Buffer.from('ID;Имя;\n1;Иван;', 'utf8'), 'x'), 'utf8');
      assert.equal(decodeText(fixture('users-bom.csv'), 'x').charCodeAt(0), '"'.charCodeAt(0), 'the BOM is dropped');
    });
    it('detects windows-1251 without a BOM by its Cyrillic bytes', () => {
      assert.equal(detectEncoding(fixture('users-cp1251.csv'), 'x'), 'cp1251');
      assert.match(decodeText(fixture('users-cp1251.csv'), 'x'), /"Ёжик";"Туманов"/);
    });
    it('refuses bytes that are neither with a coded error naming the file', () => {
      const junk = Buffer.from([0x49, 0x44, 0x3b, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x83, 0x0a]);
      assert.throws(() => detectEncoding(junk, 'odd.csv'), (err: unknown) => err instanceof PortalError && err.code === 'CLOUD_UNKNOWN_ENCODING' && /odd\.csv/.test(err.message));
    });
  });

  describe('UI exports', () => {
    it('reads the CSV export: quoted cells, ";" with a trailing ";", Russian titles to field codes, cp1251', () => {
      const rows = parseCsv(fixture('users-cp1251.csv'), 'users.csv');
      assert.equal(rows.length, 3);
      assert.deepEqual(rows[0], { ID: '11', NAME: 'Иван', LAST_NAME: 'Петров', EMAIL: 'ivan.petrov@example.com', ACTIVE: 'Y', WORK_POSITION: 'Бухгалтер', UF_DEPARTMENT: '2', PERSONAL_BIRTHDAY: '31.12.1980' });
      assert.deepEqual(parseCsv(fixture('users-bom.csv'), 'users.csv'), rows, 'the UTF-8 file with a BOM reads the same');
    });
    it('reads an HTML table saved as .xls, entities decoded, <br> as a new line', () => {
      const rows = parseHtmlTable(fixture('contacts.xls'), 'contacts.xls');
      assert.equal(rows.length, 2);
      assert.equal(rows[0]!.PHONE, '+15454777777');
      assert.equal(rows[0]!.COMPANY_ID, '2909');
      assert.equal(rows[1]!.NAME, 'Tom & Jerry');
      assert.equal(rows[1]!.LAST_NAME, "O'Brien");
      assert.equal(rows[1]!.EMAIL, 'tom@example.com\ntom2@example.com');
    });
    it('refuses a table without an ID column and an .xls that is not HTML', () => {
      assert.throws(() => parseCsv(Buffer.from('"A";"B";\n"1";"2";\n'), 'x.csv'), /no ID column/);
      assert.throws(() => parseHtmlTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 'real.xls'), (e: unknown) => e instanceof PortalError);
    });
  });

  describe('values', () => {
    it('reads dates in ISO with offsets, the English and Russian locale forms, and {}', () => {
      assert.equal(date('2024-07-25T13:06:54+03:00')!.toISOString(), '2024-07-25T10:06:54.000Z');
      assert.equal(date('2024-07-25T13:06:54Z')!.toISOString(), '2024-07-25T13:06:54.000Z');
      assert.equal(date('12/31/2024 11:59:59 pm', 'UTC')!.toISOString(), '2024-12-31T23:59:59.000Z');
      assert.equal(date('01/02/2024 12:05:00 am', 'UTC')!.toISOString(), '2024-01-02T00:05:00.000Z');
      assert.equal(date('31.12.2024 23:59:59', 'Europe/Moscow')!.toISOString(), '2024-12-31T20:59:59.000Z');
      assert.equal(date('2024-08-29 10:30:11', 'America/Sao_Paulo')!.toISOString(), '2024-08-29T13:30:11.000Z');
      for (const empty of [{}, '', null, [], undefined]) assert.equal(date(empty), null);
      for (const bad of ['yesterday', '13/45/2024', '31.02.2024', 42]) assert.equal(date(bad), undefined, String(bad));
    });
    it('takes a calendar day as written', () => {
      assert.equal(day('2018-07-14T00:00:00+00:00'), '2018-07-14');
      assert.equal(day('31.12.1980'), '1980-12-31');
      assert.equal(day('12/31/1990 11:59:59 pm'), '1990-12-31');
      assert.equal(day({}), null);
    });
    it('reads booleans, empties, references and sets in every spelling', () => {
      for (const t of [true, 'Y', 'true', '1']) assert.equal(bool(t), true);
      for (const f of [false, 'N', 'false', '0', '']) assert.equal(bool(f, true), false);
      for (const e of ['', null, {}, []]) assert.equal(isEmpty(e), true);
      assert.equal(isEmpty('0'), false, '"0" is a value (REVENUE)...');
      assert.equal(ref('0'), null, '...but no reference');
      assert.equal(ref([1]), '1');
      assert.equal(ref(''), null);
      assert.deepEqual(set({ 3743: '1269', 3745: '1271' }), ['1269', '1271']);
      assert.deepEqual(set([]), []);
      assert.deepEqual(refs('9,11,13'), ['9', '11', '13']);
      assert.deepEqual(refs([1, '2', 0, '']), ['1', '2']);
    });
  });

  describe('dumps', () => {
    it('reads a dump folder: the manifest, JSON lines per entity, bad lines as row errors', async () => {
      const src = await openSource(path.join(FIXTURES, 'dump'));
      assert.equal(src.manifest.timeZone, 'Europe/Moscow');
      assert.ok(src.entities().indexOf('departments') < src.entities().indexOf('users'));
      const users = await rowsOf(src, 'users');
      assert.deepEqual(users[0]!.row!.TIMESTAMP_X, {});
      const deals = await rowsOf(src, 'crm_deals');
      assert.deepEqual(deals.map((d) => d.error ?? d.row!.ID), ['410', '411', 'line 3 is not JSON']);
      await src.close();
    });
    it('streams the same dump from a zip, also when it sits in a folder inside', async () => {
      const zipped = path.join(tmp, 'dump.zip');
      await zipDir(path.join(FIXTURES, 'dump'), zipped, 'acme-export/');
      const src = await openSource(zipped);
      const fromZip = await rowsOf(src, 'crm_contacts');
      await src.close();
      const dir = await openSource(path.join(FIXTURES, 'dump'));
      assert.deepEqual(fromZip, await rowsOf(dir, 'crm_contacts'));
    });
    it('reads single UI exports and a folder of them, naming the entity by the file name', async () => {
      const src = await openSource(path.join(FIXTURES, 'contacts.xls'));
      assert.deepEqual(src.entities(), ['crm_contacts']);
      assert.equal((await rowsOf(src, 'crm_contacts')).length, 2);
      const folder = path.join(tmp, 'ui');
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'users.csv'), fixture('users-cp1251.csv'));
      writeFileSync(path.join(folder, 'contacts.xls'), fixture('contacts.xls'));
      assert.deepEqual((await openSource(folder)).entities(), ['users', 'crm_contacts']);
    });
    it('refuses a dump of another shape, a corrupt zip, a missing path, a nameless file', async () => {
      const other = path.join(tmp, 'other');
      mkdirSync(other);
      writeFileSync(path.join(other, 'manifest.json'), JSON.stringify({ format: 'portal-backup', version: 3 }));
      await rejectsWithCode(openSource(other), 'CLOUD_NOT_A_DUMP', /format "portal-backup"/);
      const empty = path.join(tmp, 'empty');
      mkdirSync(empty);
      await rejectsWithCode(openSource(empty), 'CLOUD_NOT_A_DUMP', /no manifest\.json/);
      const bad = path.join(tmp, 'bad.zip');
      writeFileSync(bad, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
      await rejectsWithCode(openSource(bad), 'CLOUD_ZIP_CORRUPT', /bad\.zip/);
      await rejectsWithCode(openSource(path.join(tmp, 'nope')), 'CLOUD_SOURCE_MISSING', /nope/);
      writeFileSync(path.join(tmp, 'export.csv'), 'x');
      await rejectsWithCode(openSource(path.join(tmp, 'export.csv')), 'CLOUD_NOT_A_DUMP', /does not say which entity/);
    });
    it('fails a damaged entry inside a zip with the coded error', async () => {
      const zipped = path.join(tmp, 'cut.zip');
      await zipDir(path.join(FIXTURES, 'dump'), zipped);
      const buf = readFileSync(zipped);
      const at = buf.indexOf(Buffer.from('users.jsonl')) + 40;
      for (let i = at; i < at + 30; i++) buf[i] = buf[i]! ^ 0xff;
      writeFileSync(zipped, buf);
      const src = await openSource(zipped);
      await rejectsWithCode(rowsOf(src, 'users'), 'CLOUD_ZIP_CORRUPT', /cut\.zip/);
      await src.close();
    });
  });
});
