import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../core/kernel.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertOneLineError, installedPortalPair, ok, runCli, withPortalKernel, type CliPortal } from './cli-harness.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

/** Infoblock "news" with a list, a multiple string and a file property, and one section. */
async function structure(kernel: Kernel): Promise<number> {
  const api = kernel.api('infoblocks');
  const type = (await api.iblocks.listTypes())[0] ?? (await api.iblocks.addType(SYSTEM, { code: 'content', names: { en: 'Content', ru: 'Контент' } }));
  const ib = await api.iblocks.add(SYSTEM, { typeId: type.id, code: 'news', name: 'News' });
  await api.properties.add(SYSTEM, ib.id, { code: 'TOPIC', name: 'Topic', type: 'list', enums: [{ value: 'Общее', xmlId: 'general' }] });
  await api.properties.add(SYSTEM, ib.id, { code: 'KEYWORDS', name: 'Keywords', type: 'string', multiple: true });
  await api.properties.add(SYSTEM, ib.id, { code: 'ATTACHMENT', name: 'Attachment', type: 'file' });
  await api.sections.add(SYSTEM, ib.id, { name: 'Company', code: 'company' });
  return ib.id;
}

// `portal infoblocks export --format csv` and `portal infoblocks import <file.csv> --iblock <code>`.
describeEachDb('portal infoblocks CSV export/import (CLI)', (kind) => {
  let source: CliPortal;
  let target: CliPortal;
  before(async () => {
    [source, target] = await installedPortalPair(kind, ['infoblocks']);
    await withPortalKernel(source.env, async (kernel) => {
      const api = kernel.api('infoblocks');
      const id = await structure(kernel);
      const [topic] = (await api.properties.list(SYSTEM, id)).filter((p) => p.code === 'TOPIC');
      const section = (await api.sections.list(SYSTEM, id))[0]!;
      const file = await kernel.files.save({ module: 'infoblocks', name: 'plan.txt', buffer: Buffer.from('Plan, v2') });
      await api.elements.add(SYSTEM, id, { name: 'Новый офис, "этаж 3"', xmlId: 'n-1', sectionIds: [section.id], properties: { TOPIC: topic!.enums[0]!.id, KEYWORDS: ['office', 'move|2026'], ATTACHMENT: file.id } });
      await api.elements.add(SYSTEM, id, { name: 'Second', xmlId: 'n-2', properties: { KEYWORDS: [] } });
    });
    await withPortalKernel(target.env, structure);
  });
  after(async () => {
    await source?.cleanup();
    await target?.cleanup();
  });

  it('exports CSV with files, dry-runs and imports it into another portal, and re-exports the same CSV', async () => {
    const file = path.join(source.dir, 'news.csv');
    assert.match(ok(await runCli(['infoblocks', 'export', 'news', '--format', 'csv', '--out', file], source.env)), /2 elements written to .*news\.csv, 1 files to /);
    const csv = readFileSync(file, 'utf8');
    assert.match(csv, /^XML_ID,CODE,NAME,.*,PROPERTY_TOPIC,PROPERTY_KEYWORDS,PROPERTY_ATTACHMENT\n/);
    assert.match(csv, /n-1,,"Новый офис, ""этаж 3""",Y,.*,company,general,office\|move\\\|2026,files\/[0-9a-f]{16}\/plan\.txt\n/);
    assert.ok(existsSync(path.join(source.dir, /files\/[0-9a-f]{16}\/plan\.txt/.exec(csv)![0])));

    const dry = JSON.parse(ok(await runCli(['infoblocks', 'import', file, '--iblock', 'news', '--dry-run', '--json'], target.env))) as { dryRun: boolean; created: number; filesStored: number };
    assert.deepEqual([dry.dryRun, dry.created, dry.filesStored], [true, 2, 0]);
    assert.match(ok(await runCli(['infoblocks', 'import', file, '--iblock', 'news'], target.env)), /^Infoblock news: 2 rows, 2 created, 0 updated, 1 files stored$/m);
    assert.equal(ok(await runCli(['infoblocks', 'export', 'news', '--format', 'csv', '--files-dir', target.dir], target.env)).trimEnd(), csv.trimEnd(), 'round trip through the CLI (stdout)');
    assert.match(ok(await runCli(['infoblocks', 'import', file, '--iblock', 'news'], target.env)), /2 rows, 0 created, 2 updated, 0 files stored/);
  });

  it('bad input is one readable line naming the line and column, and a non-zero exit', async function () {
    this.timeout(60_000); // five cold starts of the CLI
    const bad = path.join(target.dir, 'bad.csv');
    writeFileSync(bad, 'XML_ID,NAME,PROPERTY_TOPIC\nx-1,Fine,general\nx-2,Broken,unknown-topic\n');
    const [badValue, noIblock, unknownIblock, noFilesDir, badFormat] = await Promise.all([
      runCli(['infoblocks', 'import', bad, '--iblock', 'news'], target.env),
      runCli(['infoblocks', 'import', bad], target.env),
      runCli(['infoblocks', 'import', bad, '--iblock', 'nope'], target.env),
      runCli(['infoblocks', 'export', 'news', '--format', 'csv'], source.env),
      runCli(['infoblocks', 'export', 'news', '--format', 'json'], source.env),
    ]);
    assertOneLineError(badValue, /line 3, column 3 \(PROPERTY_TOPIC\): Property "TOPIC" has no value "unknown-topic"/);
    assertOneLineError(noIblock, /a CSV import needs the infoblock: --iblock <code>/);
    assertOneLineError(unknownIblock, /Infoblock "nope" does not exist/);
    assertOneLineError(noFilesDir, /has files: give a folder to copy them to \(--files-dir\)/);
    assertOneLineError(badFormat, /json/);
  });
});
