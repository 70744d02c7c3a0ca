import path from 'node:path';
import type { StoredFile } from '../../../core/files/file-service.js';
import { ibErrors } from '../errors.js';
import type { Property } from '../types.js';

/** Element columns of the CSV format, in file order; properties follow as PROPERTY_<CODE>. */
export const CSV_FIELDS = [
  'XML_ID', 'CODE', 'NAME', 'ACTIVE', 'ACTIVE_FROM', 'ACTIVE_TO', 'SORT', 'PREVIEW_TEXT', 'PREVIEW_TEXT_TYPE',
  'DETAIL_TEXT', 'DETAIL_TEXT_TYPE', 'PREVIEW_PICTURE', 'DETAIL_PICTURE', 'TAGS', 'SECTIONS',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export const PROPERTY_PREFIX = 'PROPERTY_';
/** Separates the values of list cells (TAGS, SECTIONS, multiple properties); "\|" and "\\" escape it. */
export const LIST_SEPARATOR = '|';

export const csvHeader = (properties: Property[]): string[] => [...CSV_FIELDS, ...properties.map((p) => PROPERTY_PREFIX + p.code)];

/** Joins list values into one cell: "a|b", with "|" and "\" escaped by a backslash. */
export function joinList(values: string[]): string {
  return values.map((v) => v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')).join(LIST_SEPARATOR);
}

/** Splits a list cell (inverse of joinList); an empty cell is no values. Throws a message on a bad escape. */
export function splitList(cell: string): string[] {
  if (cell === '') return [];
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const ch = cell[i]!;
    if (ch === '\\') {
      const next = cell[i + 1];
      if (next !== '\\' && next !== '|') throw new Error(next === undefined ? 'a list cell ends with a lone "\\"' : `"\\${next}" is not an escape (use "\\|" or "\\\\")`);
      current += next;
      i++;
    } else if (ch === LIST_SEPARATOR) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Where a stored file goes in the files folder: content-addressed, so the same file is written once. */
export const csvFilePath = (file: Pick<StoredFile, 'checksum' | 'name'>): string => `files/${file.checksum.slice(0, 16)}/${file.name}`;

/** A file cell resolved inside the files folder; anything pointing outside it is refused. */
export function resolveFileCell(filesDir: string, cell: string): string {
  const base = path.resolve(filesDir);
  const full = path.resolve(base, cell);
  if (path.isAbsolute(cell) || cell.includes('\0') || (full !== base && !full.startsWith(base + path.sep))) {
    throw ibErrors.EXCHANGE_INVALID(`file "${cell}" is outside the files folder`);
  }
  return full;
}

/** An ISO 8601 UTC time, or '' for none. */
export const isoCell = (d: Date | null): string => (d ? d.toISOString() : '');
