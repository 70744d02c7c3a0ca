import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertOneLineError, installedPortalPair, ok, runCli, withPortalKernel, type CliPortal } from './cli-harness.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

// Module-provided commands: `portal infoblocks export|import`, mounted from the module's manifest.
describeEachDb('portal infoblocks export/import (CLI)', (kind) => {
  let source: CliPortal;
  let target: CliPortal;
  before(async () => {
    [source, target] = await installedPortalPair(kind, ['infoblocks']);
    await withPortalKernel(source.env, async (kernel) => {
      const api = kernel.api('infoblocks');
      const type = (await api.iblocks.listTypes())[0] ?? (await api.iblocks.addType(SYSTEM, { code: 'content', names: { en: 'Content', ru: 'Контент' } }));
      const ib = await api.iblocks.add(SYSTEM, { typeId: type.id, code: 'news', name: 'News', listUrl: '/news/', workflow: false });
      const topic = await api.properties.add(SYSTEM, ib.id, { code: 'TOPIC', name: 'Topic', type: 'list', enums: [{ value: 'Общее', xmlId: 'general' }] });
      const section = await api.sections.add(SYSTEM, ib.id, { name: 'Company', code: 'company', xmlId: 's-company' });
      await api.elements.add(SYSTEM, ib.id, { name: 'Новый офис', xmlId: 'n-1', sectionIds: [section.id], properties: { TOPIC: topic.enums[0]!.id } });
    });
  });
  after(async () => {
    await source?.cleanup();
    await target?.cleanup();
  });

  it('is listed in `portal --help`', async () => {
    assert.match(ok(await runCli(['--help'], source.env)), /infoblocks\s+infoblocks: XML and CSV export and import/);
  });

  it('exports, imports into another portal (dry run first) and re-exports the same XML', async () => {
    const file = path.join(source.dir, 'news.xml');
    ok(await runCli(['infoblocks', 'export', 'news', '--out', file], source.env));
    const xml = readFileSync(file, 'utf8');
    assert.match(xml, /Новый офис/);

    const dry = JSON.parse(ok(await runCli(['infoblocks', 'import', file, '--dry-run', '--json'], target.env))) as { dryRun: boolean; elements: { created: number } };
    assert.equal(dry.dryRun, true);
    assert.equal(dry.elements.created, 1);
    assertOneLineError(await runCli(['infoblocks', 'export', 'news'], target.env), /Infoblock .*news.* does not exist/);

    assert.match(ok(await runCli(['infoblocks', 'import', file], target.env)), /elements:\s+1 created/);
    assert.equal(ok(await runCli(['infoblocks', 'export', 'news'], target.env)).trimEnd(), xml.trimEnd(), 'round trip through the CLI loses nothing');
    assert.match(ok(await runCli(['infoblocks', 'import', file], target.env)), /elements:\s+0 created, 0 updated, 1 unchanged/);
  });

  it('sweep-files reports and deletes infoblock files no element uses', async () => {
    await withPortalKernel(source.env, async (kernel) => {
      await kernel.files.save({ module: 'infoblocks', name: 'orphan.txt', buffer: Buffer.from('nobody uses me') });
    });
    assert.equal(ok(await runCli(['infoblocks', 'sweep-files', '--older-than', '0', '--dry-run'], source.env)).trim(), 'Dry run, nothing deleted: 1 unused files (14 bytes) would be deleted');
    assert.equal(ok(await runCli(['infoblocks', 'sweep-files', '--older-than', '0'], source.env)).trim(), '1 unused files (14 bytes); 1 deleted');
    assert.deepEqual(JSON.parse(ok(await runCli(['infoblocks', 'sweep-files', '--older-than', '0', '--json'], source.env))), { dryRun: false, files: 0, bytes: 0, deleted: 0 });
    assertOneLineError(await runCli(['infoblocks', 'sweep-files', '--older-than', 'soon'], source.env), /--older-than must be a number of hours, 0 or more, not "soon"/);
  });

  it('bad input is one readable line and a non-zero exit', async () => {
    assertOneLineError(await runCli(['infoblocks', 'import', '/nonexistent/file.xml'], target.env), /file "\/nonexistent\/file\.xml" does not exist/);
    const broken = path.join(target.dir, 'broken.xml');
    writeFileSync(broken, '<infoblock-export version="1"><iblock>');
    assertOneLineError(await runCli(['infoblocks', 'import', broken], target.env), /Malformed XML: .*not closed/);
  });
});
