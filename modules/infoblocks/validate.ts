import type { PortalError } from '../../core/errors/portal-error.js';

type Fail = (msg: string) => PortalError;

/** Small input checkers that throw the given coded error naming the field. */
export function str(v: unknown, field: string, fail: Fail, opts: { max?: number; required?: boolean; pattern?: RegExp } = {}): string {
  if (v === undefined || v === null) v = '';
  if (typeof v !== 'string' && typeof v !== 'number') throw fail(`${field} must be a string`);
  const s = String(v).trim();
  if (opts.required && !s) throw fail(`${field} is required`);
  if (opts.max !== undefined && s.length > opts.max) throw fail(`${field} is longer than ${opts.max} characters`);
  if (s && opts.pattern && !opts.pattern.test(s)) throw fail(`${field} "${s}" must match ${opts.pattern}`);
  return s;
}

export function int(v: unknown, field: string, fail: Fail, dflt?: number): number {
  if ((v === undefined || v === null || v === '') && dflt !== undefined) return dflt;
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw fail(`${field} must be an integer`);
  return n;
}

export function bool(v: unknown, field: string, fail: Fail, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (v === true || v === 1 || v === 'Y' || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === 'N' || v === '0' || v === 'false') return false;
  throw fail(`${field} must be a boolean`);
}

/** Epoch ms from a Date, a number or an ISO string; null stays null. */
export function time(v: unknown, field: string, fail: Fail): number | null {
  if (v === undefined || v === null || v === '') return null;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? (/^-?\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
  if (!Number.isFinite(ms)) throw fail(`${field} must be a date/time (epoch ms or ISO 8601)`);
  return Math.trunc(ms);
}

/** Longest preview/detail text or HTML value, in characters (stored as MEDIUMTEXT on MariaDB). */
export const MAX_TEXT_LENGTH = 1_000_000;

export const CODE = /^[A-Za-z][A-Za-z0-9_-]{0,49}$/;
export const PROPERTY_CODE = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;
export const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
