/**
 * `npm run bench:backup` (see docs/operations.md, "Benchmark"): backup and restore of the demo
 * portal with BENCH_BACKUP_ELEMENTS infoblock elements (default 100,000) and BENCH_BACKUP_FILES_MB
 * of uploaded files (default 1024, 1 MB each, random bytes: like photos and PDFs, they do not
 * compress), on SQLite and on a private MariaDB. Times `portal backup`, `backup verify` and
 * `portal restore` (into a fresh folder and database), the archive size, and the request latency
 * of the running portal (a signed-in /news/) before and during a backup. Prints a table and
 * writes bench/results/backup-<timestamp>.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config/load-config.js';
import { projectRoot } from '../core/config/paths.js';
import { Kernel } from '../core/kernel.js';
import { silentLogger } from '../core/log/logger.js';
import type { Principal } from '../core/services.js';
import { installPortal } from '../installer/install.js';
import { createTestDatabase, type DbKind } from '../test/harness/db-matrix.js';
import { ensureDebianPackages, MARIADB } from '../test/harness/debian.js';
import { freePort } from '../test/harness/free-port.js';
import { HttpClient } from '../test/harness/http-client.js';
import { startMariaDb, type RunningService } from '../test/harness/services.js';
import { execa, firstResponse, latencyOf, stop, table, type Latency } from './lib.js';

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return n;
}

const settings = {
  elements: whole('BENCH_BACKUP_ELEMENTS', 100_000),
  filesMb: whole('BENCH_BACKUP_FILES_MB', 1024),
  baselineSeconds: whole('BENCH_BACKUP_BASELINE_SECONDS', 10),
  dbs: (process.env.BENCH_BACKUP_DBS ?? 'sqlite,mariadb').split(',').map((s) => s.trim()).filter(Boolean) as DbKind[],
};
const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };
const ADMIN_PASSWORD = 'Bench-pass-123';
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

interface Run {
  db: DbKind;
  elements: number;
  filesMb: number;
  backupSeconds: number;
  archiveMb: number;
  verifySeconds: number;
  restoreSeconds: number;
  latencyIdle: Latency;
  latencyDuringBackup: Latency;
}

async function cli(args: string[], env: Record<string, string>): Promise<{ json: Record<string, unknown>; seconds: number }> {
  const t0 = Date.now();
  const r = await execa(process.execPath, [path.join(projectRoot, 'bin/portal.js'), ...args, '--json'], { env: { ...process.env, ...env }, reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`portal ${args.join(' ')}: ${String(r.stderr).trim()}`);
  return { json: JSON.parse(String(r.stdout)) as Record<string, unknown>, seconds: (Date.now() - t0) / 1000 };
}

async function seed(env: Record<string, string>): Promise<void> {
  const kernel = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
  try {
    const api = kernel.api('infoblocks');
    const news = (await api.iblocks.list(SYSTEM)).find((i) => i.code === 'news')!;
    const files: number[] = [];
    for (let i = 0; i < settings.filesMb; i++) {
      files.push((await kernel.files.save({ module: 'infoblocks', name: `photo-${i}.jpg`, mimeType: 'image/jpeg', buffer: randomBytes(1024 * 1024) })).id);
      if ((i + 1) % 256 === 0) log(`  ${i + 1} MB of files`);
    }
    for (let start = 0; start < settings.elements; start += 1000) {
      const items = [];
      for (let i = start; i < Math.min(settings.elements, start + 1000); i++) {
        items.push({ name: `Bench news ${i}`, code: `bench-${i}`, xmlId: `bench-${i}`, previewText: `Preview text of bench element ${i}, long enough to look like news.`, ...(i < files.length ? { previewPicture: files[i]! } : {}) });
      }
      await api.elements.importBatch(SYSTEM, news.id, items);
      if ((start + 1000) % 20_000 === 0) log(`  ${start + 1000} elements`);
    }
  } finally {
    await kernel.close();
  }
}

/** Sequential signed-in requests until `until` resolves; the latency of each. */
async function sample(url: string, client: HttpClient, until: Promise<unknown>): Promise<Latency> {
  let done = false;
  void until.finally(() => (done = true));
  const ms: number[] = [];
  while (!done) {
    const t0 = performance.now();
    const res = await client.get('/news/');
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}/news/ answered ${res.status}`);
    ms.push(performance.now() - t0);
  }
  return latencyOf(ms);
}

async function runOne(kind: DbKind, mysqlServer: string | undefined): Promise<Run> {
  if (mysqlServer) process.env.PORTAL_TEST_MYSQL = mysqlServer;
  const dir = mkdtempSync(path.join(os.tmpdir(), `portal-bench-backup-${kind}-`));
  try {
    const [srcDb, dstDb] = await Promise.all([createTestDatabase(kind, path.join(dir, 'a')), createTestDatabase(kind, path.join(dir, 'b'))]);
    const port = await freePort();
    const source = { PORTAL_VAR_DIR: path.join(dir, 'a'), PORTAL_DB_URL: srcDb.url, PORTAL_HTTP_PORT: String(port), PORTAL_AGENTS_IN_WEB: '0', PORTAL_LOG_LEVEL: 'warn' };
    const target = { PORTAL_VAR_DIR: path.join(dir, 'b'), PORTAL_DB_URL: dstDb.url };
    mkdirSync(source.PORTAL_VAR_DIR, { recursive: true });
    log(`${kind}: installing the demo portal, ${settings.elements} elements, ${settings.filesMb} MB of files`);
    await installPortal({ env: source, adminPassword: ADMIN_PASSWORD, demo: true });
    await seed(source);

    const server = execa(process.execPath, [path.join(projectRoot, 'bin/portal.js'), 'start'], { env: { ...process.env, ...source }, reject: false, stdin: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    try {
      await firstResponse(`${url}/readyz`, Date.now(), 60_000);
      const client = new HttpClient(url);
      await client.signIn('admin', ADMIN_PASSWORD);
      for (let i = 0; i < 200; i++) await (await client.get('/news/')).arrayBuffer(); // warm caches and JIT first
      log(`${kind}: latency without a backup (${settings.baselineSeconds} s)`);
      const latencyIdle = await sample(url, client, new Promise((r) => setTimeout(r, settings.baselineSeconds * 1000)));
      log(`${kind}: backup while the portal serves`);
      const archive = path.join(dir, 'archive.tar.gz');
      const backup = cli(['backup', '--out', archive], source);
      const latencyDuringBackup = await sample(url, client, backup.catch(() => undefined));
      const b = await backup;
      log(`${kind}: verify`);
      const v = await cli(['backup', 'verify', archive], source);
      log(`${kind}: restore into a fresh folder and database`);
      const r = await cli(['restore', archive], target);
      await Promise.all([srcDb.drop(), dstDb.drop()]).catch(() => undefined);
      return {
        db: kind,
        elements: settings.elements,
        filesMb: settings.filesMb,
        backupSeconds: Math.round((Number(b.json.durationMs) / 1000) * 10) / 10,
        archiveMb: Math.round(Number(b.json.bytes) / 1048576),
        verifySeconds: Math.round(v.seconds * 10) / 10,
        restoreSeconds: Math.round((Number(r.json.durationMs) / 1000) * 10) / 10,
        latencyIdle,
        latencyDuringBackup,
      };
    } finally {
      await stop(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let mariadb: RunningService | undefined;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-mariadb-'));
  const runs: Run[] = [];
  try {
    if (settings.dbs.includes('mariadb')) {
      await ensureDebianPackages([MARIADB]);
      mariadb = await startMariaDb(tmp);
    }
    for (const kind of settings.dbs) runs.push(await runOne(kind, mariadb?.url));
  } finally {
    await mariadb?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(table(runs.map((r) => ({
    db: r.db,
    elements: r.elements,
    'files MB': r.filesMb,
    'backup s': r.backupSeconds,
    'archive MB': r.archiveMb,
    'verify s': r.verifySeconds,
    'restore s': r.restoreSeconds,
    'p50/p99 ms idle': `${r.latencyIdle.p50} / ${r.latencyIdle.p99}`,
    'p50/p99 ms in backup': `${r.latencyDuringBackup.p50} / ${r.latencyDuringBackup.p99}`,
  }))));
  const out = path.join(projectRoot, 'bench/results', `backup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify({ settings, machine: { cpus: os.cpus().length, node: process.version }, runs }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(projectRoot, out)}`);
}

main().catch((err: unknown) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(1);
});
