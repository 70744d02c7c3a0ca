import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../../core/config/load-config.js';
import { projectRoot } from '../../core/config/paths.js';
import { listFiles } from '../../core/backup/fs-util.js';
import type { Kernel } from '../../core/kernel.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { freePort } from '../harness/free-port.js';
import { childEnv, freshPortal, ok, runCli, type CliPortal } from '../cli/cli-harness.js';
import { demoPortal, sha256, withPortal } from './harness.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

/** Adds news with fresh pictures, deletes every third one again, and drops stray files without rows, until stopped. */
function loadGenerator(kernel: Kernel, upload: string) {
  let stop = false;
  let added = 0;
  const done = (async () => {
    const api = kernel.api('infoblocks');
    const news = (await api.iblocks.list(SYSTEM)).find((i) => i.code === 'news')!;
    const mine: number[] = [];
    for (let i = 0; !stop; i++) {
      const picture = await kernel.files.save({ module: 'infoblocks', name: `load-${i}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(20_000 + (i % 7) * 5000) });
      const el = await api.elements.add(SYSTEM, news.id, { name: `Load ${i}`, code: `load-${i}`, previewPicture: picture.id });
      mine.push(el.id);
      added++;
      if (i % 3 === 2) await api.elements.delete(SYSTEM, mine.shift()!);
      // what a crashed upload leaves: bytes on disk that no row names
      if (i % 4 === 0) {
        mkdirSync(path.join(upload, 'infoblocks', 'stray'), { recursive: true });
        writeFileSync(path.join(upload, 'infoblocks', 'stray', `orphan-${i}.bin`), randomBytes(1000));
      }
    }
  })();
  return { added: () => added, stop: async () => ((stop = true), await done) };
}

async function elementCount(k: Kernel): Promise<number> {
  const api = k.api('infoblocks');
  const news = (await api.iblocks.list(SYSTEM)).find((i) => i.code === 'news')!;
  return (await api.elements.list(SYSTEM, news.id, { pageSize: 1 })).total;
}

/** Every row's file is there with its checksum, every picture has its row, and no file is there without a row. */
async function assertConsistent(env: Record<string, string>): Promise<{ files: number; elements: number }> {
  const config = await loadConfig({ env });
  return withPortal(env, async (k) => {
    const rows = (await k.db('main').read('files').select('id', 'path', 'checksum')) as { id: number; path: string; checksum: string }[];
    for (const r of rows) {
      const abs = path.join(config.paths.upload, r.path);
      assert.ok(existsSync(abs), `file of row ${r.id} exists`);
      assert.equal(sha256(abs), r.checksum, `file of row ${r.id} has its checksum`);
    }
    const onDisk = (await listFiles(config.paths.upload)).sort();
    assert.deepEqual(onDisk, rows.map((r) => r.path).sort(), 'no file without its row');
    const ids = new Set(rows.map((r) => Number(r.id)));
    const pictures = (await k.db('infoblocks').read('elements').whereNotNull('preview_picture').pluck('preview_picture')) as number[];
    for (const id of pictures) assert.ok(ids.has(Number(id)), `picture ${id} has its file row`);
    return { files: rows.length, elements: await elementCount(k) };
  });
}

async function waitFor(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function spawnCli(args: string[], env: Record<string, string>) {
  return execa(process.execPath, [path.join(projectRoot, 'bin/portal.js'), ...args], { cwd: projectRoot, env: childEnv(env), extendEnv: false, stdin: 'ignore', reject: false });
}

describeEachDb('backups of a portal that keeps writing, and crashes (CLI)', (kind) => {
  let source: CliPortal;
  let target: CliPortal;
  let archive: string;

  before(async function () {
    this.timeout(120_000);
    [source, target] = await Promise.all([demoPortal(kind), freshPortal(kind)]);
    archive = path.join(source.dir, 'live.tar.gz');
  });
  after(async () => {
    await source?.cleanup();
    await target?.cleanup();
  });

  it('a backup taken while elements and files are written restores to a consistent state', async function () {
    this.timeout(120_000);
    const config = await loadConfig({ env: source.env });
    const result = await withPortal(source.env, async (k) => {
      const initial = await elementCount(k);
      const load = loadGenerator(k, config.paths.upload);
      await waitFor('the load to start', () => load.added() >= 5);
      const backup = await runCli(['backup', '--out', archive], source.env);
      const during = load.added();
      await waitFor('more writes after the backup', () => load.added() >= during + 3);
      await load.stop();
      ok(backup);
      return { initial, final: await elementCount(k) };
    });
    ok(await runCli(['restore', archive], target.env));
    const restored = await assertConsistent(target.env);
    assert.ok(restored.elements > result.initial, `the backup holds elements the load wrote (${restored.elements} > ${result.initial})`);
    assert.ok(restored.elements < result.final, `and not those written after it (${restored.elements} < ${result.final})`);
  });

  it('kill -9 during a backup leaves no archive that looks complete, and the next backup cleans up', async function () {
    this.timeout(120_000);
    // enough bytes that packing takes a while
    await withPortal(source.env, async (k) => {
      for (let i = 0; i < 24; i++) await k.files.save({ module: 'main', name: `big-${i}.bin`, buffer: randomBytes(1024 * 1024) });
    });
    const dir = path.join(source.dir, 'crash');
    mkdirSync(dir);
    const out = path.join(dir, 'crash.tar.gz');
    const child = spawnCli(['backup', '--out', out], source.env);
    await waitFor('the archive being written', () => readdirSync(dir).some((n) => n.includes('.partial-')));
    child.kill('SIGKILL');
    await child;
    assert.equal(existsSync(out), false, 'no archive under the final name');
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tar.gz')), []);
    const config = await loadConfig({ env: source.env });
    assert.equal(readdirSync(config.paths.upload).filter((n) => n.startsWith('.backup-')).length, 1, 'its staging folder is left behind');
    ok(await runCli(['backup', '--out', path.join(dir, 'after.tar.gz')], source.env));
    assert.deepEqual(readdirSync(config.paths.upload).filter((n) => n.startsWith('.backup-')), [], 'the next backup removed it');
    archive = path.join(dir, 'after.tar.gz');
  });

  it('kill -9 during a restore leaves the target refusing to start until the restore runs again', async function () {
    this.timeout(120_000);
    const child = spawnCli(['restore', archive, '--yes'], target.env);
    const marker = path.join(target.dir, 'RESTORE-IN-PROGRESS.json');
    await waitFor('the restore marker', () => existsSync(marker));
    child.kill('SIGKILL');
    await child;
    assert.ok(existsSync(marker), 'the marker stays');
    const port = String(await freePort());
    const start = await runCli(['start'], { ...target.env, PORTAL_HTTP_PORT: port });
    assert.notEqual(start.exitCode, 0);
    assert.match(start.stderr, /portal: a restore from .*after\.tar\.gz started .* did not finish, so the data may be half replaced; run `portal restore .*after\.tar\.gz --yes` again \[RESTORE_INCOMPLETE\]/);
    ok(await runCli(['restore', archive, '--yes'], target.env));
    assert.equal(existsSync(marker), false);
    const restored = await assertConsistent(target.env);
    assert.ok(restored.files >= 24);
  });
});
