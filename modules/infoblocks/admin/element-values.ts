import { checked, list, str } from '../../../core/http/admin-forms.js';
import type { Kernel } from '../../../core/kernel.js';
import { ibErrors } from '../errors.js';
import type { Element, ElementInput, Property, PropertyValue, TextType } from '../types.js';
import type { DateFormat } from '../../../core/time/date-format.js';
import { intField, parseLocal } from './fields.js';

/** The element form as shown: every field as typed (strings), property values per code. */
export interface ElementFormState {
  name: string;
  code: string;
  xmlId: string;
  active: boolean;
  activeFrom: string;
  activeTo: string;
  sort: string;
  tags: string;
  sectionIds: string[];
  previewText: string;
  previewTextType: TextType;
  detailText: string;
  detailTextType: TextType;
  /** Stored pictures (file ids) and whether their "remove" box is ticked. */
  previewPicture: number | null;
  detailPicture: number | null;
  removePreviewPicture: boolean;
  removeDetailPicture: boolean;
  /** Raw values per property code; for file properties the ids of stored files kept. */
  props: Record<string, string[]>;
}

/** Uploaded (and already stored) file ids by form field: previewPicture, detailPicture, prop_<CODE>. */
export type StoredUploads = Map<string, number[]>;

export const fieldOf = (p: Property) => `prop_${p.code}`;
const textType = (v: string): TextType => (v === 'html' ? 'html' : 'text');

export function blankState(properties: Property[], dates: DateFormat): ElementFormState {
  const props: Record<string, string[]> = {};
  for (const p of properties) {
    if (p.type === 'list') props[p.code] = (p.defaultValue === null ? p.enums.filter((e) => e.isDefault).map((e) => e.id) : [p.defaultValue].flat()).map(String);
    else if (p.type === 'file') props[p.code] = [];
    else props[p.code] = [p.defaultValue].flat().filter((v) => v !== null && v !== undefined).map((v) => (p.type === 'datetime' ? dates.input(Number(v)) : String(v)));
  }
  return {
    name: '', code: '', xmlId: '', active: true, activeFrom: '', activeTo: '', sort: '500', tags: '', sectionIds: [],
    previewText: '', previewTextType: 'text', detailText: '', detailTextType: 'text',
    previewPicture: null, detailPicture: null, removePreviewPicture: false, removeDetailPicture: false, props,
  };
}

/** The stored element as the form shows it (times on the site's clock); user properties show logins. */
export async function stateOf(kernel: Kernel, e: Element, properties: Property[], dates: DateFormat): Promise<ElementFormState> {
  const props: Record<string, string[]> = {};
  for (const p of properties) {
    const values = [e.properties[p.code] ?? null].flat().filter((v): v is string | number => v !== null);
    props[p.code] = await Promise.all(values.map((v) => shown(kernel, p, v, dates)));
  }
  return {
    name: e.name, code: e.code, xmlId: e.xmlId ?? '', active: e.active, activeFrom: dates.input(e.activeFrom), activeTo: dates.input(e.activeTo),
    sort: String(e.sort), tags: e.tags.join(', '), sectionIds: e.sectionIds.map(String),
    previewText: e.previewText, previewTextType: e.previewTextType, detailText: e.detailText, detailTextType: e.detailTextType,
    previewPicture: e.previewPicture, detailPicture: e.detailPicture, removePreviewPicture: false, removeDetailPicture: false, props,
  };
}

async function shown(kernel: Kernel, p: Property, v: string | number, dates: DateFormat): Promise<string> {
  if (p.type === 'datetime') return dates.input(Number(v));
  if (p.type === 'user') return (await kernel.users.find(Number(v)))?.login ?? String(v);
  return String(v);
}

/**
 * The posted form. Kept files must be ones the element holds now (`current`): a hidden
 * field can never attach somebody else's file.
 */
