/**
 * `npm run bench:infoblocks` (see docs/infoblocks.md, "Benchmarks"): the infoblocks at scale.
 * Starts a private MariaDB in a temp dir, boots a kernel with main + infoblocks, creates a
 * catalogue infoblock (10 properties, 2 multiple; a 3-level section tree), seeds
 * BENCH_IB_ELEMENTS elements (default 1,000,000) through the module's import and times:
 * (a) a filtered page with its total, (b) a section with subsections, (c) the detail page
 * by code — result cache cold and cached — and (d) the import rate. The floor is a
 * primary-key lookup through the same pool. Then the same on SQLite at a smaller scale.
 * Prints tables and the aims, writes bench/results/infoblocks-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { projectRoot } from '../core/config/paths.js';
import type { Kernel } from '../core/kernel.js';
import { MATCH_BY } from '../modules/infoblocks/bulk/match.js';
import { multiTable, singleTable } from '../modules/infoblocks/storage/value-columns.js';
import type { DbKind } from '../test/harness/db-matrix.js';
import { ensureDebianPackages, MARIADB } from '../test/harness/debian.js';
import { startMariaDb, type RunningService } from '../test/harness/services.js';
import { admin, bootInfoblocks } from '../test/infoblocks/fixture.js';
import { createCatalog, ElementGenerator, QueryDraws } from './infoblocks-catalog.js';
import { formatPlans } from './infoblocks-explain.js';
import { elementImporter, seedElements, type MatchBy } from './infoblocks-import.js';
import { measure, scenarios, type ScenarioResult } from './infoblocks-scenarios.js';
import { latencyOf, table, type Latency } from './lib.js';

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return n;
}

const matchBy = (process.env.BENCH_IB_MATCH_BY ?? 'xmlId') as MatchBy;
if (!MATCH_BY.includes(matchBy)) throw new Error(`BENCH_IB_MATCH_BY must be one of ${MATCH_BY.join(', ')}, not "${matchBy}"`);
const settings = {
  elements: whole('BENCH_IB_ELEMENTS', 1_000_000),
  sqliteElements: whole('BENCH_IB_SQLITE_ELEMENTS', 50_000),
  batch: Math.max(1, whole('BENCH_IB_BATCH', 1000)),
  iterations: Math.max(1, whole('BENCH_IB_ITERATIONS', 2000)),
  warmup: whole('BENCH_IB_WARMUP', 200),
  fanout: Math.max(1, whole('BENCH_IB_FANOUT', 10)),
  bufferPoolMb: whole('BENCH_IB_BUFFER_POOL_MB', 2048),
  matchBy,
  explain: process.env.BENCH_IB_EXPLAIN === '1',
};
const IMPORT_AIM = 5000;

const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

interface DbRun {
  db: DbKind;
  elements: number;
  importer: string;
  import: { elementsPerSecond: number; wallSeconds: number; batchSize: number; batchMs: Latency };
  sizesMb?: Record<string, number>;
  results: ScenarioResult[];
}

async function infoblockTables(kernel: Kernel, iblockId: number): Promise<string[]> {
  const db = kernel.db('infoblocks');
  return ['elements', 'element_sections', 'sections', singleTable(iblockId), multiTable(iblockId)].map((t) => db.table(t));
}

/** Fresh statistics after the bulk load (InnoDB would recalculate them in the background anyway), and table sizes. */
async function analyzeMariaDb(kernel: Kernel, iblockId: number): Promise<Record<string, number>> {
  const tables = await infoblockTables(kernel, iblockId);
  await kernel.mainKnex.raw(`ANALYZE TABLE ${tables.map(() => '??').join(', ')}`, tables);
  const [rows] = (await kernel.mainKnex.raw(
    `SELECT table_name AS t, data_length AS d, index_length AS i FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (${tables.map(() => '?').join(', ')})`,
    tables,
  )) as [{ t: string; d: number; i: number }[]];
  const mb = (b: number) => Math.round(Number(b) / 1048576);
  return Object.fromEntries(rows.flatMap((r) => [[`${r.t} data`, mb(r.d)], [`${r.t} indexes`, mb(r.i)]]));
}

async function runOn(db: DbKind, elements: number): Promise<DbRun> {
  const f = await bootInfoblocks(db);
  try {
    const kernel = f.t.kernel;
    log(`[${db}] creating the catalogue (${settings.fanout ** 3 + settings.fanout ** 2 + settings.fanout} sections)`);
    const catalog = await createCatalog(kernel, f.api, admin, f.typeId, settings.fanout);
    const importer = elementImporter(f.api, admin, catalog.iblockId, settings.matchBy);
    const generator = new ElementGenerator(catalog);
    log(`[${db}] seeding ${elements} elements in batches of ${settings.batch} with ${importer.method}`);
    const started = Date.now();
    const seed = await seedElements(importer, elements, settings.batch, (i, ids) => generator.next(i, ids), (done, rate) => log(`[${db}]   ${done} elements, ${rate}/s`));
    const wallSeconds = Math.round((Date.now() - started) / 100) / 10;
    const sizesMb = db === 'mariadb' ? await analyzeMariaDb(kernel, catalog.iblockId) : undefined;
    const env = { kernel, api: f.api, reader: await kernel.users.principalOf(null), catalog, draws: new QueryDraws(catalog, elements), ids: seed.ids };
    const results: ScenarioResult[] = [];
    for (const s of scenarios(env, settings)) {
      log(`[${db}] ${s.label} (${s.inputs.length - s.warmup} calls)`);
      const r = await measure(env, s);
      if (settings.explain) console.log(`${formatPlans(`[${db}] ${s.label}`, r.plans)}\n`);
      results.push(r);
    }
    return {
      db,
      elements,
      importer: importer.method,
      import: { elementsPerSecond: Math.round(elements / (seed.importMs / 1000)), wallSeconds, batchSize: settings.batch, batchMs: latencyOf(seed.batchMs) },
      sizesMb,
      results,
    };
  } finally {
    await f.t.close();
  }
}

