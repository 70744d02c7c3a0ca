import type { ModuleContext } from '../../core/modules/types.js';
import { ibErrors } from './errors.js';
import type { IblockMeta } from './meta.js';
import { cleanHtml } from './sanitize.js';
import { multiColumn, singleColumn, type MultiColumn } from './storage/value-columns.js';
import type { Property } from './types.js';

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

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const bad = (p: Property, msg: string) => ibErrors.PROPERTY_VALUE_INVALID(`Property "${p.code}" (${p.type}): ${msg}`, { property: p.code });

function toId(p: Property, v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw bad(p, `"${String(v)}" is not an id`);
  return n;
}

/** Checks and converts one value to what is stored; link targets must exist. */
async function one(ctx: ModuleContext, p: Property, v: unknown): Promise<string | number> {
  switch (p.type) {
    case 'string': {
      if (typeof v !== 'string' && typeof v !== 'number') throw bad(p, 'expected a string');
      const s = String(v);
      if (s.length > 255) throw bad(p, 'longer than 255 characters');
      return s;
    }
    case 'html':
      if (typeof v !== 'string') throw bad(p, 'expected HTML text');
      return cleanHtml(v);
    case 'number': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw bad(p, `"${String(v)}" is not a number`);
      return n;
    }
    case 'date': {
      const s = String(v);
      if (!DATE.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)) || new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s) throw bad(p, `"${s}" is not a date YYYY-MM-DD`);
      return s;
    }
    case 'datetime': {
      const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
      if (!Number.isFinite(ms)) throw bad(p, `"${String(v)}" is not a date/time`);
      return Math.trunc(ms);
    }
    case 'list': {
      const id = toId(p, v);
      if (!p.enums.some((e) => e.id === id)) throw bad(p, `${id} is not one of its values`);
      return id;
    }
    case 'element': {
      const id = toId(p, v);
      const q = ctx.db.read('elements').where({ id });
      if (p.linkIblockId) q.where({ iblock_id: p.linkIblockId });
      if (!(await q.first('id'))) throw bad(p, `element ${id} does not exist`);
      return id;
    }
    case 'section': {
      const id = toId(p, v);
      const q = ctx.db.read('sections').where({ id });
      if (p.linkIblockId) q.where({ iblock_id: p.linkIblockId });
      if (!(await q.first('id'))) throw bad(p, `section ${id} does not exist`);
      return id;
    }
    case 'file': {
      const id = toId(p, v);
      await ctx.kernel.files.get(id).catch(() => {
        throw bad(p, `file ${id} does not exist`);
      });
      return id;
    }
    case 'user': {
      const id = toId(p, v);
      if (!(await ctx.kernel.users.find(id))) throw bad(p, `user ${id} does not exist`);
      return id;
    }
  }
}

/**
 * Validates property input by code. On add (`isNew`) missing values get defaults and
 * required ones must be present; on update only the given codes change.
 */
export async function normalizeProperties(ctx: ModuleContext, meta: IblockMeta, input: Record<string, unknown> | undefined, isNew: boolean): Promise<NormalizedProperties> {
  const out: NormalizedProperties = { single: {}, replacedMulti: [], multi: [] };
  const given = input ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) throw ibErrors.ELEMENT_INPUT_INVALID('properties must be an object keyed by property code');
  for (const code of Object.keys(given)) if (!meta.byCode.has(code)) throw ibErrors.PROPERTY_UNKNOWN(code, { property: code });
  for (const p of meta.properties) {
    let raw = given[p.code];
    if (raw === undefined && !isNew) continue;
    if (raw === undefined && isNew) raw = p.type === 'list' && p.defaultValue === null ? p.enums.filter((e) => e.isDefault).map((e) => e.id) : p.defaultValue;
    if (p.required && isEmpty(raw)) throw ibErrors.PROPERTY_REQUIRED(p.code, { property: p.code });
    if (p.multiple) {
      const list = isEmpty(raw) ? [] : Array.isArray(raw) ? raw : [raw];
      out.replacedMulti.push(p.id);
      for (const v of list) if (!isEmpty(v)) out.multi.push({ property_id: p.id, column: multiColumn(p.type), value: await one(ctx, p, v) });
    } else {
      if (Array.isArray(raw) && raw.length > 1) throw ibErrors.PROPERTY_NOT_MULTIPLE(p.code, { property: p.code });
      const v = Array.isArray(raw) ? raw[0] : raw;
      out.single[singleColumn(p.id)] = isEmpty(v) ? null : await one(ctx, p, v);
    }
  }
  return out;
}