export function readPosted(body: unknown, properties: Property[], current: Element | null): ElementFormState {
  const props: Record<string, string[]> = {};
  for (const p of properties) {
    const name = fieldOf(p);
    if (p.type === 'file') {
      const held = new Set([current?.properties[p.code] ?? null].flat().filter((v) => v !== null).map(String));
      const removed = new Set(list(body, `${name}_remove`));
      props[p.code] = list(body, `${name}_keep`).filter((id) => held.has(id) && !removed.has(id));
    } else props[p.code] = p.multiple ? list(body, name).filter((v) => v.trim() !== '') : list(body, name);
  }
  return {
    name: str(body, 'name'), code: str(body, 'code').trim(), xmlId: str(body, 'xmlId').trim(), active: checked(body, 'active'),
    activeFrom: str(body, 'activeFrom'), activeTo: str(body, 'activeTo'), sort: str(body, 'sort'), tags: str(body, 'tags'), sectionIds: list(body, 'sections'),
    previewText: str(body, 'previewText'), previewTextType: textType(str(body, 'previewTextType')),
    detailText: str(body, 'detailText'), detailTextType: textType(str(body, 'detailTextType')),
    previewPicture: current?.previewPicture ?? null, detailPicture: current?.detailPicture ?? null,
    removePreviewPicture: checked(body, 'previewPictureRemove'), removeDetailPicture: checked(body, 'detailPictureRemove'), props,
  };
}

/** Checks what the form can check itself (numbers, datetimes on the site's clock, logins) and builds the API input; the API validates the rest. */
export async function inputOf(kernel: Kernel, s: ElementFormState, properties: Property[], uploads: StoredUploads, dates: DateFormat): Promise<ElementInput> {
  const byCode: Record<string, unknown> = {};
  for (const p of properties) {
    const raw = p.type === 'file' ? [...s.props[p.code]!.map(Number), ...(uploads.get(fieldOf(p)) ?? [])] : s.props[p.code]!.filter((v) => v.trim() !== '');
    const values: unknown[] = [];
    for (const v of raw) values.push(await valueOf(kernel, p, v, dates));
    // A single file property: a new upload (last) replaces the kept file.
    byCode[p.code] = p.multiple ? values : (values.at(-1) ?? null);
  }
  const picture = (field: 'previewPicture' | 'detailPicture', remove: boolean) => uploads.get(field)?.[0] ?? (remove ? null : s[field]);
  return {
    name: s.name, code: s.code, xmlId: s.xmlId || null, active: s.active,
    activeFrom: parseLocal(s.activeFrom, 'activeFrom', dates), activeTo: parseLocal(s.activeTo, 'activeTo', dates), sort: intField(s.sort, 'sort'), tags: s.tags,
    sectionIds: s.sectionIds.filter(Boolean).map((v) => intField(v, 'sections')!),
    previewText: s.previewText, previewTextType: s.previewTextType, detailText: s.detailText, detailTextType: s.detailTextType,
    previewPicture: picture('previewPicture', s.removePreviewPicture), detailPicture: picture('detailPicture', s.removeDetailPicture),
    properties: byCode,
  };
}

async function valueOf(kernel: Kernel, p: Property, v: string | number, dates: DateFormat): Promise<PropertyValue> {
  if (typeof v === 'number') return v;
  const bad = (msg: string) => ibErrors.PROPERTY_VALUE_INVALID(`${p.name} (${p.code}): ${msg}`, { property: p.code });
  switch (p.type) {
    case 'datetime':
      try {
        return parseLocal(v, p.code, dates);
      } catch {
        throw bad(`"${v.slice(0, 30)}" is not a date and time (YYYY-MM-DD HH:MM, ${dates.timeZone})`);
      }
    case 'user': {
      const s = v.trim();
      if (/^\d+$/.test(s)) return Number(s);
      const user = await kernel.users.findByLogin(s);
      if (!user) throw bad(`there is no user with the login "${s.slice(0, 50)}"`);
      return user.id;
    }
    default:
      return v;
  }
}