function report(run: DbRun): void {
  console.log(`\n${run.db}, ${run.elements} elements`);
  console.log(
    table(
      run.results.map((r) => ({
        benchmark: r.label,
        'DB path p50 ms': r.cold.p50,
        'p99 ms': r.cold.p99,
        'mean ms': r.cold.mean,
        'cached p50 ms': r.cached?.p50 ?? '-',
        'cached p99 ms': r.cached?.p99 ?? '-',
        'matched (median/max)': r.matched ? `${r.matched.median}/${r.matched.max}` : '-',
        'full scans': [...new Set(r.plans.flatMap((p) => p.fullScans))].join(' ') || 'none',
      })),
    ),
  );
  const i = run.import;
  console.log(`\n(d) import: ${run.importer}: ${i.elementsPerSecond} elements/s (${i.wallSeconds} s wall), batch of ${i.batchSize}: p50 ${i.batchMs.p50} ms, p99 ${i.batchMs.p99} ms`);
  if (run.sizesMb) console.log(`sizes (MB): ${Object.entries(run.sizesMb).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

function aims(run: DbRun): void {
  const ok = (v: number, aim: number) => (v <= aim ? 'yes' : 'NO');
  const rows: Record<string, string>[] = run.results
    .filter((r) => r.aimMs !== undefined)
    .map((r) => ({ aim: `${r.label.slice(0, 3)} ${r.id} <= ${r.aimMs} ms (DB path)`, p50: `${r.cold.p50} ms`, p99: `${r.cold.p99} ms`, 'met at p50': ok(r.cold.p50, r.aimMs!), 'met at p99': ok(r.cold.p99, r.aimMs!) }));
  const rate = run.import.elementsPerSecond;
  rows.push({ aim: `(d) import >= ${IMPORT_AIM} elements/s`, p50: `${rate}/s`, p99: '', 'met at p50': rate >= IMPORT_AIM ? 'yes' : 'NO', 'met at p99': '' });
  console.log(`\naims on ${run.db} at ${run.elements} elements:`);
  console.log(table(rows));
}

async function main(): Promise<void> {
  const runs: DbRun[] = [];
  if (settings.elements > 0) {
    await ensureDebianPackages([MARIADB], log);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-ib-'));
    let server: RunningService | undefined;
    let cleaning: Promise<void> | undefined;
    // Once, whoever asks first (the end of the run or Ctrl-C); later callers wait for the same work.
    const cleanup = () =>
      (cleaning ??= (async () => {
        await server?.stop();
        rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      })());
    let stopping = false;
    const interrupted = () => {
      if (stopping) return;
      stopping = true;
      log('interrupted: stopping MariaDB and removing its temp dir');
      void cleanup()
        .catch((err: unknown) => console.error(`bench infoblocks: cleanup failed, remove ${dir} yourself: ${(err as Error).message}`))
        .finally(() => process.exit(130));
    };
    // on, not once: execa's exit hook re-raises the signal after our handler ran, which would kill us mid-cleanup.
    process.on('SIGINT', interrupted).on('SIGTERM', interrupted);
    try {
      server = await startMariaDb(path.join(dir, 'mariadb'));
      const conn = await mysql.createConnection(server.url);
      // The harness sizes the pool for tests; a 1M-element catalogue needs its working set in memory, as in production.
      if (settings.bufferPoolMb) await conn.query('SET GLOBAL innodb_buffer_pool_size = ?', [settings.bufferPoolMb * 1048576]);
      await conn.end();
      process.env.PORTAL_TEST_MYSQL = server.url;
      runs.push(await runOn('mariadb', settings.elements));
    } finally {
      await cleanup();
      process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    }
  }
  if (settings.sqliteElements > 0) runs.push(await runOn('sqlite', settings.sqliteElements));

  for (const run of runs) report(run);
  for (const run of runs) aims(run);
  console.log(`\n${settings.iterations} timed calls per benchmark after ${settings.warmup} warm-up calls (sections with subsections: at most 100 and 300); ${os.cpus().length} cores, Node ${process.version}.`);
  console.log('DB path = result cache cold before every call (the infoblock cache tag is invalidated, untimed); cached = every call a cache hit.');
  mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
  const file = path.join(projectRoot, 'bench/results', `infoblocks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, settings, runs }, null, 2));
  console.log(`results written to ${path.relative(projectRoot, file)}`);
}

main().catch((err: unknown) => {
  console.error(`bench infoblocks: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
