import { createHash } from 'node:crypto';
import { ibErrors } from '../errors.js';
import type { Element, ElementInput, Property } from '../types.js';
import { writeElement, type ValueRefs } from './export-xml.js';
import { elementKey } from './format.js';
import { canonical, num, rendered, yes, type ImportRun } from './import-types.js';
import { child, childrenOf, childText, type XmlNode } from './xml-reader.js';

const bad = (m: string) => ibErrors.EXCHANGE_INVALID(m);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Elements in file order; element links to elements further down the file are set in a second pass. */
export async function importElements(run: ImportRun, nodes: XmlNode[], sectionIds: Map<string, number>): Promise<void> {
  const { api, principal, kernel } = run;
  const properties = run.iblockId ? await api.properties.list(principal, run.iblockId) : [];
  const byCode = new Map(properties.map((p) => [p.code, p]));
  const sectionKeys = new Map([...sectionIds].map(([k, id]) => [id, k]));
  const refs: ValueRefs = { sections: sectionKeys, element: async (id) => api.elements.get(principal, id).then(elementKey, () => null) };
  /** Element links to elements not yet imported: resolved ids or the file's keys, per property code. */
  const deferred: { id: number; links: Record<string, (number | string)[]> }[] = [];

  async function findElement(key: string | null, iblockId: number | null): Promise<Element | null> {
    if (!key || !iblockId) return null;
    const [kind, value] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const filter = kind === 'xml' ? { '=XML_ID': value } : { '=CODE': value };
    return (await api.elements.list(principal, iblockId, { filter, order: { ID: 'ASC' }, pageSize: 1 })).items[0] ?? null;
  }

  async function fileId(n: XmlNode | undefined, reuse: number[]): Promise<number | null> {
    if (!n) return null;
    const bytes = Buffer.from(n.text.replace(/\s+/g, ''), 'base64');
    const sum = sha256(bytes);
    for (const id of reuse) {
      const f = await kernel.files.get(id).catch(() => null);
      if (f && f.checksum === sum && f.originalName === (n.attrs.name ?? 'file')) return id;
    }
    if (run.dryRun) return -1;
    return (await kernel.files.save({ module: 'infoblocks', name: n.attrs.name ?? 'file', mimeType: n.attrs.mime, buffer: bytes, createdBy: principal.userId })).id;
  }

  for (const [i, n] of nodes.entries()) {
    const xmlId = n.attrs['xml-id'] ?? null;
    const code = n.attrs.code ?? '';
    const match = await findElement(elementKey({ xmlId, code }), run.iblockId);
    const ownFiles = match ? [match.previewPicture, match.detailPicture, ...fileValues(match, properties)].filter((x): x is number => typeof x === 'number') : [];
    const values: Record<string, unknown[]> = {};
    const links: Record<string, (number | string)[]> = {};
    let needsLink = false;
    for (const v of childrenOf(n, 'value')) {
      const p = byCode.get(v.attrs.property ?? '');
      if (!p) {
        if (run.dryRun && !run.iblockId) continue;
        throw bad(`Element "${xmlId ?? code}" has a value of unknown property "${v.attrs.property ?? ''}"`);
      }
      const list = (values[p.code] ??= []);
      if (p.type === 'element' && v.attrs.element) {
        const target = await findElement(v.attrs.element, p.linkIblockId ?? run.iblockId);
        if (target) list.push(target.id);
        else needsLink = true;
        (links[p.code] ??= []).push(target ? target.id : v.attrs.element);
      } else list.push(await valueOf(p, v));
    }
    async function valueOf(p: Property, v: XmlNode): Promise<unknown> {
      switch (p.type) {
        case 'list': {
          const e = p.enums.find((x) => x.xmlId === v.attrs.enum) ?? p.enums.find((x) => x.value === v.text);
          if (!e) throw bad(`Property "${p.code}" has no enum value "${v.attrs.enum ?? v.text}"`);
          return e.id;
        }
        case 'file':
          return fileId(child(v, 'file'), ownFiles);
        case 'section':
          return v.attrs.section ? (sectionIds.get(v.attrs.section) ?? v.attrs.section) : v.text;
        default:
          return v.text;
      }
    }
    const props: Record<string, unknown> = {};
    for (const p of properties) {
      const list = values[p.code] ?? [];
      props[p.code] = p.multiple ? list : (list[0] ?? null);
    }
    const input: ElementInput = {
      name: childText(n, 'name'), code, xmlId, active: yes(n.attrs.active, true), sort: num(n.attrs.sort, 500),
      activeFrom: n.attrs['active-from'] ?? null, activeTo: n.attrs['active-to'] ?? null,
      previewText: childText(n, 'preview-text'), previewTextType: (child(n, 'preview-text')?.attrs.type ?? 'text') as 'text' | 'html',
      detailText: childText(n, 'detail-text'), detailTextType: (child(n, 'detail-text')?.attrs.type ?? 'text') as 'text' | 'html',
      tags: childText(n, 'tags'),
      previewPicture: await fileId(child(child(n, 'preview-picture') ?? n, 'file'), ownFiles),
      detailPicture: await fileId(child(child(n, 'detail-picture') ?? n, 'file'), ownFiles),
      sectionIds: childrenOf(n, 'section').map((s) => {
        const id = sectionIds.get(s.attrs.key ?? '');
        if (id === undefined) throw bad(`Element "${xmlId ?? code}" is in an unknown section "${s.attrs.key ?? ''}"`);
        return id;
      }),
      properties: props,
    };
    let id: number | null = null;
    if (!match) {
      run.report.elements.created++;
      if (!run.dryRun) id = (await api.elements.add(principal, run.iblockId!, input)).id;
    } else if ((await rendered((w) => writeElement(kernel, w, match, properties, refs))) === canonical(n)) {
      run.report.elements.unchanged++;
    } else {
      run.report.elements.updated++;
      id = match.id;
      if (!run.dryRun) await api.elements.update(principal, match.id, input);
    }
    if (needsLink && id) deferred.push({ id, links });
    run.progress({ phase: 'elements', done: i + 1, total: nodes.length });
  }
  for (const d of deferred) {
    const patch: Record<string, unknown> = {};
    for (const [code, refsOrIds] of Object.entries(d.links)) {
      const p = byCode.get(code)!;
      const ids: number[] = [];
      for (const r of refsOrIds) {
        const target = typeof r === 'number' ? r : (await findElement(r, p.linkIblockId ?? run.iblockId))?.id;
        if (target) ids.push(target);
      }
      patch[code] = p.multiple ? ids : (ids[0] ?? null);
    }
    await api.elements.update(principal, d.id, { properties: patch });
  }
}

function fileValues(e: Element, properties: Property[]): unknown[] {
  return properties.filter((p) => p.type === 'file').flatMap((p) => {
    const v = e.properties[p.code];
    return Array.isArray(v) ? v : [v];
  });
}

