import { ibErrors } from './errors.js';
import type { IblockMeta } from './meta.js';
import { cleanHtml } from './sanitize.js';
import type { ElementInput, ElementPatch, TextType } from './types.js';
import { bool, int, MAX_TEXT_LENGTH, str, time } from './validate.js';

export const fail = (m: string, details?: Record<string, unknown>) => ibErrors.ELEMENT_INPUT_INVALID(m, details);
export type Row = Record<string, unknown>;

function textType(v: unknown, field: string): TextType {
  if (v === undefined || v === null) return 'text';
  if (v !== 'text' && v !== 'html') throw fail(`${field} must be "text" or "html"`);
  return v;
}

function tagList(v: unknown): string {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : v === undefined || v === null ? [] : null;
  if (!list) throw fail('tags must be a list or a comma-separated string');
  const tags = [...new Set(list.map((t) => String(t).trim()).filter(Boolean))];
  const joined = tags.join(',');
  if (joined.length > 1000) throw fail('tags are longer than 1000 characters');
  return joined;
}

/** Element columns from input; on update only given fields. Texts of type html are sanitized. */
export function elementRow(input: ElementPatch, partial: boolean, current?: Row): Row {
  const row: Row = {};
  const has = (k: keyof ElementInput) => !partial || input[k] !== undefined;
  if (has('name')) row.name = str(input.name, 'name', fail, { required: true, max: 255 });
  if (has('code')) row.code = str(input.code, 'code', fail, { max: 255 });
  if (has('xmlId')) row.xml_id = input.xmlId ? str(input.xmlId, 'xmlId', fail, { max: 255 }) : null;
  if (has('active')) row.active = bool(input.active, 'active', fail, true);
  if (has('activeFrom')) row.active_from = time(input.activeFrom, 'activeFrom', fail);
  if (has('activeTo')) row.active_to = time(input.activeTo, 'activeTo', fail);
  if (has('sort')) row.sort = int(input.sort, 'sort', fail, 500);
  for (const [field, typeField, col] of [['previewText', 'previewTextType', 'preview_text'], ['detailText', 'detailTextType', 'detail_text']] as const) {
    if (!has(field) && !has(typeField)) continue;
    const type = input[typeField] !== undefined ? textType(input[typeField], typeField) : ((current?.[`${col}_type`] as TextType | undefined) ?? 'text');
    const text = input[field] !== undefined ? str(input[field], field, fail, { max: MAX_TEXT_LENGTH }) : String(current?.[col] ?? '');
    row[col] = type === 'html' ? cleanHtml(text) : text;
    row[`${col}_type`] = type;
  }
  if (has('previewPicture')) row.preview_picture = input.previewPicture ? int(input.previewPicture, 'previewPicture', fail) : null;
  if (has('detailPicture')) row.detail_picture = input.detailPicture ? int(input.detailPicture, 'detailPicture', fail) : null;
  if (has('tags')) row.tags = tagList(input.tags);
  const from = row.active_from ?? current?.active_from;
  const to = row.active_to ?? current?.active_to;
  if (from !== null && from !== undefined && to !== null && to !== undefined && Number(to) < Number(from)) throw fail('activeTo is before activeFrom');
  return row;
}

/** Section ids of element input, de-duplicated (existence is checked by the caller). */
export function sectionIdList(m: IblockMeta, ids: unknown): number[] {
  if (ids === undefined || ids === null) return [];
  if (!Array.isArray(ids)) throw fail('sectionIds must be a list');
  const list = [...new Set(ids.map((v, i) => int(v, `sectionIds[${i}]`, fail)))];
  if (list.length && !m.iblock.sectionsEnabled) throw ibErrors.SECTIONS_DISABLED(String(m.iblock.id));
  return list;
}
