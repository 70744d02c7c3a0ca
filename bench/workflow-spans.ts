/**
 * `node dist/bench/workflow-spans.js` (after `npm run build`): where the time of an approve goes. Seeds the workflow
 * bench's load (BENCH_WF_INSTANCES, default 10,000) on SQLite and on a private MariaDB, approves BENCH_WF_ITERATIONS
 * tasks (default 100) and prints, per database: the approve's mean time, the mean time in SQL, statements and
 * transactions per approve, the CPU time of the process, the statements that took the most time in all, and the time inside a few kernel calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { ModuleDb } from '../core/db/module-db.js';
import type { DbKind } from '../test/harness/db-matrix.js';
import { ensureDebianPackages, MARIADB } from '../test/harness/debian.js';
import { startMariaDb } from '../test/harness/services.js';
import { ADMIN, bootWorkflow, ELEMENT, openTasks } from '../test/workflow/fixture.js';
import { table } from './lib.js';
import { benchUsers, seed } from './workflow-seed.js';

const INSTANCES = Number(process.env.BENCH_WF_INSTANCES ?? 10_000);
const ITERATIONS = Number(process.env.BENCH_WF_ITERATIONS ?? 100);

interface Stat { n: number; ms: number }
const add = (m: Map<string, Stat>, k: string, ms: number) => {
  const s = m.get(k) ?? { n: 0, ms: 0 };
  s.n++;
  s.ms += ms;
  m.set(k, s);
};

/** A statement with its table and the shape of its clauses, without values. */
function shape(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/\b\d+\b/g, '?').replace(/\((\?, )+\?\)/g, '(…)').slice(0, 110);
}

/** Times `obj[method]` calls into `spans` under `name` while `on()` says so. */
function wrap(obj: object, method: string, name: string, spans: Map<string, Stat>, on: () => boolean): void {
  const target = obj as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const orig = target[method]!;
  target[method] = async function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return await orig.apply(this, args);
    } finally {
      if (on()) add(spans, name, performance.now() - t0);
    }
  };
}

async function run(kind: DbKind): Promise<void> {
  const f = await bootWorkflow(kind, { mail: { smtpUrl: 'smtp://127.0.0.1:9' } });
  try {
    const users = await benchUsers(f, 100);
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Bench memo' });
    await seed(f, users, el.id, INSTANCES);
    const wf = f.kernel.api('workflow');
    const ed1 = await f.principal(f.people.ed1);
    const pending: number[] = [];
    for (let i = 0; i < ITERATIONS + 10; i++) {
      const inst = await wf.instances.startAsSystem('bench-approve', ELEMENT, String(el.id), null);
      pending.push((await openTasks(f.kernel, inst.id)).get(f.people.ed1)!);
    }
    let recording = false;
    const queries = new Map<string, Stat>();
    const spans = new Map<string, Stat>();
    const started = new Map<string, { t0: number; sql: string }>();
    const knexes = new Set([f.kernel.db('workflow'), f.kernel.db('main')].map((d) => (d as unknown as { writer: Knex }).writer));
    for (const k of knexes) {
      k.on('query', (q: { __knexQueryUid: string; sql: string }) => started.set(q.__knexQueryUid, { t0: performance.now(), sql: q.sql }));
      k.on('query-response', (_r: unknown, q: { __knexQueryUid: string }) => {
        const s = started.get(q.__knexQueryUid);
        started.delete(q.__knexQueryUid);
        if (s && recording) add(queries, shape(s.sql), performance.now() - s.t0);
      });
    }
    const on = () => recording;
    wrap(f.kernel.mail, 'send', 'kernel.mail.send', spans, on);
    wrap(f.kernel.users, 'find', 'kernel.users.find', spans, on);
    wrap(f.kernel.sites, 'list', 'kernel.sites.list', spans, on);
    wrap(f.kernel.groups, 'members', 'kernel.groups.members', spans, on);
    wrap(wf.documents, 'load', 'documents.load', spans, on);
    wrap(ModuleDb.prototype, 'transaction', 'transactions (ModuleDb.transaction)', spans, on);
    let total = 0;
    let cpu = 0;
    for (let i = 0; i < pending.length; i++) {
      recording = i >= 10;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await wf.tasks.decide(ed1, pending[i]!, { decision: 'approve', comment: 'ok' });
      const c = process.cpuUsage(c0);
      if (recording) {
        total += performance.now() - t0;
        cpu += (c.user + c.system) / 1000;
      }
    }
    const all = [...queries.values()].reduce((a, s) => ({ n: a.n + s.n, ms: a.ms + s.ms }), { n: 0, ms: 0 });
    const txs = spans.get('transactions (ModuleDb.transaction)')?.n ?? 0;
    console.log(`\n${kind}: approve mean ${(total / ITERATIONS).toFixed(2)} ms (CPU of this process ${(cpu / ITERATIONS).toFixed(2)} ms); in SQL ${(all.ms / ITERATIONS).toFixed(2)} ms; ${(all.n / ITERATIONS).toFixed(1)} statements and ${(txs / ITERATIONS).toFixed(1)} transactions per approve`);
    const rows = (m: Map<string, Stat>, n: number) =>
      [...m].sort((a, b) => b[1].ms - a[1].ms).slice(0, n).map(([k, s]) => ({ what: k, 'per approve': (s.n / ITERATIONS).toFixed(1), 'ms per approve': (s.ms / ITERATIONS).toFixed(2), 'ms each': (s.ms / s.n).toFixed(2) }));
    console.log(table(rows(queries, 20)));
    console.log(table(rows(spans, 10)));
  } finally {
    await f.t.close();
  }
}

await ensureDebianPackages([MARIADB]);
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-wf-spans-'));
const db = await startMariaDb(path.join(dir, 'mariadb'));
process.env.PORTAL_TEST_MYSQL = db.url;
try {
  for (const kind of ['sqlite', 'mariadb'] as DbKind[]) await run(kind);
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
