import type { PortalError } from '../../core/errors/portal-error.js';

type Fail = (msg: string, details?: Record<string, unknown>) => PortalError;

/** Small input checkers that throw the given coded error naming the field. */
export function str(v: unknown, field: string, fail: Fail, opts: { max?: number; required?: boolean; pattern?: RegExp } = {}): string {
  if (v === undefined || v === null) v = '';
  if (typeof v !== 'string' && typeof v !== 'number') throw fail(`${field} must be a string`, { field });
  const s = String(v).trim();
  if (opts.required && !s) throw fail(`${field} is required`, { field });
  if (opts.max !== undefined && s.length > opts.max) throw fail(`${field} is longer than ${opts.max} characters`, { field });
  if (s && opts.pattern && !opts.pattern.test(s)) throw fail(`${field} "${s}" may hold only ${ALLOWED.get(opts.pattern) ?? 'latin letters and digits'}`, { field });
  return s;
}

/** Integers fit the INT columns they go to (sort, ids) on both databases. */
export const INT_MIN = -2_147_483_648;
export const INT_MAX = 2_147_483_647;

export function int(v: unknown, field: string, fail: Fail, dflt?: number): number {
  if ((v === undefined || v === null || v === '') && dflt !== undefined) return dflt;
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw fail(`${field} must be an integer`, { field });
  if (n < INT_MIN || n > INT_MAX) throw fail(`${field} must be an integer from ${INT_MIN} to ${INT_MAX}`, { field });
  return n;
}

export function bool(v: unknown, field: string, fail: Fail, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (v === true || v === 1 || v === 'Y' || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === 'N' || v === '0' || v === 'false') return false;
  throw fail(`${field} must be a boolean`, { field });
}

/** The instants dates and times may take (years 1000..9999 UTC): they round-trip through `new Date` and ISO 8601. */
export const TIME_MIN = Date.UTC(1000, 0, 1);
export const TIME_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const timeInRange = (ms: number) => Number.isFinite(ms) && ms >= TIME_MIN && ms <= TIME_MAX;

/** Epoch ms from a Date, a number or an ISO string, within TIME_MIN..TIME_MAX; null stays null. */
export function time(v: unknown, field: string, fail: Fail): number | null {
  if (v === undefined || v === null || v === '') return null;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? (/^-?\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
  if (!Number.isFinite(ms)) throw fail(`${field} must be a date/time (epoch ms or ISO 8601)`, { field });
  if (!timeInRange(ms)) throw fail(`${field} must be a date/time from year 1000 to 9999`, { field });
  return Math.trunc(ms);
}

/** Longest preview/detail text or HTML value, in characters (stored as MEDIUMTEXT on MariaDB). */
export const MAX_TEXT_LENGTH = 1_000_000;

export const CODE = /^[A-Za-z][A-Za-z0-9_-]{0,49}$/;
export const PROPERTY_CODE = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;
export const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** What each pattern allows, in words, for error messages (never the regular expression itself). */
const ALLOWED = new Map<RegExp, string>([
  [CODE, 'latin letters, digits, "_" and "-", starting with a letter (at most 50)'],
  [PROPERTY_CODE, 'latin letters, digits and "_", starting with a letter (at most 50)'],
  [SLUG, 'latin letters, digits, ".", "_" and "-", starting with a letter or a digit (at most 100)'],
]);
