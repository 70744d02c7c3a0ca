import type { Knex } from 'knex';
import { ibErrors } from '../errors.js';
import type { IblockMeta } from '../meta.js';
import { multiColumn, singleColumn } from '../storage/value-columns.js';
import type { Filter, Property } from '../types.js';
import { elementField, propertyKind, splitKey, type Kind, type Operator } from './fields.js';

/**
 * A parameterized SQL fragment: `??` identifiers and `?` values, never user text in the SQL.
 * Every fragment is one self-contained expression (composites are parenthesized by `group`),
 * and it is spliced into a query only through `whereSql`, so an OR inside can never bind
 * looser than the conditions around it (the infoblock, the rights).
 */
export interface Sql {
  sql: string;
  bindings: Knex.RawBinding[];
}

/** Parts joined with AND/OR (or NOT of one part) as one parenthesized expression. */
export function group(parts: Sql[], logic: 'AND' | 'OR'): Sql {
  if (parts.length === 0) return { sql: logic === 'AND' ? '(1 = 1)' : '(1 = 0)', bindings: [] };
  return { sql: `(${parts.map((p) => `(${p.sql})`).join(` ${logic} `)})`, bindings: parts.flatMap((p) => p.bindings) };
}
const not = (part: Sql): Sql => ({ sql: `(NOT (${part.sql}))`, bindings: part.bindings });

/** Adds a fragment to a query's WHERE as one parenthesized term (ANDed with the rest). */
export function whereSql(qb: Knex.QueryBuilder, part: Sql): Knex.QueryBuilder {
  return qb.whereRaw(`(${part.sql})`, part.bindings);
}

