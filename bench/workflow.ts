/**
 * `node dist/bench/workflow.js` (after `npm run build`): the workflow engine with BENCH_WF_INSTANCES (default 10,000)
 * live instances, on a private MariaDB and on SQLite. Each seeded instance waits in an approval round with two tasks
 * among BENCH_WF_USERS users. Times "my tasks" (the list and its count, as `GET /api/v1/workflow/tasks` serves them)
 * and an approve: the decision, its events, the round closing and the instance running on to its next step (a mail
 * queued). The baseline is bare koa on the same machine, one sequential request at a time like the HTTP series.
 * Prints a table and writes bench/results/workflow-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { startServer } from '../core/http/server.js';
import type { DbKind } from '../test/harness/db-matrix.js';
import { ensureDebianPackages, MARIADB } from '../test/harness/debian.js';
import { freePort } from '../test/harness/free-port.js';
import { startMariaDb } from '../test/harness/services.js';
import { ADMIN, bootWorkflow, ELEMENT, openTasks } from '../test/workflow/fixture.js';
import { benchUsers, seed } from './workflow-seed.js';
import { firstResponse, latencyOf, spawnServer, stop, table, type Latency } from './lib.js';

const INSTANCES = Number(process.env.BENCH_WF_INSTANCES ?? 10_000);
const USERS = Number(process.env.BENCH_WF_USERS ?? 100);
const ITERATIONS = Number(process.env.BENCH_WF_ITERATIONS ?? 300);
const AIMS = { myTasks: 20, approve: 50 };

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<Latency> {
  const samples: number[] = [];
  const warmup = Math.min(20, n);
  for (let i = 0; i < warmup; i++) await fn(i);
  for (let i = warmup; i < warmup + n; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return latencyOf(samples);
}

async function run(kind: DbKind): Promise<Record<string, Latency>> {
  const f = await bootWorkflow(kind, { mail: { smtpUrl: 'smtp://127.0.0.1:9' } });
  try {
    const users = await benchUsers(f, USERS);
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Bench memo' });
    console.log(`${kind}: seeding ${INSTANCES} instances, ${INSTANCES * 2} tasks among ${users.length} users`);
    await seed(f, users, el.id, INSTANCES);
    const wf = f.kernel.api('workflow');
    const ed1 = await f.principal(f.people.ed1);
    const open = (await wf.tasks.mine(ed1)).total;
    console.log(`${kind}: ed1 has ${open} open tasks`);

    const myTasks = await timed(ITERATIONS, async () => {
      await wf.tasks.mine(ed1);
      await wf.tasks.count(ed1);
    });
    // Live instances to approve, started through the engine (not timed); each approve runs the instance to its end.
    const pending: number[] = [];
    for (let i = 0; i < ITERATIONS + 20; i++) {
      const inst = await wf.instances.startAsSystem('bench-approve', ELEMENT, String(el.id), null);
      pending.push((await openTasks(f.kernel, inst.id)).get(f.people.ed1)!);
    }
    const approve = await timed(ITERATIONS, (i) => wf.tasks.decide(ed1, pending[i]!, { decision: 'approve', comment: 'ok' }));

    const token = (await f.kernel.tokens.issue(f.people.ed1, 'bench')).token;
    const server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
    try {
      const headers = { authorization: `Bearer ${token}` };
      const http = await timed(ITERATIONS, async () => {
        const res = await fetch(`${server.url}/api/v1/workflow/tasks`, { headers });
        if (res.status !== 200) throw new Error(`GET /api/v1/workflow/tasks: ${res.status}`);
        await res.arrayBuffer();
      });
      return { 'my tasks (API: list + count)': myTasks, 'approve incl. events and next step (API)': approve, 'GET /api/v1/workflow/tasks (HTTP)': http };
    } finally {
      await server.close();
    }
  } finally {
    await f.t.close();
  }
}

async function bareKoa(): Promise<Latency> {
  const port = await freePort();
  const koa = spawnServer([process.execPath, path.join(projectRoot, 'dist/bench/bare-koa.js')], { env: { PORT: String(port) } });
  try {
    await firstResponse(`http://127.0.0.1:${port}/`, Date.now());
    return await timed(ITERATIONS, async () => (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer());
  } finally {
    await stop(koa);
  }
}

async function main(): Promise<void> {
  await ensureDebianPackages([MARIADB]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-wf-'));
  const db = await startMariaDb(path.join(dir, 'mariadb'));
  process.env.PORTAL_TEST_MYSQL = db.url;
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = { instances: INSTANCES, users: USERS, iterations: ITERATIONS, aims: AIMS };
  try {
    for (const kind of ['mariadb', 'sqlite'] as DbKind[]) {
      const r = await run(kind);
      results[kind] = r;
      for (const [name, l] of Object.entries(r)) rows.push({ db: kind, series: name, p50: l.p50, p99: l.p99, mean: l.mean });
      console.log(table(rows.filter((x) => x.db === kind)));
    }
    const koa = await bareKoa();
    results.bareKoa = koa;
    rows.push({ db: '-', series: 'bare koa hello-world (HTTP)', p50: koa.p50, p99: koa.p99, mean: koa.mean });
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${table(rows)}\n\naims: my tasks p99 ≤ ${AIMS.myTasks} ms, approve p99 ≤ ${AIMS.approve} ms`);
  mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
  const file = path.join(projectRoot, 'bench/results', `workflow-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`written ${path.relative(projectRoot, file)}`);
}

await main();
