import type { Knex } from 'knex';
import type { Filter, Property } from '../types.js';
import { indexable, multiColumn } from '../storage/value-columns.js';
import { propertyKind, splitKey, type Operator } from './fields.js';
import { condition, whereSql, type CompileEnv, type Sql } from './filter.js';

/**
 * Which property index a list starts from on SQLite. SQLite keeps no statistics until
 * ANALYZE runs; without them its planner prefers the two-column (iblock_id, active) index
 * and reads every element of the infoblock before it looks at a property condition, so a
 * selective filter costs as much as the whole infoblock. When the top level of a filter
 * holds a positive condition on an indexed property, the query names that property's
 * table first and joins elements with CROSS JOIN, which SQLite keeps in the written order.
 * The condition stays in WHERE as well, so the rows are the same. MariaDB plans from its
 * own statistics and gets the usual shape.
 */
export type Driver = { kind: 'single'; prop: Property } | { kind: 'multi'; prop: Property; where: Sql };

/** Operators that need a value and can use an index; equality first, ranges after. */
const RANK: Partial<Record<Operator, number>> = { '=': 0, '@': 0, '>': 1, '>=': 1, '<': 1, '<=': 1, '><': 1 };

export function drivingProperty(filter: Filter | undefined, env: CompileEnv): Driver | null {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return null;
  if (filter.LOGIC !== undefined && String(filter.LOGIC).toUpperCase() !== 'AND') return null;
  let best: { rank: number; driver: Driver } | null = null;
  for (const [key, value] of Object.entries(filter)) {
    const { op, field } = splitKey(key);
    const rank = RANK[op];
    if (rank === undefined || !field.startsWith('PROPERTY_') || value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    const prop = env.meta.byCode.get(field.slice('PROPERTY_'.length));
    // Single values are indexed only when filterable; multiple values always are (but not HTML).
    if (!prop || !indexable(prop.type) || (!prop.multiple && !prop.filterable)) continue;
    if (best && best.rank <= rank) continue;
    const driver: Driver = prop.multiple
      ? { kind: 'multi', prop, where: condition(field, propertyKind(prop.type), op, value, `m.${multiColumn(prop.type)}`) }
      : { kind: 'single', prop };
    best = { rank, driver };
  }
  return best?.driver ?? null;
}

/** FROM and joins of a list query: elements e with single values s, started from the driver when there is one. */
export function fromTables(qb: Knex.QueryBuilder, env: CompileEnv, driver: Driver | null): Knex.QueryBuilder {
  const { tables } = env;
  if (!driver) return qb.from(`${tables.elements} as e`).leftJoin(`${tables.single} as s`, 's.element_id', 'e.id');
  if (driver.kind === 'single') return qb.from(`${tables.single} as s`).crossJoin(`${tables.elements} as e`, 'e.id', 's.element_id');
  const { prop, where } = driver;
  const elementIds = whereSql(qb.client.queryBuilder().from(`${tables.multi} as m`).distinct('m.element_id').where('m.property_id', prop.id), where);
  return qb
    .from(elementIds.as('driver'))
    .crossJoin(`${tables.elements} as e`, 'e.id', 'driver.element_id')
    .leftJoin(`${tables.single} as s`, 's.element_id', 'e.id');
}