export interface CompileEnv {
  meta: IblockMeta;
  /** Prefixed table names. */
  tables: { elements: string; single: string; multi: string; elementSections: string; sections: string };
  now: number;
  /** Materialized paths of sections by id (for INCLUDE_SUBSECTIONS). */
  sectionPaths(ids: number[]): Promise<Map<number, string>>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DEPTH = 8;
const MAX_IN = 1000;

function coerce(field: string, kind: Kind, v: unknown): string | number {
  const bad = () => ibErrors.FILTER_VALUE_INVALID(`Value ${JSON.stringify(v) ?? String(v)} of filter field "${field}" is not a valid ${kind}`, { field });
  switch (kind) {
    case 'int': {
      const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw bad();
      return n;
    }
    case 'num': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw bad();
      return n;
    }
    case 'bool':
      if (v === true || v === 'Y' || v === 1 || v === '1') return 1;
      if (v === false || v === 'N' || v === 0 || v === '0') return 0;
      throw bad();
    case 'time': {
      const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? (/^-?\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
      if (!Number.isFinite(ms)) throw bad();
      return Math.trunc(ms);
    }
    case 'date':
      if (typeof v !== 'string' || !DATE.test(v)) throw bad();
      return v;
    default:
      if (typeof v !== 'string' && typeof v !== 'number') throw bad();
      return String(v);
  }
}

const likePattern = (s: string) => `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** The positive condition on column `col` (an identifier binding), or null meaning IS NULL; parenthesized. */
export function condition(field: string, kind: Kind, op: Operator, value: unknown, col: string): Sql {
  const c = leafCondition(field, kind, op, value, col);
  return { sql: `(${c.sql})`, bindings: c.bindings };
}

function leafCondition(field: string, kind: Kind, op: Operator, value: unknown, col: string): Sql {
  const base = op.startsWith('!') && op !== '!' ? (op.slice(1) as Operator) : op === '!' ? '=' : op;
  if (value === null && (base === '=' || base === '!=')) return { sql: '?? IS NULL', bindings: [col] };
  if (value === null) throw ibErrors.FILTER_VALUE_INVALID(`Operator "${op}" of filter field "${field}" needs a value, not null`, { field });
  switch (base) {
    case '=':
    case '@': {
      const list = Array.isArray(value) ? value : base === '@' ? null : [value];
      if (!list) throw ibErrors.FILTER_VALUE_INVALID(`Operator "@" of filter field "${field}" needs a list`, { field });
      if (list.length > MAX_IN) throw ibErrors.FILTER_VALUE_INVALID(`Filter field "${field}" has more than ${MAX_IN} values`, { field });
      const vals = list.map((v) => coerce(field, kind, v));
      if (vals.length === 0) return { sql: '1 = 0', bindings: [] };
      if (vals.length === 1) return { sql: '?? = ?', bindings: [col, vals[0]!] };
      return { sql: `?? IN (${vals.map(() => '?').join(', ')})`, bindings: [col, ...vals] };
    }
    case '>':
    case '>=':
    case '<':
    case '<=':
      if (kind === 'bool') throw ibErrors.FILTER_OPERATOR_INVALID(`Operator "${op}" does not apply to filter field "${field}"`, { field, operator: op });
      return { sql: `?? ${base} ?`, bindings: [col, coerce(field, kind, value)] };
    case '%':
      if (kind !== 'str' && kind !== 'text') throw ibErrors.FILTER_OPERATOR_INVALID(`Operator "%" (contains) applies only to text, not to filter field "${field}"`, { field, operator: op });
      return { sql: `?? LIKE ? ESCAPE '!'`, bindings: [col, likePattern(String(coerce(field, kind, value)))] };
    case '><': {
      if (!Array.isArray(value) || value.length !== 2) throw ibErrors.FILTER_VALUE_INVALID(`Operator "><" of filter field "${field}" needs [from, to]`, { field });
      if (kind === 'bool') throw ibErrors.FILTER_OPERATOR_INVALID(`Operator "${op}" does not apply to filter field "${field}"`, { field, operator: op });
      return { sql: '?? BETWEEN ? AND ?', bindings: [col, coerce(field, kind, value[0]), coerce(field, kind, value[1])] };
    }
    default:
      throw ibErrors.FILTER_OPERATOR_INVALID(`Unknown operator "${op}" in filter field "${field}"`, { field, operator: op });
  }
}

const isNegated = (op: Operator) => op.startsWith('!');

/** Compiles a filter (nested AND/OR groups) to one parameterized WHERE fragment over e (elements) and s (single values). */
export async function compileFilter(filter: Filter | undefined, env: CompileEnv, depth = 0): Promise<Sql> {
  if (filter === undefined || filter === null) return group([], 'AND');
  if (typeof filter !== 'object' || Array.isArray(filter)) throw ibErrors.FILTER_LOGIC_INVALID('A filter must be an object of conditions');
  if (depth > MAX_DEPTH) throw ibErrors.FILTER_LOGIC_INVALID(`Filter groups nest deeper than ${MAX_DEPTH}`);
  const logic = filter.LOGIC === undefined ? 'AND' : String(filter.LOGIC).toUpperCase();
  if (logic !== 'AND' && logic !== 'OR') throw ibErrors.FILTER_LOGIC_INVALID(`LOGIC must be AND or OR, not "${String(filter.LOGIC)}"`);
  const parts: Sql[] = [];
  const includeSub = filter.INCLUDE_SUBSECTIONS === true || filter.INCLUDE_SUBSECTIONS === 'Y';
  if (filter.INCLUDE_SUBSECTIONS !== undefined && typeof filter.INCLUDE_SUBSECTIONS !== 'boolean' && filter.INCLUDE_SUBSECTIONS !== 'Y' && filter.INCLUDE_SUBSECTIONS !== 'N') {
    throw ibErrors.FILTER_VALUE_INVALID('INCLUDE_SUBSECTIONS must be true/false or Y/N', { field: 'INCLUDE_SUBSECTIONS' });
  }
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'LOGIC' || key === 'INCLUDE_SUBSECTIONS') continue;
    if (/^\d+$/.test(key)) {
      parts.push(await compileFilter(value as Filter, env, depth + 1));
      continue;
    }
    const { op, field } = splitKey(key);
    parts.push(await fieldCondition(field, op, value, env, includeSub));
  }
  return parts.length === 0 ? group([], 'AND') : group(parts, logic);
}

function negate(op: Operator, positive: Sql, nullableCol?: string): Sql {
  if (!isNegated(op)) return positive;
  // Two-valued NOT: a missing (NULL) value satisfies every negated condition.
  if (nullableCol) return group([{ sql: '?? IS NULL', bindings: [nullableCol] }, not(positive)], 'OR');
  return not(positive);
}

async function fieldCondition(field: string, op: Operator, value: unknown, env: CompileEnv, includeSub: boolean): Promise<Sql> {
  const { tables } = env;
  if (field === 'SECTION_ID' && value === null) {
    // null: in no section; negated: in some section.
    if (!['=', '!', '!='].includes(op)) throw ibErrors.FILTER_VALUE_INVALID(`Operator "${op}" of filter field "SECTION_ID" needs a value, not null`, { field });
    const bound: Sql = { sql: '(?? IN (SELECT ?? FROM ??))', bindings: ['e.id', 'element_id', tables.elementSections] };
    return op === '=' ? not(bound) : bound;
  }
  if (field === 'SECTION_ID') {
    if (!['=', '@', '!', '!=', '!@'].includes(op)) throw ibErrors.FILTER_OPERATOR_INVALID(`Operator "${op}" does not apply to filter field "SECTION_ID"`, { field, operator: op });
    const ids = (Array.isArray(value) ? value : [value]).map((v) => coerce(field, 'int', v) as number);
    if (ids.length > MAX_IN) throw ibErrors.FILTER_VALUE_INVALID(`Filter field "SECTION_ID" has more than ${MAX_IN} values`, { field });
    let inner: Sql;
    if (ids.length === 0) inner = { sql: '1 = 0', bindings: [] };
    else if (!includeSub) inner = { sql: `?? IN (SELECT ?? FROM ?? WHERE ?? IN (${ids.map(() => '?').join(', ')}))`, bindings: ['e.id', 'element_id', tables.elementSections, 'section_id', ...ids] };
    else {
      const paths = [...(await env.sectionPaths(ids)).values()];
      const ranges = paths.map(() => '(?? >= ? AND ?? < ?)').join(' OR ') || '1 = 0'; // parenthesized below
      const rb = paths.flatMap((p) => ['path', p, 'path', `${p.slice(0, -1)}0`]);
      inner = {
        sql: `?? IN (SELECT ?? FROM ?? WHERE ?? IN (SELECT ?? FROM ?? WHERE ?? = ? AND (${ranges})))`,
        bindings: ['e.id', 'element_id', tables.elementSections, 'section_id', 'id', tables.sections, 'iblock_id', env.meta.iblock.id, ...rb],
      };
    }
    return negate(op, inner);
  }
  if (field === 'ACTIVE_DATE') {
    if (op !== '=' && op !== '!') throw ibErrors.FILTER_OPERATOR_INVALID(`Operator "${op}" does not apply to filter field "ACTIVE_DATE"`, { field, operator: op });
    const yes = value === true || value === 'Y';
    if (!yes && value !== false && value !== 'N') throw ibErrors.FILTER_VALUE_INVALID('ACTIVE_DATE must be Y/N or true/false', { field });
    const now = env.now;
    const active: Sql = { sql: '((?? IS NULL OR ?? <= ?) AND (?? IS NULL OR ?? >= ?))', bindings: ['e.active_from', 'e.active_from', now, 'e.active_to', 'e.active_to', now] };
    return yes !== (op === '!') ? active : not(active);
  }
  const base = elementField(field);
  if (base?.emptyIsNull && value === null) {
    if (!['=', '!', '!='].includes(op)) throw ibErrors.FILTER_VALUE_INVALID(`Operator "${op}" of filter field "${field}" needs a value, not null`, { field });
    const col = `e.${base.column}`;
    return negate(op, { sql: "(?? IS NULL OR ?? = '')", bindings: [col, col] });
  }
  if (base) return negate(op, condition(field, base.kind, op, value, `e.${base.column}`), value === null ? undefined : `e.${base.column}`);
  if (field.startsWith('PROPERTY_')) {
    const prop = env.meta.byCode.get(field.slice('PROPERTY_'.length));
    if (!prop) throw ibErrors.FILTER_FIELD_UNKNOWN(field, { field });
    return propertyCondition(prop, field, op, value, env);
  }
  throw ibErrors.FILTER_FIELD_UNKNOWN(field, { field });
}

function propertyCondition(prop: Property, field: string, op: Operator, value: unknown, env: CompileEnv): Sql {
  const kind = propertyKind(prop.type);
  if (!prop.multiple) {
    const col = `s.${singleColumn(prop.id)}`;
    return negate(op, condition(field, kind, op, value, col), value === null ? undefined : col);
  }
  // Multiple values: "some value matches"; negations mean "no value matches".
  const vcol = `m.${multiColumn(prop.type)}`;
  const positive = value === null && (op === '=' || op === '!' || op === '!=') ? { sql: '1 = 1', bindings: [] } : condition(field, kind, op, value, vcol);
  const exists: Sql = {
    sql: `EXISTS (SELECT 1 FROM ?? AS ?? WHERE ?? = ?? AND ?? = ? AND (${positive.sql}))`,
    bindings: [env.tables.multi, 'm', 'm.element_id', 'e.id', 'm.property_id', prop.id, ...positive.bindings],
  };
  const negated = isNegated(op) !== (value === null && (op === '=' || op === '!' || op === '!='));
  return negated ? not(exists) : exists;
}
