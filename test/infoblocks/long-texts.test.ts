import assert from 'node:assert/strict';
import widenLongTexts from '../../modules/infoblocks/migrations/2026-12-02-01-widen-long-texts.js';
import { MAX_TEXT_LENGTH } from '../../modules/infoblocks/validate.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

const code = (err: unknown) => (err as { code?: string }).code;

describeEachDb('infoblocks long texts', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  before(async () => {
    f = await bootInfoblocks(kind);
    iblockId = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'docs', name: 'Docs' })).id;
    await f.api.properties.add(admin, iblockId, { code: 'BODY', name: 'Body', type: 'html' });
    await f.api.properties.add(admin, iblockId, { code: 'PARTS', name: 'Parts', type: 'html', multiple: true });
  });
  after(async () => f.t.close());

  /** A text far over MariaDB's 64 KB TEXT limit, in multi-byte characters. */
  const long = (n: number) => `<p>${'Длинный текст. '.repeat(n)}</p>`;

  it('stores preview/detail texts and HTML values over 64 KB on both databases', async () => {
    const text = long(20_000); // ~300k characters, ~550 KB in UTF-8
    const e = await f.api.elements.add(admin, iblockId, { name: 'Manual', detailText: text, detailTextType: 'html', previewText: 'x'.repeat(200_000), properties: { BODY: text, PARTS: [text, '<b>short</b>'] } });
    const back = await f.api.elements.get(admin, e.id);
    assert.equal(back.detailText, text);
    assert.equal(back.previewText.length, 200_000);
    assert.equal(back.properties.BODY, text);
    assert.deepEqual(back.properties.PARTS, [text, '<b>short</b>']);
  });

  it('refuses texts over the limit with a coded 400, not a database error', async () => {
    const tooLong = 'x'.repeat(MAX_TEXT_LENGTH + 1);
    await assert.rejects(f.api.elements.add(admin, iblockId, { name: 'Big', detailText: tooLong }), (err) => code(err) === 'ELEMENT_INPUT_INVALID');
    await assert.rejects(f.api.elements.add(admin, iblockId, { name: 'Big', properties: { BODY: tooLong } }), (err) => code(err) === 'PROPERTY_VALUE_INVALID');
  });

  if (kind === 'mariadb') {
    it('the migration widens the columns of infoblocks created before it', async () => {
      const db = f.t.kernel.db('infoblocks');
      const body = (await f.api.properties.list(admin, iblockId)).find((p) => p.code === 'BODY')!;
      const columns: [string, string][] = [[db.table('elements'), 'detail_text'], [db.table(`p${iblockId}_s`), `p${body.id}`], [db.table(`p${iblockId}_m`), 'value_text']];
      const typeOf = async (table: string, column: string) => {
        const [rows] = (await db.raw('SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?', [table, column])) as [{ t: string }[]];
        return rows[0]?.t;
      };
      for (const [table, column] of columns) assert.equal(await typeOf(table, column), 'mediumtext', `${table}.${column} on a fresh install`);
      // As an install made before the migration had them (narrowing needs the long texts gone):
      for (const e of (await f.api.elements.list(admin, iblockId)).items) await f.api.elements.delete(admin, e.id);
      for (const [table, column] of columns) await db.raw(`ALTER TABLE ?? MODIFY ?? TEXT ${column === 'detail_text' ? 'NOT NULL' : 'NULL'}`, [table, column]);
      await widenLongTexts.up(db);
      for (const [table, column] of columns) assert.equal(await typeOf(table, column), 'mediumtext', `${table}.${column} after the migration`);
    });
  }
});
