import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import { ibErrors } from '../errors.js';
import type { EnumInput, Iblock, IblockPatch, PropertyInput, PropertyType } from '../types.js';
import { PROPERTY_TYPES } from '../types.js';
import { writeIblock, writeProperty, writeSection } from './export-xml.js';
import { FORMAT_VERSION, sectionKey } from './format.js';
import { importElements } from './import-elements.js';
import { canonical, counts, num, rendered, yes, type ImportOptions, type ImportReport, type ImportRun } from './import-types.js';
import { child, childrenOf, childText, parseXml, type XmlNode } from './xml-reader.js';

const bad = (m: string) => ibErrors.EXCHANGE_INVALID(m);

/**
 * Imports an infoblock written by exportIblockXml. Everything is matched (infoblock by code, properties by code, enum
 * values by xml_id, sections by xml_id or code path, elements by xml_id or code), so running it again creates nothing new
 * and updates only what changed.
 */
export async function importIblockXml(kernel: Kernel, principal: Principal, xml: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const root = parseXml(xml);
  if (root.name !== 'infoblock-export') throw bad(`Not an infoblock export: the root element is <${root.name}>`);
  if (root.attrs.version !== FORMAT_VERSION) throw bad(`Unsupported export format version "${root.attrs.version ?? ''}"`);
  const ibNode = child(root, 'iblock');
  if (!ibNode?.attrs.code) throw bad('The file has no <iblock code="…">');
  const run: ImportRun = {
    kernel,
    api: kernel.api('infoblocks'),
    principal,
    dryRun: Boolean(opts.dryRun),
    iblockId: null,
    report: { dryRun: Boolean(opts.dryRun), iblock: { code: ibNode.attrs.code, id: null, action: 'created' }, properties: counts(), sections: counts(), elements: counts() },
    progress: opts.onProgress ?? (() => undefined),
    storedFiles: [],
  };
  await importIblock(run, ibNode);
  await importProperties(run, childrenOf(child(root, 'properties') ?? ibNode, 'property'));
  const sectionIds = await importSections(run, childrenOf(child(root, 'sections') ?? ibNode, 'section'));
  try {
    await importElements(run, childrenOf(child(root, 'elements') ?? ibNode, 'element'), sectionIds);
  } catch (err) {
    // Files stored for elements that were never written would belong to no element: delete them again.
    await run.api.elements.releaseFiles(principal, run.storedFiles).catch(() => undefined);
    throw err;
  }
  return run.report;
}

async function importIblock(run: ImportRun, n: XmlNode): Promise<void> {
  const { api, principal } = run;
  const code = n.attrs.code!;
  const typeNode = child(n, 'type');
  if (!typeNode?.attrs.code) throw bad(`Infoblock "${code}" has no <type code="…">`);
  let type = (await api.iblocks.listTypes()).find((t) => t.code === typeNode.attrs.code);
  if (!type && !run.dryRun) type = await api.iblocks.addType(principal, { code: typeNode.attrs.code, names: { en: typeNode.attrs.en ?? typeNode.attrs.code, ru: typeNode.attrs.ru ?? typeNode.attrs.en ?? typeNode.attrs.code } });
  const patch: IblockPatch = {
    code,
    name: childText(n, 'name'),
    siteId: n.attrs.site ?? null,
    sort: num(n.attrs.sort, 500),
    active: yes(n.attrs.active, true),
    sectionsEnabled: yes(n.attrs['sections-enabled'], true),
    workflow: yes(n.attrs.workflow),
    description: childText(n, 'description'),
    listUrl: childText(n, 'list-url'),
    detailUrl: childText(n, 'detail-url'),
    sectionUrl: childText(n, 'section-url'),
  };
  const existing: Iblock | null = await api.iblocks.getByCode(principal, code).catch((err: { code?: string }) => {
    if (err.code === 'IBLOCK_NOT_FOUND') return null;
    throw err;
  });
  if (existing) {
    run.iblockId = existing.id;
    const same = (await rendered((w) => writeIblock(w, existing, type!))) === canonical(n);
    run.report.iblock = { code, id: existing.id, action: same ? 'unchanged' : 'updated' };
    if (!same && !run.dryRun) await api.iblocks.update(principal, existing.id, { ...patch, typeId: type!.id });
  } else if (!run.dryRun) {
    const created = await api.iblocks.add(principal, { ...patch, typeId: type!.id, code, name: patch.name! });
    run.iblockId = created.id;
    run.report.iblock = { code, id: created.id, action: 'created' };
  }
}

