import { createHash } from 'node:crypto';
import { PortalError } from '../../../core/errors/portal-error.js';
import { ibErrors } from '../errors.js';
import type { Element, ElementInput, Property } from '../types.js';
import { PENDING_FILE } from '../values.js';
import { elementKeys, userLogin, writeElement, type ValueRefs } from './export-xml.js';
import { elementKey } from './format.js';
import { writeLinkPatches, type LinkPatch } from './link-patches.js';
import { canonical, num, rendered, yes, type ImportRun } from './import-types.js';
import { child, childrenOf, childText, type XmlNode } from './xml-reader.js';

const bad = (m: string) => ibErrors.EXCHANGE_INVALID(m);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Elements written per importBatch call. */
const CHUNK = 500;

type Key = { kind: 'xml' | 'code'; value: string };
const parseKey = (key: string): Key => ({ kind: key.startsWith('xml:') ? 'xml' : 'code', value: key.slice(key.indexOf(':') + 1) });

/**
 * Elements in file order, written in batches through importBatch: each is created, updated (stored data differs from
 * the file) or left unchanged. Element links to elements further down the file are set in a second pass.
 */
export async function importElements(run: ImportRun, nodes: XmlNode[], sectionIds: Map<string, number>): Promise<void> {
  const { api, principal, kernel } = run;
  const properties = run.iblockId ? await api.properties.list(principal, run.iblockId) : [];
  const byCode = new Map(properties.map((p) => [p.code, p]));
  const sectionKeys = new Map([...sectionIds].map(([k, id]) => [id, k]));
  const links = elementKeys(kernel, principal);
  const refs: ValueRefs = { sections: sectionKeys, element: links.element, user: userLogin(kernel) };
  /** Element links to elements not yet imported: resolved ids or the file's keys, per property code. */
  const deferred: { id: number; xmlId: string | null; code: string; links: Record<string, (number | string)[]> }[] = [];
  const logins = new Map<string, number | null>();

  /** Element ids by key ("xml:…"/"code:…") in an infoblock (exact match, one query per kind). */
  async function findIds(keys: string[], iblockId: number | null): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!iblockId) return out;
    for (const kind of ['xml', 'code'] as const) {
      const values = keys.map(parseKey).filter((k) => k.kind === kind).map((k) => k.value);
      if (!values.length) continue;
      for (const [v, id] of await api.elements.idsOf(principal, iblockId, kind === 'xml' ? 'xmlId' : 'code', values)) out.set(`${kind}:${v}`, id);
    }
    return out;
  }

  async function userId(login: string, owner: string, p: Property): Promise<number> {
    if (!logins.has(login)) logins.set(login, (await kernel.users.findByLogin(login))?.id ?? null);
    const id = logins.get(login);
    if (!id) throw bad(`Element "${owner}": user "${login}" of property "${p.code}" does not exist`);
    return id;
  }

  async function fileId(n: XmlNode | undefined, reuse: number[]): Promise<number | typeof PENDING_FILE | null> {
    if (!n) return null;
    const bytes = Buffer.from(n.text.replace(/\s+/g, ''), 'base64');
    const sum = sha256(bytes);
    for (const id of reuse) {
      const f = await kernel.files.get(id).catch(() => null);
      if (f && f.checksum === sum && f.originalName === (n.attrs.name ?? 'file')) return id;
    }
    if (run.dryRun) return PENDING_FILE;
    const saved = await kernel.files.save({ module: 'infoblocks', name: n.attrs.name ?? 'file', mimeType: n.attrs.mime, buffer: bytes, createdBy: principal.userId });
    run.storedFiles.push(saved.id);
    return saved.id;
  }

  /** The element input of one node; links to elements not found yet are collected for the second pass. */
  async function inputOf(n: XmlNode, match: Element | null, linkIds: Map<string, number>): Promise<{ input: ElementInput; links: Record<string, (number | string)[]>; needsLink: boolean }> {
    const xmlId = n.attrs['xml-id'] ?? null;
    const code = n.attrs.code ?? '';
    const owner = xmlId ?? code;
    const ownFiles = match ? [match.previewPicture, match.detailPicture, ...fileValues(match, properties)].filter((x): x is number => typeof x === 'number') : [];
    // By property code, which may be "constructor" or "toString": no inherited keys.
    const values: Record<string, unknown[]> = Object.create(null);
    const links: Record<string, (number | string)[]> = Object.create(null);
    let needsLink = false;
    for (const v of childrenOf(n, 'value')) {
      const p = byCode.get(v.attrs.property ?? '');
      if (!p) {
        if (run.dryRun && !run.iblockId) continue;
        throw bad(`Element "${owner}" has a value of unknown property "${v.attrs.property ?? ''}"`);
      }
      const list = (values[p.code] ??= []);
      if (p.type === 'element' && v.attrs.element) {
        const target = linkIds.get(`${p.linkIblockId ?? run.iblockId}|${v.attrs.element}`);
        if (target) list.push(target);
        else needsLink = true;
        (links[p.code] ??= []).push(target ?? v.attrs.element);
        continue;
      }
      switch (p.type) {
        case 'list': {
          const e = p.enums.find((x) => x.xmlId === v.attrs.enum) ?? p.enums.find((x) => x.value === v.text);
          if (!e) throw bad(`Property "${p.code}" has no enum value "${v.attrs.enum ?? v.text}"`);
          list.push(e.id);
          break;
        }
        case 'file':
          list.push(await fileId(child(v, 'file'), ownFiles));
          break;
        case 'section':
          list.push(v.attrs.section ? (sectionIds.get(v.attrs.section) ?? v.attrs.section) : v.text);
          break;
        case 'user':
          list.push(v.attrs.user ? await userId(v.attrs.user, owner, p) : v.text);
          break;
        default:
          list.push(v.text);
      }
    }
    const props: Record<string, unknown> = {};
    for (const p of properties) {
      const list = values[p.code] ?? [];
      props[p.code] = p.multiple ? list : (list[0] ?? null);
    }
    const picture = async (tag: string) => {
      const id = await fileId(child(child(n, tag) ?? n, 'file'), ownFiles);
      return id === PENDING_FILE ? undefined : id;
    };
    const input: ElementInput = {
      name: childText(n, 'name'), code, xmlId, active: yes(n.attrs.active, true), sort: num(n.attrs.sort, 500),
      activeFrom: n.attrs['active-from'] ?? null, activeTo: n.attrs['active-to'] ?? null,
      previewText: childText(n, 'preview-text'), previewTextType: (child(n, 'preview-text')?.attrs.type ?? 'text') as 'text' | 'html',
      detailText: childText(n, 'detail-text'), detailTextType: (child(n, 'detail-text')?.attrs.type ?? 'text') as 'text' | 'html',
      tags: childText(n, 'tags'),
      previewPicture: await picture('preview-picture'),
      detailPicture: await picture('detail-picture'),
      sectionIds: childrenOf(n, 'section').map((s) => {
        const id = sectionIds.get(s.attrs.key ?? '');
        if (id === undefined) throw bad(`Element "${owner}" is in an unknown section "${s.attrs.key ?? ''}"`);
        return id;
      }),
      properties: props,
    };
    return { input, links, needsLink };
  }

  /** One chunk: match by key, build inputs, compare with what is stored, write creates and updates in one batch. */
  async function importChunk(chunk: XmlNode[], doneBefore: number): Promise<void> {
    const keyOf = (n: XmlNode) => elementKey({ xmlId: n.attrs['xml-id'] ?? null, code: n.attrs.code ?? '' });
    const matchIds = await findIds(chunk.map(keyOf).filter((k): k is string => k !== null), run.iblockId);
    const matched = matchIds.size
      ? (await api.elements.list(principal, run.iblockId!, { filter: { '@ID': [...matchIds.values()] }, order: { ID: 'ASC' }, pageSize: CHUNK })).items
      : [];
    const byId = new Map(matched.map((e) => [e.id, e]));
    await links.prefetch(matched, properties);
    const linkIds = new Map<string, number>();
    const linkKeys = new Map<number | null, string[]>();
    for (const n of chunk) {
      for (const v of childrenOf(n, 'value')) {
        const p = byCode.get(v.attrs.property ?? '');
        if (p?.type === 'element' && v.attrs.element) (linkKeys.get(p.linkIblockId ?? run.iblockId) ?? linkKeys.set(p.linkIblockId ?? run.iblockId, []).get(p.linkIblockId ?? run.iblockId)!).push(v.attrs.element);
      }
    }
    for (const [iblockId, keys] of linkKeys) for (const [k, id] of await findIds(keys, iblockId)) linkIds.set(`${iblockId}|${k}`, id);

    const items: ElementInput[] = [];
    const pending: { links: Record<string, (number | string)[]>; needsLink: boolean; index: number }[] = [];
    for (const n of chunk) {
      const key = keyOf(n);
      const matchId = key ? matchIds.get(key) : undefined;
      const match = matchId ? (byId.get(matchId) ?? null) : null;
      const { input, links, needsLink } = await inputOf(n, match, linkIds);
      if (!match) run.report.elements.created++;
      else if ((await rendered((w) => writeElement(kernel, w, match, properties, refs))) === canonical(n)) {
        run.report.elements.unchanged++;
        continue;
      } else run.report.elements.updated++;
      pending.push({ links, needsLink, index: items.length });
      items.push(input);
    }
    if (!run.dryRun && items.length) {
      const res = await api.elements.importBatch(principal, run.iblockId!, items).catch((err: unknown) => {
        if (!(err instanceof PortalError) || typeof err.details?.item !== 'number') throw err;
        const item = items[err.details.item]!;
        throw new PortalError(err.code, `Element "${item.xmlId ?? item.code ?? item.name}": ${err.message.replace(/^item \d+: /, '')}`, { status: err.status, details: err.details });
      });
      for (const p of pending) if (p.needsLink) deferred.push({ id: res.ids[p.index]!, xmlId: items[p.index]!.xmlId ?? null, code: items[p.index]!.code ?? '', links: p.links });
    }
    chunk.forEach((_, i) => run.progress({ phase: 'elements', done: doneBefore + i + 1, total: nodes.length }));
  }

  // Chunks end early where a key repeats, so the second occurrence updates what the first one wrote.
  let chunk: XmlNode[] = [];
  let keys = new Set<string>();
  let done = 0;
  for (const n of nodes) {
    const key = elementKey({ xmlId: n.attrs['xml-id'] ?? null, code: n.attrs.code ?? '' });
    if (chunk.length >= CHUNK || (key && keys.has(key))) {
      await importChunk(chunk, done);
      done += chunk.length;
      chunk = [];
      keys = new Set();
    }
    chunk.push(n);
    if (key) keys.add(key);
  }
  if (chunk.length) await importChunk(chunk, done);

  const patches: LinkPatch[] = [];
  for (let i = 0; i < deferred.length; i += CHUNK) {
    const part = deferred.slice(i, i + CHUNK);
    const targets = new Map<number | null, string[]>();
    for (const d of part) {
      for (const [code, refsOrIds] of Object.entries(d.links)) {
        const target = byCode.get(code)!.linkIblockId ?? run.iblockId;
        (targets.get(target) ?? targets.set(target, []).get(target)!).push(...refsOrIds.filter((r): r is string => typeof r === 'string'));
      }
    }
    const found = new Map<string, number>();
    for (const [target, keys] of targets) for (const [k, id] of await findIds(keys, target)) found.set(`${target}|${k}`, id);
    for (const d of part) {
      const properties: Record<string, unknown> = {};
      for (const [code, refsOrIds] of Object.entries(d.links)) {
        const p = byCode.get(code)!;
        const target = p.linkIblockId ?? run.iblockId;
        const ids = refsOrIds.map((r) => (typeof r === 'number' ? r : found.get(`${target}|${r}`))).filter((id): id is number => id !== undefined);
        properties[code] = p.multiple ? ids : (ids[0] ?? null);
      }
      patches.push({ id: d.id, xmlId: d.xmlId, code: d.code, properties });
    }
  }
  await writeLinkPatches(api, principal, run.iblockId!, patches);
}

function fileValues(e: Element, properties: Property[]): unknown[] {
  return properties.filter((p) => p.type === 'file').flatMap((p) => {
    const v = e.properties[p.code];
    return Array.isArray(v) ? v : [v];
  });
}
