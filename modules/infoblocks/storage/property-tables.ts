import type { Knex } from 'knex';
import type { ModuleDb } from '../../../core/db/module-db.js';
import type { Property, PropertyType } from '../types.js';
import { indexable, multiTable, singleColumn, singleTable } from './value-columns.js';

/** Long texts (HTML values): MEDIUMTEXT on MariaDB, whose TEXT holds only 64 KB; plain TEXT on SQLite. */
export const LONG_TEXT = 'mediumtext';

/**
 * DDL of the per-infoblock property tables ("infoblocks 2.0" layout):
 * - p<ID>_s: one row per element, one typed column per single-value property,
 *   a B-tree index on each filterable one;
 * - p<ID>_m: one row per value of multiple properties, typed value columns,
 *   indexed (property_id, value, element_id) so a filter is one index range.
 */
export async function createPropertyTables(db: ModuleDb, iblockId: number): Promise<void> {
  await db.schema.createTable(db.table(singleTable(iblockId)), (t) => {
    t.integer('element_id').notNullable().primary();
  });
  await db.schema.createTable(db.table(multiTable(iblockId)), (t) => {
    t.increments('id');
    t.integer('element_id').notNullable();
    t.integer('property_id').notNullable();
    t.string('value_str', 255).nullable();
    t.double('value_num').nullable();
    t.bigInteger('value_int').nullable();
    t.text('value_text', LONG_TEXT).nullable();
    t.index(['element_id', 'property_id'], `${db.table(multiTable(iblockId))}_el`);
    t.index(['property_id', 'value_str', 'element_id'], `${db.table(multiTable(iblockId))}_str`);
    t.index(['property_id', 'value_num', 'element_id'], `${db.table(multiTable(iblockId))}_num`);
    t.index(['property_id', 'value_int', 'element_id'], `${db.table(multiTable(iblockId))}_int`);
  });
}

export async function dropPropertyTables(db: ModuleDb, iblockId: number): Promise<void> {
  await db.schema.dropTableIfExists(db.table(singleTable(iblockId)));
  await db.schema.dropTableIfExists(db.table(multiTable(iblockId)));
}

function addTypedColumn(t: Knex.AlterTableBuilder, name: string, type: PropertyType): void {
  switch (type) {
    case 'string':
      t.string(name, 255).nullable();
      break;
    case 'date':
      t.string(name, 10).nullable();
      break;
    case 'number':
      t.double(name).nullable();
      break;
    case 'html':
      t.text(name, LONG_TEXT).nullable();
      break;
    case 'datetime':
      t.bigInteger(name).nullable();
      break;
    default:
      t.integer(name).nullable();
  }
}

const indexName = (db: ModuleDb, p: Pick<Property, 'id' | 'iblockId'>) => `${db.table(singleTable(p.iblockId))}_${singleColumn(p.id)}_ix`;

/** Whether a single-value column is indexed: filterable ones, and files (their references are looked up). */
export const hasSingleIndex = (p: Pick<Property, 'type' | 'filterable'>): boolean => indexable(p.type) && (p.filterable || p.type === 'file');

/** Adds the column of a new single-value property (and its index, see hasSingleIndex). */
export async function addSingleColumn(db: ModuleDb, p: Pick<Property, 'id' | 'iblockId' | 'type' | 'filterable'>): Promise<void> {
  await db.schema.alterTable(db.table(singleTable(p.iblockId)), (t) => addTypedColumn(t, singleColumn(p.id), p.type));
  if (hasSingleIndex(p)) await setSingleIndex(db, p, true);
}

export async function dropSingleColumn(db: ModuleDb, p: Pick<Property, 'id' | 'iblockId' | 'type' | 'filterable'>): Promise<void> {
  if (hasSingleIndex(p)) await setSingleIndex(db, p, false);
  await db.schema.alterTable(db.table(singleTable(p.iblockId)), (t) => t.dropColumn(singleColumn(p.id)));
}

/** Creates or drops the index of a single-value property when its filterable flag changes. */
export async function setSingleIndex(db: ModuleDb, p: Pick<Property, 'id' | 'iblockId' | 'type'>, on: boolean): Promise<void> {
  if (!indexable(p.type)) return;
  const name = indexName(db, p);
  await db.schema.alterTable(db.table(singleTable(p.iblockId)), (t) => {
    if (on) t.index([singleColumn(p.id)], name);
    else t.dropIndex([singleColumn(p.id)], name);
  });
}
