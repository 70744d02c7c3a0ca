import { ibErrors } from '../errors.js';

/** A whole-number form field: blank is undefined (the API's default), anything but digits a 400 naming the field. */
export function intField(raw: string, field: string): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (!/^-?\d{1,15}$/.test(s)) throw ibErrors.IBLOCK_INPUT_INVALID(`${field} must be a whole number, not "${s.slice(0, 30)}"`, { field });
  return Number(s);
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/;

/**
 * Epoch ms of a datetime-local value read as UTC ("2026-05-01T10:30" or with seconds);
 * blank is null. The screens say the zone is UTC, so the server's zone never matters.
 */
export function parseUtc(raw: string, field: string): number | null {
  const s = raw.trim();
  if (s === '') return null;
  const m = LOCAL.exec(s);
  const ms = m ? Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}Z`) : NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== m![1]) {
    throw ibErrors.ELEMENT_INPUT_INVALID(`${field}: "${s.slice(0, 30)}" is not a date and time (YYYY-MM-DD HH:MM, UTC)`, { field });
  }
  return ms;
}

/** The datetime-local value (UTC) of an instant: "2026-05-01T10:30", with seconds only when there are some. */
export function utcInput(value: Date | number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.slice(17, 19) === '00' ? iso.slice(0, 16) : iso.slice(0, 19);
}
