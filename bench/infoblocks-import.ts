/**
 * Seeding through the module API: `elements.importBatch` (the bulk import) when the
 * module has it, else `elements.add` calls in parallel as a slower stand-in.
 * Either way the bench times each batch; figure (d) is meaningful only for importBatch.
 */
import type { Principal } from '../core/services.js';
import type { InfoblocksApi } from '../modules/infoblocks/api.js';
import type { ElementInput } from '../modules/infoblocks/types.js';

export type MatchBy = 'xmlId' | 'code' | 'none';
type ImportBatch = (principal: Principal, iblockId: number, items: ElementInput[], opts?: { matchBy?: MatchBy; dryRun?: boolean }) => Promise<{ created: number; updated: number; ids: number[] }>;

export interface ElementImporter {
  /** What does the work, for the report. */
  method: string;
  /** True when this is the module's bulk import (figure (d) applies). */
  bulk: boolean;
  /** Stores the items and returns their ids in order. */
  run(items: ElementInput[]): Promise<number[]>;
}

export function elementImporter(api: InfoblocksApi, principal: Principal, iblockId: number, opts: { matchBy: MatchBy; fallbackConcurrency: number }): ElementImporter {
  const importBatch = (api.elements as { importBatch?: ImportBatch }).importBatch;
  if (typeof importBatch === 'function') {
    return {
      method: `elements.importBatch (matchBy ${opts.matchBy})`,
      bulk: true,
      run: async (items) => {
        const res = await importBatch.call(api.elements, principal, iblockId, items, { matchBy: opts.matchBy });
        if (res.ids.length !== items.length) throw new Error(`importBatch returned ${res.ids.length} ids for ${items.length} items`);
        return res.ids;
      },
    };
  }
  const width = Math.max(1, opts.fallbackConcurrency);
  return {
    method: `elements.add, ${width} in parallel (no importBatch on this branch)`,
    bulk: false,
    run: async (items) => {
      const ids = new Array<number>(items.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < items.length; i = next++) ids[i] = (await api.elements.add(principal, iblockId, items[i]!)).id;
      };
      await Promise.all(Array.from({ length: width }, worker));
      return ids;
    },
  };
}

export interface SeedResult {
  ids: number[];
  /** Wall time inside each import call, in ms. */
  batchMs: number[];
  /** Sum of batchMs (generation of the inputs by the bench excluded). */
  importMs: number;
}

/** Imports n generated elements in batches of `batchSize`, timing every batch. */
export async function seedElements(importer: ElementImporter, n: number, batchSize: number, make: (i: number, ids: number[]) => ElementInput, progress: (done: number, rate: number) => void): Promise<SeedResult> {
  const ids: number[] = [];
  const batchMs: number[] = [];
  let importMs = 0;
  let reported = 0;
  for (let start = 0; start < n; start += batchSize) {
    const items: ElementInput[] = [];
    for (let i = start; i < Math.min(n, start + batchSize); i++) items.push(make(i, ids));
    const t0 = process.hrtime.bigint();
    const got = await importer.run(items);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    batchMs.push(ms);
    importMs += ms;
    for (const id of got) ids.push(id);
    if (ids.length - reported >= n / 10 || ids.length === n) {
      reported = ids.length;
      progress(ids.length, Math.round(ids.length / (importMs / 1000)));
    }
  }
  return { ids, batchMs, importMs };
}
