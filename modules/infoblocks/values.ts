import type { ModuleContext } from '../../core/modules/types.js';
import { ibErrors } from './errors.js';
import type { IblockMeta } from './meta.js';
import { cleanHtml } from './sanitize.js';
import { multiColumn, singleColumn, type MultiColumn } from './storage/value-columns.js';
import type { Property, PropertyType } from './types.js';
import { MAX_TEXT_LENGTH, timeInRange } from './validate.js';

export interface MultiValueRow {
  property_id: number;
  column: MultiColumn;
  value: string | number;
}
export interface NormalizedProperties {
  /** Column -> value for the single-value table (null clears). */
  single: Record<string, string | number | null>;
  /** Property ids whose multiple values are replaced, with their new rows. */
  replacedMulti: number[];
  multi: MultiValueRow[];
}

const ID_CHUNK = 500;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const bad = (p: Property, msg: string) => ibErrors.PROPERTY_VALUE_INVALID(`Property "${p.code}" (${p.type}): ${msg}`, { property: p.code });

function toId(p: Property, v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw bad(p, `"${String(v)}" is not an id`);
  return n;
}

/** Property types whose values are ids of other objects; their existence is checked in bulk by `missingLinks`. */
export const LINK_TYPES: ReadonlySet<PropertyType> = new Set<PropertyType>(['element', 'section', 'file', 'user']);

/**
 * Stands for a file an import will store only when it really runs: dry runs of `importBatch` accept it as a file
 * property value (so a required file property counts as given); anywhere else it is an error.
 */
export const PENDING_FILE: unique symbol = Symbol('pending file');

/** Checks and converts one value to what is stored (no database access; link targets are checked separately). */
export function convertValue(p: Property, v: unknown): string | number {
  switch (p.type) {
    case 'string': {
      if (typeof v !== 'string' && typeof v !== 'number') throw bad(p, 'expected a string');
      const s = String(v);
      if (s.length > 255) throw bad(p, 'longer than 255 characters');
      return s;
    }
    case 'html':
      if (typeof v !== 'string') throw bad(p, 'expected HTML text');
      if (v.length > MAX_TEXT_LENGTH) throw bad(p, `longer than ${MAX_TEXT_LENGTH} characters`);
      return cleanHtml(v);
    case 'number': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw bad(p, `"${String(v)}" is not a number`);
      return n;
    }
    case 'date': {
      const s = String(v);
      if (!DATE.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)) || new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s) throw bad(p, `"${s}" is not a date YYYY-MM-DD`);
      if (s < '1000-01-01') throw bad(p, `"${s}" is before the year 1000`);
      return s;
    }
    case 'datetime': {
      const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
      if (!Number.isFinite(ms)) throw bad(p, `"${String(v)}" is not a date/time`);
      if (!timeInRange(ms)) throw bad(p, `"${String(v)}" is not a date/time from year 1000 to 9999`);
      return Math.trunc(ms);
    }
    case 'list': {
      const id = toId(p, v);
      if (!p.enums.some((e) => e.id === id)) throw bad(p, `${id} is not one of its values`);
      return id;
    }
    case 'file':
      return v === PENDING_FILE ? 0 : toId(p, v);
    case 'element':
    case 'section':
    case 'user':
      return toId(p, v);
  }
}

/** Whether the writer reads an infoblock (element and section links may point only into those). */
export type ReadableIblock = (iblockId: number) => Promise<boolean>;

/**
 * Which of `ids` the link property `p` cannot point to (one query per chunk of the list): targets that do not
 * exist, and elements or sections of infoblocks the writer does not read (`readable`).
 */
