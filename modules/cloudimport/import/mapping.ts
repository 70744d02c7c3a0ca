import type { ModuleDb } from '../../../core/db/module-db.js';

export interface MapRow {
  boxId: string;
  hash: string;
  /** Unresolved references, "entity:id". */
  missing: string[];
}

const CHUNK = 400;

/** The cloud id → box id table (see the migration); lookups go by batches, never the whole table in memory. */
export class Mapping {
  constructor(private readonly db: ModuleDb) {}

  async getMany(entity: string, cloudIds: string[]): Promise<Map<string, MapRow>> {
    const out = new Map<string, MapRow>();
    const unique = [...new Set(cloudIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = (await this.db.write('map').where({ entity }).whereIn('cloud_id', unique.slice(i, i + CHUNK)).select('cloud_id', 'box_id', 'hash', 'missing')) as Record<string, unknown>[];
      for (const r of rows) out.set(String(r.cloud_id), { boxId: String(r.box_id), hash: String(r.hash), missing: String(r.missing).split(' ').filter(Boolean) });
    }
    return out;
  }

  async get(entity: string, cloudId: string): Promise<MapRow | null> {
    return (await this.getMany(entity, [cloudId])).get(cloudId) ?? null;
  }

  /** Box ids of cloud ids of one entity (those mapped). */
  async boxIds(entity: string, cloudIds: string[]): Promise<Map<string, string>> {
    const rows = await this.getMany(entity, cloudIds);
    return new Map([...rows].map(([k, v]) => [k, v.boxId]));
  }

  /** Whether a box id is some cloud record's already (adoption of orphans after a kill must not steal one). */
  async isMapped(entity: string, boxId: string): Promise<boolean> {
    return !!(await this.db.write('map').where({ entity, box_id: boxId }).first('cloud_id'));
  }

  async put(entity: string, cloudId: string, row: MapRow): Promise<void> {
    await this.db
      .write('map')
      .insert({ entity, cloud_id: cloudId, box_id: row.boxId, hash: row.hash, missing: row.missing.join(' '), updated_at: Date.now() })
      .onConflict(['entity', 'cloud_id'])
      .merge(['box_id', 'hash', 'missing', 'updated_at']);
  }

  async count(entity: string): Promise<number> {
    const r = (await this.db.write('map').where({ entity }).count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(r?.n ?? 0);
  }
}

/** Records of an entity still waiting for a reference (at most `limit`). */
export async function incomplete(db: ModuleDb, entity: string, limit: number): Promise<{ cloudId: string; missing: string[] }[]> {
  const rows = (await db.write('map').where({ entity }).whereNot('missing', '').orderBy('cloud_id').limit(limit).select('cloud_id', 'missing')) as Record<string, unknown>[];
  return rows.map((r) => ({ cloudId: String(r.cloud_id), missing: String(r.missing).split(' ').filter(Boolean) }));
}
