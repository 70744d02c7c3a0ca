import { readFile } from 'node:fs/promises';
import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import type { Element, Iblock, Property, Section } from '../types.js';
import { elementKey, FORMAT_VERSION, isoOrNull, sectionKey } from './format.js';
import { XmlWriter } from './xml-writer.js';

const PAGE = 500;

/** Keys of sections by id, and a lookup of an element's key by id. */
export interface ValueRefs {
  sections: Map<number, string>;
  element: (id: number) => Promise<string | null>;
  /** A user's login (null when the user is gone: the id is written instead). */
  user: (id: number) => Promise<string | null>;
}

/**
 * ValueRefs.element with a per-run cache: `prefetch` loads the keys of every element a page links to in one query;
 * ids not prefetched are looked up one by one.
 */
export function elementKeys(kernel: Kernel, principal: Principal) {
  const api = kernel.api('infoblocks');
  const keys = new Map<number, string | null>();
  const load = async (ids: number[]) => {
    const wanted = ids.filter((id) => !keys.has(id));
    if (!wanted.length) return;
    const found = await api.elements.keysOf(principal, wanted);
    for (const id of wanted) keys.set(id, found.has(id) ? elementKey(found.get(id)!) : null);
  };
  return {
    element: async (id: number): Promise<string | null> => {
      await load([id]);
      return keys.get(id) ?? null;
    },
    prefetch: (elements: Element[], properties: Property[]) =>
      load(elements.flatMap((e) => properties.filter((p) => p.type === 'element').flatMap((p) => [e.properties[p.code]].flat())).filter((v): v is number => typeof v === 'number')),
  };
}

/** ValueRefs.user over the kernel's user service (cached per user there). */
export const userLogin = (kernel: Kernel) => async (id: number): Promise<string | null> => (await kernel.users.find(id))?.login ?? null;

/** Writes a file value (or picture) as <file name mime>base64</file>. */
async function writeFile(kernel: Kernel, w: XmlWriter, id: number, attrs: Record<string, string> = {}): Promise<void> {
  const file = await kernel.files.get(id);
  const bytes = await readFile(kernel.files.absolutePath(file));
  w.leaf('file', { ...attrs, name: file.originalName, mime: file.mimeType }, bytes.toString('base64'));
}

async function writeValue(kernel: Kernel, w: XmlWriter, p: Property, v: string | number, refs: ValueRefs): Promise<void> {
  const attrs = { property: p.code };
  switch (p.type) {
    case 'list': {
      const e = p.enums.find((x) => x.id === Number(v));
      return void w.leaf('value', { ...attrs, enum: e?.xmlId ?? String(v) }, e?.value ?? '');
    }
    case 'file':
      w.open('value', attrs);
      await writeFile(kernel, w, Number(v));
      return void w.close('value');
    case 'section':
      return void w.leaf('value', { ...attrs, section: refs.sections.get(Number(v)) ?? null }, refs.sections.has(Number(v)) ? '' : String(v));
    case 'element': {
      const key = await refs.element(Number(v));
      return void w.leaf('value', { ...attrs, element: key }, key ? '' : String(v));
    }
    case 'datetime':
      return void w.leaf('value', attrs, new Date(Number(v)).toISOString());
    case 'user': {
      const login = await refs.user(Number(v));
      return void w.leaf('value', { ...attrs, user: login }, login ? '' : String(v));
    }
    default:
      return void w.leaf('value', attrs, String(v));
  }
}

export function writeIblock(w: XmlWriter, ib: Iblock, type: { code: string; names: { en: string; ru: string } }): void {
  w.open('iblock', { code: ib.code, site: ib.siteId, sort: ib.sort, active: ib.active, 'sections-enabled': ib.sectionsEnabled, workflow: ib.workflow });
  w.leaf('type', { code: type.code, en: type.names.en, ru: type.names.ru });
  w.leaf('name', {}, ib.name);
  w.leaf('description', {}, ib.description);
  w.leaf('list-url', {}, ib.listUrl);
  w.leaf('detail-url', {}, ib.detailUrl);
  w.leaf('section-url', {}, ib.sectionUrl);
  w.close('iblock');
}