export async function missingLinks(ctx: ModuleContext, p: Property, ids: number[], readable: ReadableIblock): Promise<Set<number>> {
  const wanted = [...new Set(ids)];
  if (wanted.includes(0)) return new Set([0]);
  if (!wanted.length) return new Set();
  let found: Set<number>;
  if (p.type === 'element' || p.type === 'section') {
    found = new Set<number>();
    for (let i = 0; i < wanted.length; i += ID_CHUNK) {
      const q = ctx.db.read(p.type === 'element' ? 'elements' : 'sections').whereIn('id', wanted.slice(i, i + ID_CHUNK));
      if (p.linkIblockId) q.where({ iblock_id: p.linkIblockId });
      for (const r of (await q.select('id', 'iblock_id')) as Record<string, unknown>[]) if (await readable(Number(r.iblock_id))) found.add(Number(r.id));
    }
  } else if (p.type === 'file') found = await ctx.kernel.files.existingIds(wanted);
  else if (p.type === 'user') found = new Set((await ctx.kernel.users.loginsOf(wanted)).keys());
  else return new Set();
  return new Set(wanted.filter((id) => !found.has(id)));
}

/** The error for a link value whose target does not exist (for the writer: an unreadable target does not either). */
export const missingLinkError = (p: Property, id: number) => bad(p, id === 0 ? 'a file stored only by a real import run (dry runs only)' : `${p.type} ${id} does not exist`);

/** Link values of one element, by property: checked in bulk after conversion. */
export type LinkValues = Map<Property, number[]>;

/**
 * Validates and converts property input by code without touching the database; link ids are collected in `links`.
 * On add (`isNew`) missing values get defaults and required ones must be present; on update only the given codes change.
 */
export function convertProperties(meta: IblockMeta, input: Record<string, unknown> | undefined, isNew: boolean, links: LinkValues): NormalizedProperties {
  const out: NormalizedProperties = { single: {}, replacedMulti: [], multi: [] };
  const given = input ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) throw ibErrors.ELEMENT_INPUT_INVALID('properties must be an object keyed by property code');
  for (const code of Object.keys(given)) if (!meta.byCode.has(code)) throw ibErrors.PROPERTY_UNKNOWN(code, { property: code });
  const convert = (p: Property, v: unknown) => {
    const value = convertValue(p, v);
    if (LINK_TYPES.has(p.type)) (links.get(p) ?? links.set(p, []).get(p)!).push(value as number);
    return value;
  };
  for (const p of meta.properties) {
    let raw = Object.hasOwn(given, p.code) ? given[p.code] : undefined;
    if (raw === undefined && !isNew) continue;
    if (raw === undefined && isNew) raw = p.type === 'list' && p.defaultValue === null ? p.enums.filter((e) => e.isDefault).map((e) => e.id) : p.defaultValue;
    if (p.required && isEmpty(raw)) throw ibErrors.PROPERTY_REQUIRED(p.code, { property: p.code });
    if (p.multiple) {
      const list = isEmpty(raw) ? [] : Array.isArray(raw) ? raw : [raw];
      out.replacedMulti.push(p.id);
      for (const v of list) if (!isEmpty(v)) out.multi.push({ property_id: p.id, column: multiColumn(p.type), value: convert(p, v) });
    } else {
      if (Array.isArray(raw) && raw.length > 1) throw ibErrors.PROPERTY_NOT_MULTIPLE(p.code, { property: p.code });
      const v = Array.isArray(raw) ? raw[0] : raw;
      out.single[singleColumn(p.id)] = isEmpty(v) ? null : convert(p, v);
    }
  }
  return out;
}

/** convertProperties for one element, then its link targets must exist and be readable (one query per link property). */
export async function normalizeProperties(ctx: ModuleContext, meta: IblockMeta, input: Record<string, unknown> | undefined, isNew: boolean, readable: ReadableIblock): Promise<NormalizedProperties> {
  const links: LinkValues = new Map();
  const out = convertProperties(meta, input, isNew, links);
  for (const [p, ids] of links) {
    const missing = await missingLinks(ctx, p, ids, readable);
    const first = ids.find((id) => missing.has(id));
    if (first !== undefined) throw missingLinkError(p, first);
  }
  return out;
}
