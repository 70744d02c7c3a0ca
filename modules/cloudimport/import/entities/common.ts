import { cloudErrors } from '../../errors.js';
import type { RawRow } from '../../read/table.js';
import { date, ref, text } from '../../read/values.js';

/** The cloud id of a row (ID or id); a row without one is bad. */
export function idOf(row: RawRow, entity: string): string {
  const id = ref(row.ID ?? row.id);
  if (!id) throw cloudErrors.CLOUD_BAD_ROW(`${entity}: a row without an ID`);
  return id;
}

/** A date field as epoch milliseconds or null; a text that is no date makes the row bad, naming the field. */
export function dateField(row: RawRow, field: string, zone: string): number | null {
  const d = date(row[field], zone);
  if (d === undefined) throw cloudErrors.CLOUD_BAD_ROW(`${field}: "${String(text(row[field]) ?? JSON.stringify(row[field]))}" is not a date`);
  return d ? d.getTime() : null;
}

export function required(value: string | null, field: string): string {
  if (!value) throw cloudErrors.CLOUD_BAD_ROW(`${field} is empty`);
  return value;
}

export const num = (v: string | undefined): number | null => (v === undefined ? null : Number(v));