export function writeProperty(w: XmlWriter, p: Property, iblockCodes: Map<number, string>): void {
  w.open('property', {
    code: p.code, type: p.type, multiple: p.multiple, required: p.required, searchable: p.searchable, filterable: p.filterable,
    sort: p.sort, 'xml-id': p.xmlId, 'link-iblock': p.linkIblockId ? (iblockCodes.get(p.linkIblockId) ?? null) : null,
  });
  w.leaf('name', {}, p.name);
  if (p.defaultValue !== null && p.defaultValue !== undefined) w.leaf('default', {}, JSON.stringify(p.defaultValue));
  for (const e of p.enums) w.leaf('enum', { 'xml-id': e.xmlId, sort: e.sort, default: e.isDefault }, e.value);
  w.close('property');
}

export function writeSection(w: XmlWriter, s: Section, byId: Map<number, Section>): void {
  const parent = s.parentId ? byId.get(s.parentId) : undefined;
  w.open('section', { key: sectionKey(s), parent: parent ? sectionKey(parent) : null, 'xml-id': s.xmlId, code: s.code, active: s.active, sort: s.sort });
  w.leaf('name', {}, s.name);
  w.leaf('description', {}, s.description);
  w.close('section');
}

/**
 * The infoblock with code `code` as XML (format: docs/infoblocks.md, "Import and export"): settings, properties with
 * enum values, the section tree and every element with fields, sections and property values (files inline, base64).
 */
export async function exportIblockXml(kernel: Kernel, principal: Principal, code: string): Promise<string> {
  const api = kernel.api('infoblocks');
  const ib = await api.iblocks.getByCode(principal, code);
  const type = (await api.iblocks.listTypes()).find((t) => t.id === ib.typeId)!;
  const properties = await api.properties.list(principal, ib.id);
  const iblockCodes = new Map((await api.iblocks.list(principal)).map((x) => [x.id, x.code]));
  const sections = ib.sectionsEnabled ? await api.sections.list(principal, ib.id) : [];
  const sectionsById = new Map(sections.map((s) => [s.id, s]));
  const sectionKeys = new Map(sections.map((s) => [s.id, sectionKey(s)]));
  const links = elementKeys(kernel, principal);
  const refs: ValueRefs = { sections: sectionKeys, user: userLogin(kernel), element: links.element };

  const w = new XmlWriter();
  w.open('infoblock-export', { version: FORMAT_VERSION });
  writeIblock(w, ib, type);
  w.open('properties');
  for (const p of properties) writeProperty(w, p, iblockCodes);
  w.close('properties');
  w.open('sections');
  for (const s of sections) writeSection(w, s, sectionsById);
  w.close('sections');
  w.open('elements');
  for await (const page of api.elements.pages(principal, ib.id, { pageSize: PAGE })) {
    await links.prefetch(page, properties);
    for (const e of page) await writeElement(kernel, w, e, properties, refs);
  }
  w.close('elements');
  w.close('infoblock-export');
  return w.toString();
}

export async function writeElement(kernel: Kernel, w: XmlWriter, e: Element, properties: Property[], refs: ValueRefs): Promise<void> {
  w.open('element', {
    'xml-id': e.xmlId, code: e.code, active: e.active, sort: e.sort, 'active-from': isoOrNull(e.activeFrom), 'active-to': isoOrNull(e.activeTo),
  });
  w.leaf('name', {}, e.name);
  w.leaf('preview-text', { type: e.previewTextType }, e.previewText);
  w.leaf('detail-text', { type: e.detailTextType }, e.detailText);
  w.leaf('tags', {}, e.tags.join(','));
  for (const [tag, id] of [['preview-picture', e.previewPicture], ['detail-picture', e.detailPicture]] as const) {
    if (!id) continue;
    w.open(tag);
    await writeFile(kernel, w, id);
    w.close(tag);
  }
  const keys = e.sectionIds.map((sid) => refs.sections.get(sid) ?? `id:${sid}`).sort();
  for (const key of keys) w.leaf('section', { key });
  for (const p of properties) {
    const raw = e.properties[p.code];
    const list = raw === null || raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    for (const v of list) if (v !== null) await writeValue(kernel, w, p, v, refs);
  }
  w.close('element');
}
