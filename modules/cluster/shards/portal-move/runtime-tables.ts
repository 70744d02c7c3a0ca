import { ModuleDb } from '../../../../core/db/module-db.js';
import type { DbRoutes } from '../../../../core/db/routes.js';
import { addSingleColumn, createPropertyTables } from '../../../infoblocks/storage/property-tables.js';
import type { PropertyType } from '../../../infoblocks/types.js';
import type { SqliteSource } from './sqlite-source.js';

/**
 * Tables a module makes at run time rather than in a migration, made on the target by the
 * module's own DDL: the infoblocks' per-infoblock property tables (p<ID>_s, p<ID>_m), from the
 * infoblocks and properties rows of the source. (A manifest hook would let any module declare
 * these; see the report of the shards branch.)
 */
export async function createRuntimeTables(source: SqliteSource, routes: DbRoutes, installed: ReadonlySet<string>): Promise<void> {
  if (!installed.has('infoblocks') || !source.tables().includes('infoblocks_iblocks')) return;
  const db = new ModuleDb('infoblocks', routes);
  const iblocks = source.rows('SELECT id FROM infoblocks_iblocks ORDER BY id') as { id: number }[];
  for (const ib of iblocks) if (!(await db.hasTable(`p${ib.id}_s`))) await createPropertyTables(db, Number(ib.id));
  const props = source.rows('SELECT id, iblock_id, type, filterable FROM infoblocks_properties WHERE multiple = 0 ORDER BY id') as { id: number; iblock_id: number; type: string; filterable: number }[];
  for (const p of props) await addSingleColumn(db, { id: Number(p.id), iblockId: Number(p.iblock_id), type: p.type as PropertyType, filterable: Boolean(p.filterable) });
}
