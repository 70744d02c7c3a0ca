import type { DateFormat } from '../../../core/time/date-format.js';
import { ibErrors } from '../errors.js';

/** A whole-number form field: blank is undefined (the API's default), anything but digits a 400 naming the field. */
export function intField(raw: string, field: string): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (!/^-?\d{1,15}$/.test(s)) throw ibErrors.IBLOCK_INPUT_INVALID(`${field} must be a whole number, not "${s.slice(0, 30)}"`, { field });
  return Number(s);
}

/**
 * Epoch ms of a datetime-local value ("2026-05-01T10:30", seconds optional) read on the
 * site's clock (`dates.timeZone`), so what the form shows comes back unchanged; blank is null.
 */
export function parseLocal(raw: string, field: string, dates: DateFormat): number | null {
  const ms = dates.parseInput(raw);
  if (ms !== null && Number.isNaN(ms)) {
    throw ibErrors.ELEMENT_INPUT_INVALID(`${field}: "${raw.trim().slice(0, 30)}" is not a date and time (YYYY-MM-DD HH:MM, ${dates.timeZone})`, { field });
  }
  return ms;
}
