/**
 * `node dist/bench/cluster-db.js` (docs/cluster.md, "Bench"): the DB side of the cluster on this machine.
 * Starts a MariaDB primary and 2 GTID replicas (test/harness/replication.ts), boots a kernel with main + infoblocks,
 * seeds BENCH_CLUSTER_ELEMENTS elements (default 2000) and measures:
 * - read throughput of an infoblock's element list (page of 20 + total, cache invalidated before every call, so
 *   each call reads the DB) with BENCH_CLUSTER_CONCURRENCY callers (default 16) for BENCH_CLUSTER_SECONDS (default
 *   10) with 0, 1 and 2 replicas in the read pool (weights equal);
 * - how long a replica that starts lagging (MASTER_DELAY 30 s, then a write) takes to leave the read pool.
 * All servers share this machine's cores, so replicas add capacity only where the primary's CPU was the limit.
 * Prints a table and writes bench/results/cluster-db-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import type { Principal } from '../core/services.js';
import mainModule from '../modules/main/module.js';
import infoblocksModule from '../modules/infoblocks/module.js';
import { ibTags } from '../modules/infoblocks/tags.js';
import { withDbSession, newDbSession } from '../core/db/read-your-writes.js';
import { bootTestKernel } from '../test/harness/kernel.js';
import { startReplicatedMariaDb } from '../test/harness/replication.js';
import { ensureDebianPackages, MARIADB } from '../test/harness/debian.js';
import { table } from './lib.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const settings = { elements: num('BENCH_CLUSTER_ELEMENTS', 2000), concurrency: num('BENCH_CLUSTER_CONCURRENCY', 16), seconds: num('BENCH_CLUSTER_SECONDS', 10) };
const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

async function main(): Promise<void> {
  await ensureDebianPackages([MARIADB]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-cluster-'));
  const db = await startReplicatedMariaDb(dir, 2);
  try {
    await db.query(db.primary, 'CREATE DATABASE portal');
    const url = `${db.primary.url}/portal`;
    process.env.PORTAL_TEST_MYSQL = db.primary.url; // the test kernel's scratch database goes there too
    const replicaUrls = db.replicas.map((r) => `${r.url}/portal`);
    const t = await bootTestKernel('mariadb', { definitions: [mainModule, infoblocksModule], overrides: { db: { url } } });
    try {
      const { kernel } = t;
      await kernel.modules.install('infoblocks');
      const api = kernel.api('infoblocks');
      const type = await api.iblocks.addType(ADMIN, { code: 'content', names: { en: 'Content', ru: 'Контент' } });
      const ib = await api.iblocks.add(ADMIN, { typeId: type.id, code: 'news', name: 'News', rights: {} });
      log(`seeding ${settings.elements} elements`);
      for (let i = 0; i < settings.elements; i++) await api.elements.add(ADMIN, ib.id, { name: `Element ${i}`, code: `e${i}` });

      const base = kernel.connections.current();
      const health = () => kernel.connections.watchReplicas({ intervalMs: 500 });
      const rows: Record<string, string | number>[] = [];
      const results: Record<string, unknown> = { settings };
      for (const n of [0, 1, 2]) {
        const urls = replicaUrls.slice(0, n);
        kernel.connections.reconfigure({ ...base, replicas: { default: urls }, weights: Object.fromEntries(urls.map((u) => [u, 100])) });
        if (n > 0) await waitFor(() => urls.every((u) => health().inPool(u)), 60_000);
        const rate = await throughput(async () => {
          await kernel.cache.invalidateTags(ibTags.iblock(ib.id));
          // Another visitor's read each time: no read-your-writes pinning to the primary.
          await withDbSession(newDbSession(), () => api.elements.list(ADMIN, ib.id, { filter: { ACTIVE: 'Y' }, pageSize: 20 }));
        });
        log(`${n} replica(s): ${rate.toFixed(0)} lists/s`);
        results[`replicas${n}`] = { listsPerSecond: rate };
        rows.push({ measure: `element list, ${n} replica(s)`, value: `${rate.toFixed(0)} lists/s` });
      }

      const lagging = replicaUrls[0]!;
      await db.query(db.replicas[0]!, 'STOP SLAVE');
      await db.query(db.replicas[0]!, 'CHANGE MASTER TO MASTER_DELAY = 30');
      await db.query(db.replicas[0]!, 'START SLAVE');
      await waitFor(() => health().inPool(lagging), 30_000);
      const started = Date.now();
      await api.elements.add(ADMIN, ib.id, { name: 'late', code: 'late' });
      await waitFor(() => !health().inPool(lagging), 60_000);
      const leaveMs = Date.now() - started;
      const reason = health().status().find((s) => s.url === lagging)?.reason;
      log(`lagging replica left the pool after ${leaveMs} ms (${reason})`);
      results.lagLeaveMs = leaveMs;
      results.lagLeaveReason = reason;
      rows.push({ measure: 'a replica lagging (delay 30 s) leaves the pool after', value: `${(leaveMs / 1000).toFixed(1)} s (${reason}; threshold 5 s)` });

      console.log(table(rows));
      const out = path.join(projectRoot, 'bench', 'results');
      mkdirSync(out, { recursive: true });
      const file = path.join(out, `cluster-db-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      log(`wrote ${file}`);
    } finally {
      await t.close();
    }
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function throughput(call: () => Promise<unknown>): Promise<number> {
  const end = Date.now() + settings.seconds * 1000;
  let calls = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: settings.concurrency }, async () => {
      while (Date.now() < end) {
        await call();
        calls++;
      }
    }),
  );
  return calls / ((Date.now() - started) / 1000);
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
