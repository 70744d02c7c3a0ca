import { createHash } from 'node:crypto';
import type { ModuleDb } from '../../../core/db/module-db.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import type { Entity } from '../read/dump-format.js';
import type { DumpSource } from '../read/source.js';
import { refKey, type Handler, type Prepared, type Ready, type RunContext, type WriteResult } from './handler.js';
import { incomplete, type MapRow } from './mapping.js';
import { emptyReport, type EntityReport } from './report.js';

const hashOf = (data: unknown): string => createHash('sha256').update(JSON.stringify(data)).digest('hex');
const reason = (err: unknown): string => (isPortalError(err) || err instanceof Error ? err.message : String(err));

export interface Progress {
  entity: Entity;
  pass: 1 | 2;
  rows: number;
}

interface PassState {
  /** Whether some record was written with a reference still missing (pass 2 is needed). */
  waiting: boolean;
}

/**
 * One pass over an entity's rows, in batches. Pass 1 takes every row: new → create, changed (other hash) → update,
 * same hash → unchanged, unless it waits for a reference that now exists. Pass 2 takes only the rows that wait for a
 * reference that now exists. Each batch's mapping rows are written right after its box objects, so a run killed at
 * any point resumes from what the table says (handlers adopt objects made just before a kill by their natural keys).
 */
export async function importEntity(source: DumpSource, handler: Handler, run: RunContext, report: EntityReport, pass: 1 | 2, onProgress?: (p: Progress) => void): Promise<PassState> {
  const state: PassState = { waiting: false };
  const size = handler.batch ?? 200;
  let batch: { line: number; row?: Record<string, unknown>; error?: string }[] = [];
  let rows = 0;
  const flush = async () => {
    const items = batch;
    batch = [];
    await processBatch(items, handler, run, report, pass, state);
    onProgress?.({ entity: handler.entity, pass, rows });
  };
  for await (const r of source.rows(handler.entity)) {
    rows++;
    batch.push(r);
    if (batch.length >= size) await flush();
  }
  if (batch.length) await flush();
  if (pass === 1) report.rows = rows;
  return state;
}

async function processBatch(rows: { line: number; row?: Record<string, unknown>; error?: string }[], handler: Handler, run: RunContext, report: EntityReport, pass: 1 | 2, state: PassState): Promise<void> {
  const entity = handler.entity;
  const prepared: Prepared<unknown>[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (!r.row) {
      if (pass === 1) report.skipped.push({ id: `line ${r.line}`, reason: r.error ?? 'unreadable' });
      continue;
    }
    try {
      const p = await handler.prepare(r.row, run);
      if (seen.has(p.id)) {
        if (pass === 1) report.skipped.push({ id: p.id, reason: `appears again at line ${r.line} of the dump; the first one is imported` });
        continue;
      }
      seen.add(p.id);
      prepared.push(p);
    } catch (err) {
      if (pass === 1) report.skipped.push({ id: String(r.row.ID ?? r.row.id ?? `line ${r.line}`), reason: reason(err) });
    }
  }
  // References, looked up per target entity in one query each.
  const wanted = new Map<Entity, Set<string>>();
  for (const p of prepared) for (const ref of p.refs) (wanted.get(ref.entity) ?? wanted.set(ref.entity, new Set()).get(ref.entity)!).add(ref.id);
  const found = new Map<string, string>();
  for (const [e, ids] of wanted) for (const [id, box] of await run.map.boxIds(e, [...ids])) found.set(`${e}:${id}`, box);
  // Missing references a record waits for may be of any entity; look those up too.
  const current = await run.map.getMany(entity, prepared.map((p) => p.id));
  const waitingFor = new Map<Entity, Set<string>>();
  for (const c of current.values()) for (const k of c.missing) if (!found.has(k)) { const [e, id] = k.split(':') as [Entity, string]; (waitingFor.get(e) ?? waitingFor.set(e, new Set()).get(e)!).add(id); }
  for (const [e, ids] of waitingFor) for (const [id, box] of await run.map.boxIds(e, [...ids])) found.set(`${e}:${id}`, box);

  const todo: { item: Ready<unknown>; hash: string; missing: string[] }[] = [];
  for (const p of prepared) {
    const hash = hashOf(p.data);
    const cur: MapRow | null = current.get(p.id) ?? null;
    const missing = [...new Set(p.refs.map(refKey).filter((k) => !found.has(k)))];
    const nowResolvable = !!cur && cur.missing.some((k) => found.has(k));
    if (pass === 2 && !nowResolvable) continue;
    if (pass === 1 && cur && cur.hash === hash && !nowResolvable) {
      report.unchanged++;
      continue;
    }
    const box = (e: Entity, id: string | null | undefined) => (id ? found.get(`${e}:${id}`) : undefined);
    todo.push({ item: { ...p, box, current: cur }, hash, missing });
  }
  if (!todo.length) return;
  if (run.dryRun) {
    for (const t of todo) t.item.current ? report.updated++ : report.created++;
    return;
  }
  const results = await writeRows(handler, run, todo.map((t) => t.item));
  for (let i = 0; i < todo.length; i++) {
    const { item, hash, missing } = todo[i]!;
    const res = results[i]!;
    if (res.error !== undefined) {
      report.skipped.push({ id: item.id, reason: res.error });
      continue;
    }
    await run.map.put(entity, item.id, { boxId: res.boxId, hash, missing });
    if (missing.length) state.waiting = true;
    if (pass === 2) report.linked++;
    else if (item.current) report.updated++;
    else report.created++;
  }
}

/** The batch at once; if it fails as a whole, row by row, so one bad row costs only itself. */
async function writeRows(handler: Handler, run: RunContext, items: Ready<unknown>[]): Promise<WriteResult[]> {
  try {
    return await handler.write(items, run);
  } catch (err) {
    if (items.length === 1) return [{ error: reason(err) }];
  }
  const out: WriteResult[] = [];
  for (const item of items) out.push(...(await writeRows(handler, run, [item])));
  return out;
}

/** The records of an entity left with references to records found nowhere, for the report. */
export async function unresolvedOf(db: ModuleDb, entity: Entity): Promise<EntityReport['unresolved']> {
  return (await incomplete(db, entity, 1000)).map((r) => ({ id: r.cloudId, refs: r.missing }));
}

export { emptyReport };
