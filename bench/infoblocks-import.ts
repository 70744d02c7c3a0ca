/**
 * Seeding through the module's bulk import, `elements.importBatch`, one batch at a time
 * (as an import job would run); every batch is timed for figure (d).
 */
import type { Principal } from '../core/services.js';
import type { InfoblocksApi } from '../modules/infoblocks/api.js';
import type { MatchBy } from '../modules/infoblocks/bulk/match.js';
import type { ElementInput } from '../modules/infoblocks/types.js';

export type { MatchBy };

export interface ElementImporter {
  /** What does the work, for the report. */
  method: string;
  /** Stores the items and returns their ids in order. */
  run(items: ElementInput[]): Promise<number[]>;
}

export function elementImporter(api: InfoblocksApi, principal: Principal, iblockId: number, matchBy: MatchBy): ElementImporter {
  return {
    method: `elements.importBatch (matchBy ${matchBy})`,
    run: async (items) => {
      const res = await api.elements.importBatch(principal, iblockId, items, { matchBy });
      if (res.ids.length !== items.length || res.created !== items.length) throw new Error(`importBatch created ${res.created} elements (${res.ids.length} ids) for ${items.length} items`);
      return res.ids;
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
