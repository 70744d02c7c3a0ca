/**
 * Page benchmark (part of `npm run bench`, or alone: `node dist/bench/pages.js`).
 * In one run, on the same machine, with autocannon:
 * - bare koa hello-world (the baseline);
 * - /bench/: a public page with the site layout and three cached components (warm caches);
 * - the same page with its caches cold: the server invalidates the three components'
 *   cache tags before every request (`?cold=1`), so each request prepares and renders the
 *   components again. The number of prepare runs is read back from the server, so the
 *   table shows the real miss rate.
 * Prints a table and writes bench/results/pages-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { freePort } from '../test/harness/free-port.js';
import { BENCH_COMPONENTS } from './pages-fixture.js';
import { firstResponse, load, measureBareKoa, setupLine, spawnServer, stop, table, type LoadResult } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_SHARE = 50;

interface ServerStats {
  /** Component prepare runs (cache misses), all three components together. */
  prepares: number;
  /** Page requests served. */
  requests: number;
}

async function serverStats(base: string, kind: 'warm' | 'cold'): Promise<ServerStats> {
  const stats = (await (await fetch(`${base}/bench-stats`)).json()) as { prepares: Record<string, number>; served: Record<string, number> };
  return { prepares: BENCH_COMPONENTS.reduce((sum, name) => sum + (stats.prepares[name] ?? 0), 0), requests: stats.served[kind] ?? 0 };
}

/** Share of component renders that were cache misses during a run, in percent. */
function missRate(before: ServerStats, after: ServerStats): number {
  const renders = BENCH_COMPONENTS.length * Math.max(1, after.requests - before.requests);
  return Math.round(((after.prepares - before.prepares) / renders) * 1000) / 10;
}

export async function benchPages(): Promise<{ results: LoadResult[]; cachedShare: number; coldMissRate: number; warmMissRate: number }> {
  const node = process.execPath;
  const results: LoadResult[] = [];

  results.push(await measureBareKoa({ seconds, connections }));

  const varDir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-pages-'));
  const port = await freePort();
  const portal = spawnServer([node, path.join(projectRoot, 'dist/bench/pages-server.js')], {
    env: { ...process.env, BENCH_VAR_DIR: varDir, PORT: String(port), NODE_ENV: 'production' },
    stderr: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await firstResponse(`${base}/bench-stats`, Date.now(), 60_000);
    const probe = await fetch(`${base}/bench/`);
    const html = await probe.text();
    if (probe.status !== 200) throw new Error(`/bench/ answered ${probe.status}: ${html.slice(0, 300)}`);
    const missingParts = BENCH_COMPONENTS.filter((c) => !html.includes(`data-component="${c}"`));
    if (missingParts.length) throw new Error(`/bench/ did not render ${missingParts.join(', ')}`);

    // Warm: caches filled by the probe above; count misses during the run (expect ~0).
    const beforeWarm = await serverStats(base, 'warm');
    const warm = await load('page, 3 cached components (page cache)', `${base}/bench/`, { seconds, connections });
    const warmMissRate = missRate(beforeWarm, await serverStats(base, 'warm'));
    results.push(warm);
    results.push(await load('same, whole-page cache off', `${base}/bench/?nopagecache=1`, { seconds, connections }));

    const beforeCold = await serverStats(base, 'cold');
    const cold = await load('page, 3 components, caches cold', `${base}/bench/?cold=1`, { seconds, connections });
    const coldMissRate = missRate(beforeCold, await serverStats(base, 'cold'));
    results.push(cold);

    // Context, not the target's baseline: koa sending a static body as large as the page.
    results.push(await measureBareKoa({ seconds, connections, bodyBytes: Buffer.byteLength(html) }));
    const cachedShare = Math.round((warm.reqPerSec / results[0]!.reqPerSec) * 1000) / 10;
    return { results, cachedShare, warmMissRate, coldMissRate };
  } finally {
    await stop(portal);
    rmSync(varDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { results, cachedShare, warmMissRate, coldMissRate } = await benchPages();
  const koaRps = results[0]!.reqPerSec;
  console.log(
    table(
      results.map((r) => ({
        benchmark: r.name,
        'req/s': r.reqPerSec,
        'of koa': `${Math.round((r.reqPerSec / koaRps) * 1000) / 10}%`,
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors,
        non2xx: r.non2xx,
      })),
    ),
  );
  console.log('');
  console.log(
    table([
      { target: `cached page >= ${TARGET_SHARE}% of bare koa req/s`, measured: `${cachedShare}%`, ok: cachedShare >= TARGET_SHARE ? 'yes' : 'NO' },
      { target: 'component cache misses, warm run', measured: `${warmMissRate}%`, ok: warmMissRate <= 1 ? 'yes' : 'NO' },
      { target: 'component cache misses, cold run', measured: `${coldMissRate}%`, ok: coldMissRate >= 90 ? 'yes' : 'NO' },
    ]),
  );
  console.log(`\n${setupLine(results, { seconds, connections })}; components: ${BENCH_COMPONENTS.join(', ')}`);
  mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
  const file = path.join(projectRoot, 'bench/results', `pages-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, seconds, connections, components: BENCH_COMPONENTS, results, cachedShareOfKoa: cachedShare, warmMissRate, coldMissRate }, null, 2),
  );
  console.log(`results written to ${path.relative(projectRoot, file)}`);
}

main().catch((err: unknown) => {
  console.error(`bench pages: ${(err as Error).message}`);
  process.exit(1);
});
