/**
 * Query plans of what the module API really runs: the SQL of one API call is captured
 * from knex's query events and each SELECT is explained. MariaDB uses ANALYZE (the plan
 * with the rows actually read, r_rows); SQLite uses EXPLAIN QUERY PLAN.
 */
import type { Knex } from 'knex';

export interface PlannedQuery {
  sql: string;
  bindings: unknown[];
  plan: string[];
  /** Tables this query reads whole (a full table or full index scan). */
  fullScans: string[];
}

async function capture(knex: Knex, fn: () => Promise<unknown>): Promise<{ sql: string; bindings: unknown[] }[]> {
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listener = (q: { sql: string; bindings?: unknown[] }) => void seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.removeListener('query', listener);
  }
  return seen;
}

const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v));

async function planOf(knex: Knex, sql: string, bindings: unknown[]): Promise<Pick<PlannedQuery, 'plan' | 'fullScans'>> {
  const client = String((knex.client as { config: { client: string } }).config.client);
  if (client.includes('sqlite')) {
    const rows = (await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as Knex.RawBinding[])) as { detail: string }[];
    // "SCAN t" and "SCAN t USING [COVERING] INDEX i" read all of t; "SEARCH" is an index lookup or range.
    // Subqueries run as co-routines or materialized are scanned as a whole by design: not tables.
    const inner = new Set(rows.map((r) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(r.detail)?.[1]));
    const scans = rows.map((r) => /^SCAN (\S+)/.exec(r.detail)?.[1]).filter((t): t is string => t !== undefined && t !== 'CONSTANT' && !t.startsWith('(') && !inner.has(t));
    // A search bounded only by the infoblock (and the active flag) reads every element of it.
    const wholeInfoblock = rows.map((r) => /^SEARCH (\S+) USING (?:COVERING )?INDEX \S+ \(iblock_id=\?(?: AND active=\?)?\)$/.exec(r.detail)?.[1]).filter((t): t is string => t !== undefined);
    const fullScans = [...scans, ...wholeInfoblock.map((t) => `${t}(whole infoblock)`)];
    return { plan: rows.map((r) => r.detail), fullScans };
  }
  const [rows] = (await knex.raw(`ANALYZE ${sql}`, bindings as Knex.RawBinding[])) as [Record<string, unknown>[]];
  // Type ALL (table scan) or index (full index scan) on a real table; <subqueryN>/<derivedN> are temp tables.
  const fullScans = rows.filter((r) => (r.type === 'ALL' || r.type === 'index') && !String(r.table).startsWith('<')).map((r) => String(r.table));
  return { plan: rows.map((r) => `${cell(r.select_type)} ${cell(r.table)}: ${cell(r.type)} key=${cell(r.key)} rows=${cell(r.rows)} r_rows=${cell(r.r_rows)} ${cell(r.Extra)}`), fullScans };
}

/** Runs `fn` once and returns every SELECT it issued with its plan. */
export async function explainCall(knex: Knex, fn: () => Promise<unknown>): Promise<PlannedQuery[]> {
  const queries = (await capture(knex, fn)).filter((q) => /^\s*select/i.test(q.sql));
  const out: PlannedQuery[] = [];
  for (const q of queries) out.push({ ...q, ...(await planOf(knex, q.sql, q.bindings)) });
  return out;
}

export function formatPlans(title: string, queries: PlannedQuery[]): string {
  const lines = [`-- ${title}`];
  for (const q of queries) {
    lines.push(`   ${q.sql}`, `   bindings ${JSON.stringify(q.bindings)}`);
    for (const p of q.plan) lines.push(`     ${p}`);
  }
  return lines.join('\n');
}