async function importProperties(run: ImportRun, nodes: XmlNode[]): Promise<void> {
  const { api, principal } = run;
  const existing = run.iblockId ? await api.properties.list(principal, run.iblockId) : [];
  const iblocks = new Map((await api.iblocks.list(principal)).map((x) => [x.code, x.id]));
  const iblockCodes = new Map([...iblocks].map(([c, id]) => [id, c]));
  for (const [i, n] of nodes.entries()) {
    const code = n.attrs.code ?? '';
    const type = n.attrs.type as PropertyType;
    if (!(PROPERTY_TYPES as readonly string[]).includes(type)) throw bad(`Property "${code}" has an unknown type "${n.attrs.type ?? ''}"`);
    const enums: EnumInput[] = childrenOf(n, 'enum').map((e) => ({ value: e.text, xmlId: e.attrs['xml-id'] ?? e.text, sort: num(e.attrs.sort, 500), isDefault: yes(e.attrs.default) }));
    const defaultText = child(n, 'default')?.text;
    const link = n.attrs['link-iblock'];
    const input: PropertyInput = {
      code, type, name: childText(n, 'name'), multiple: yes(n.attrs.multiple), required: yes(n.attrs.required), searchable: yes(n.attrs.searchable),
      filterable: yes(n.attrs.filterable), sort: num(n.attrs.sort, 500), xmlId: n.attrs['xml-id'] ?? null,
      linkIblockId: link ? (iblocks.get(link) ?? (link === run.report.iblock.code ? run.iblockId : null)) : null,
      defaultValue: defaultText === undefined ? null : (JSON.parse(defaultText) as unknown),
      ...(type === 'list' ? { enums } : {}),
    };
    const match = existing.find((p) => p.code === code);
    if (!match) {
      run.report.properties.created++;
      if (!run.dryRun) await api.properties.add(principal, run.iblockId!, input);
    } else if ((await rendered((w) => writeProperty(w, match, iblockCodes))) === canonical(n)) {
      run.report.properties.unchanged++;
    } else {
      run.report.properties.updated++;
      const { code: _c, type: _t, multiple: _m, ...patch } = input;
      if (!run.dryRun) await api.properties.update(principal, run.iblockId!, match.id, patch);
    }
    run.progress({ phase: 'properties', done: i + 1, total: nodes.length });
  }
}

/** Creates or updates sections in file order (parents first); returns section ids by the file's keys. */
async function importSections(run: ImportRun, nodes: XmlNode[]): Promise<Map<string, number>> {
  const { api, principal } = run;
  const ids = new Map<string, number>();
  const existing = run.iblockId && nodes.length ? await api.sections.list(principal, run.iblockId) : [];
  const byId = new Map(existing.map((s) => [s.id, s]));
  for (const s of existing) ids.set(sectionKey(s), s.id);
  let fake = 0;
  for (const [i, n] of nodes.entries()) {
    const key = n.attrs.key ?? '';
    const parentKey = n.attrs.parent;
    if (parentKey && !ids.has(parentKey)) throw bad(`Section "${key}" names an unknown parent "${parentKey}"`);
    const input = {
      name: childText(n, 'name'), code: n.attrs.code ?? '', xmlId: n.attrs['xml-id'] ?? null, active: yes(n.attrs.active, true),
      sort: num(n.attrs.sort, 500), description: childText(n, 'description'), parentId: parentKey ? ids.get(parentKey)! : null,
    };
    const matchId = ids.get(key);
    const match = matchId ? byId.get(matchId) : undefined;
    if (!match) {
      run.report.sections.created++;
      ids.set(key, run.dryRun ? --fake : (await api.sections.add(principal, run.iblockId!, input)).id);
    } else if ((await rendered((w) => writeSection(w, match, byId))) === canonical(n)) {
      run.report.sections.unchanged++;
    } else {
      run.report.sections.updated++;
      if (!run.dryRun) await api.sections.update(principal, match.id, input);
    }
    run.progress({ phase: 'sections', done: i + 1, total: nodes.length });
  }
  return ids;
}
