import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import trackElementFiles from '../../modules/infoblocks/migrations/2026-12-02-02-track-element-files.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

describeEachDb('infoblocks element files', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  before(async () => {
    f = await bootInfoblocks(kind);
    iblockId = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'docs', name: 'Docs' })).id;
    await f.api.properties.add(admin, iblockId, { code: 'DOC', name: 'Document', type: 'file' });
    await f.api.properties.add(admin, iblockId, { code: 'ATTACH', name: 'Attachments', type: 'file', multiple: true });
  });
  after(async () => f.t.close());

  let n = 0;
  const save = async (module = 'infoblocks') => (await f.t.kernel.files.save({ module, name: `f${++n}.txt`, buffer: Buffer.from(`file ${n}`) })).id;
  /** Whether the record and the bytes on disk are both there (false only when both are gone). */
  const stored = async (id: number): Promise<boolean> => {
    const file = await f.t.kernel.files.get(id).catch(() => null);
    if (!file) return false;
    assert.ok(existsSync(f.t.kernel.files.absolutePath(file)), `file ${id} has its record but no bytes`);
    return true;
  };
  const candidates = async () => (await f.t.kernel.db('infoblocks').write('file_candidates').pluck('file_id')).map(Number);

  it('deleting an element deletes its pictures and file values', async () => {
    const [pic, doc, a1, a2] = [await save(), await save(), await save(), await save()];
    const e = await f.api.elements.add(admin, iblockId, { name: 'Report', previewPicture: pic, properties: { DOC: doc, ATTACH: [a1, a2] } });
    await f.api.elements.delete(admin, e.id);
    for (const id of [pic, doc, a1, a2]) assert.equal(await stored(id), false, `file ${id}`);
    assert.deepEqual(await candidates(), []);
  });

  it('replacing files deletes the old ones and keeps the new and unchanged ones', async () => {
    const [pic1, pic2, doc1, doc2, keep, drop] = [await save(), await save(), await save(), await save(), await save(), await save()];
    const e = await f.api.elements.add(admin, iblockId, { name: 'Plan', detailPicture: pic1, properties: { DOC: doc1, ATTACH: [keep, drop] } });
    await f.api.elements.update(admin, e.id, { name: 'Plan 2' });
    assert.ok(await stored(pic1) && (await stored(doc1)) && (await stored(drop)), 'a change without files keeps them');
    await f.api.elements.update(admin, e.id, { detailPicture: pic2, properties: { DOC: doc2, ATTACH: [keep] } });
    assert.deepEqual([await stored(pic1), await stored(doc1), await stored(drop)], [false, false, false]);
    assert.deepEqual([await stored(pic2), await stored(doc2), await stored(keep)], [true, true, true]);
    const back = await f.api.elements.get(admin, e.id);
    assert.deepEqual([back.detailPicture, back.properties.DOC, back.properties.ATTACH], [pic2, doc2, [keep]]);
  });

  it('a file two elements use stays until the last one lets it go; other modules\' files are never touched', async () => {
    const shared = await save();
    const foreign = await save('main');
    const a = await f.api.elements.add(admin, iblockId, { name: 'A', previewPicture: shared, properties: { DOC: foreign } });
    const b = await f.api.elements.add(admin, iblockId, { name: 'B', properties: { ATTACH: [shared] } });
    await f.api.elements.delete(admin, a.id);
    assert.equal(await stored(shared), true, 'still an attachment of B');
    assert.equal(await stored(foreign), true, 'stored by the main module');
    await f.api.elements.update(admin, b.id, { properties: { ATTACH: [] } });
    assert.equal(await stored(shared), false);
  });

  it('importBatch updates sweep the files they replace', async () => {
    const [old1, old2, new1] = [await save(), await save(), await save()];
    await f.api.elements.importBatch(admin, iblockId, [{ name: 'X', xmlId: 'x1', previewPicture: old1, properties: { ATTACH: [old2] } }]);
    await f.api.elements.importBatch(admin, iblockId, [{ name: 'X', xmlId: 'x1', previewPicture: new1, properties: { ATTACH: [] } }]);
    assert.deepEqual([await stored(old1), await stored(old2), await stored(new1)], [false, false, true]);
  });

  it('deleting a file property, then the infoblock, deletes their files', async () => {
    const other = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'tmp', name: 'Tmp' })).id;
    await f.api.properties.add(admin, other, { code: 'SCAN', name: 'Scan', type: 'file' });
    await f.api.properties.add(admin, other, { code: 'PAGES', name: 'Pages', type: 'file', multiple: true });
    const [scan, page, pic] = [await save(), await save(), await save()];
    await f.api.elements.add(admin, other, { name: 'Doc', previewPicture: pic, properties: { SCAN: scan, PAGES: [page] } });
    await f.api.properties.delete(admin, other, 'SCAN');
    assert.deepEqual([await stored(scan), await stored(page)], [false, true]);
    await f.api.iblocks.delete(admin, other);
    assert.deepEqual([await stored(page), await stored(pic)], [false, false]);
  });

  it('files.sweepUnused deletes old unused infoblock files only (dry run first), and needs the manage right', async () => {
    const used = await save();
    await f.api.elements.add(admin, iblockId, { name: 'Keeps its file', properties: { DOC: used } });
    const [old1, old2, fresh] = [await save(), await save(), await save()];
    const foreign = await save('main');
    // As files stored before file tracking existed: no candidates recorded, stored two days ago.
    await f.t.kernel.db('main').write('files').whereIn('id', [old1, old2, used, foreign]).update({ created_at: Date.now() - 48 * 3_600_000 });
    const dry = await f.api.files.sweepUnused(admin, { dryRun: true });
    assert.deepEqual({ ...dry }, { dryRun: true, files: 2, bytes: (await f.t.kernel.files.get(old1)).size + (await f.t.kernel.files.get(old2)).size, deleted: 0 });
    assert.ok(await stored(old1));
    const run = await f.api.files.sweepUnused(admin);
    assert.deepEqual([run.files, run.deleted], [2, 2]);
    assert.deepEqual([await stored(old1), await stored(old2), await stored(used), await stored(fresh), await stored(foreign)], [false, false, true, true, true]);
    assert.equal((await f.api.files.sweepUnused(admin, { olderThanHours: 0 })).deleted, 1, 'with no age limit the fresh one goes too');
    await assert.rejects(f.api.files.sweepUnused(admin, { olderThanHours: -1 }), (err) => (err as { code?: string }).code === 'FILE_INPUT_INVALID');
    const reader = { userId: 999, groupIds: [], isAdmin: false };
    await assert.rejects(f.api.files.sweepUnused(reader), (err) => (err as { code?: string }).code === 'ACCESS_DENIED');
  });

  it('the migration indexes file columns of infoblocks made before it, and goes down again', async () => {
    const db = f.t.kernel.db('infoblocks');
    const doc = (await f.api.properties.list(admin, iblockId)).find((p) => p.code === 'DOC')!;
    const indexed = async (table: string, column: string): Promise<boolean> => {
      if (db.dialect === 'mysql') {
        const [rows] = (await db.raw('SHOW INDEX FROM ?? WHERE Column_name = ?', [db.table(table), column])) as [unknown[]];
        return rows.length > 0;
      }
      const list = (await db.raw('SELECT il.name FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii WHERE ii.name = ?', [db.table(table), column])) as unknown[];
      return list.length > 0;
    };
    const state = async () => [await indexed('elements', 'preview_picture'), await indexed(`p${iblockId}_s`, `p${doc.id}`), await db.hasTable('file_candidates')];
    assert.deepEqual(await state(), [true, true, true], 'a fresh install has them');
    await trackElementFiles.down(db);
    assert.deepEqual(await state(), [false, false, false]);
    await trackElementFiles.up(db);
    assert.deepEqual(await state(), [true, true, true]);
  });

  it('the sweep agent deletes candidates a failed sweep left behind, keeping referenced ones', async () => {
    const [orphan, used] = [await save(), await save()];
    await f.api.elements.add(admin, iblockId, { name: 'Used', properties: { DOC: used } });
    // As after a crash between the commit and the sweep: candidates recorded, files still there.
    await f.t.kernel.db('infoblocks').write('file_candidates').insert([orphan, used].map((file_id) => ({ file_id, created_at: Date.now() })));
    await f.t.kernel.agents.runNow('infoblocks', 'files.sweep');
    assert.deepEqual([await stored(orphan), await stored(used)], [false, true]);
    assert.deepEqual(await candidates(), []);
  });
});
