import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import type { InfoblocksApi } from '../api.js';
import { ibErrors } from '../errors.js';
import type { Element, Filter, Property, PropertyValue } from '../types.js';
import { csvFilePath, csvHeader, isoCell, joinList } from './csv-format.js';

export interface CsvExportOptions {
  /** Folder the files are copied to (cells hold paths relative to it); needed only when the infoblock has files. */
  filesDir?: string;
  /** Keep `out` open at the end (stdout). */
  keepOpen?: boolean;
  onProgress?: (p: { done: number; total: number }) => void;
  /** Elements read per query (default 500). */
  pageSize?: number;
}
export interface CsvExportReport {
  elements: number;
  files: number;
}

/** Turns ids in element values into portable references, one query per page for links and users. */
class ExportRefs {
  private readonly sectionPaths = new Map<number, Map<number, string>>();
  private readonly copied = new Set<string>();
  private elementKeys = new Map<number, string>();
  private logins = new Map<number, string>();
  files = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly api: InfoblocksApi,
    private readonly principal: Principal,
    private readonly iblockId: number,
    private readonly filesDir?: string,
  ) {}

  async sectionsOf(iblockId: number): Promise<Map<number, string>> {
    if (!this.sectionPaths.has(iblockId)) {
      const list = await this.api.sections.list(this.principal, iblockId).catch(() => []);
      this.sectionPaths.set(iblockId, new Map(list.map((s) => [s.id, s.codePath])));
    }
    return this.sectionPaths.get(iblockId)!;
  }

  /** Loads keys of linked elements and logins of users referenced by one page. */
  async prepare(page: Element[], properties: Property[]): Promise<void> {
    const ids = (type: string) => page.flatMap((e) => properties.filter((p) => p.type === type).flatMap((p) => values(e.properties[p.code]))).map(Number);
    const keys = await this.api.elements.keysOf(this.principal, ids('element'));
    this.elementKeys = new Map([...keys].map(([id, k]) => [id, k.xmlId ? `xml:${k.xmlId}` : k.code ? `code:${k.code}` : String(id)]));
    this.logins = await this.kernel.users.loginsOf(ids('user'));
  }

  async file(id: number): Promise<string> {
    if (!this.filesDir) throw ibErrors.EXCHANGE_INVALID('The infoblock has files: give a folder to copy them to (--files-dir)');
    const file = await this.kernel.files.get(id);
    const rel = csvFilePath(file);
    if (!this.copied.has(rel)) {
      const target = path.join(this.filesDir, rel);
      const exists = await stat(target).then((s) => s.size === file.size, () => false);
      if (!exists) {
        await mkdir(path.dirname(target), { recursive: true });
        await copyFile(this.kernel.files.absolutePath(file), target);
      }
      this.copied.add(rel);
      this.files++;
    }
    return rel;
  }

  async cell(p: Property, v: string | number): Promise<string> {
    switch (p.type) {
      case 'list':
        return p.enums.find((e) => e.id === Number(v))?.xmlId ?? String(v);
      case 'datetime':
        return new Date(Number(v)).toISOString();
      case 'file':
        return this.file(Number(v));
      case 'element':
        return this.elementKeys.get(Number(v)) ?? String(v);
      case 'section':
        return (await this.sectionsOf(p.linkIblockId ?? this.iblockId)).get(Number(v)) ?? String(v);
      case 'user':
        return this.logins.get(Number(v)) ?? String(v);
      default:
        return String(v);
    }
  }
}

const values = (raw: PropertyValue | PropertyValue[] | undefined): (string | number)[] =>
  (raw === null || raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter((v): v is string | number => v !== null);

async function row(e: Element, properties: Property[], refs: ExportRefs, sections: Map<number, string>): Promise<string[]> {
  const picture = async (id: number | null) => (id ? refs.file(id) : '');
  const out = [
    e.xmlId ?? '', e.code, e.name, e.active ? 'Y' : 'N', isoCell(e.activeFrom), isoCell(e.activeTo), String(e.sort),
    e.previewText, e.previewTextType, e.detailText, e.detailTextType, await picture(e.previewPicture), await picture(e.detailPicture),
    joinList(e.tags), joinList(e.sectionIds.map((id) => sections.get(id) ?? String(id)).sort()),
  ];
  for (const p of properties) {
    const cells: string[] = [];
    for (const v of values(e.properties[p.code])) cells.push(await refs.cell(p, v));
    out.push(p.multiple ? joinList(cells) : (cells[0] ?? ''));
  }
  return out;
}

/**
 * Writes the elements of infoblock `code` as CSV to `out` (format: docs/infoblocks.md, "CSV"), streaming: one page
 * of elements is in memory at a time. Files are copied into `filesDir` and named by relative paths.
 */
export async function exportElementsCsv(kernel: Kernel, principal: Principal, code: string, out: Writable, opts: CsvExportOptions = {}): Promise<CsvExportReport> {
  const api = kernel.api('infoblocks');
  const ib = await api.iblocks.getByCode(principal, code);
  const properties = await api.properties.list(principal, ib.id);
  const fileProps = properties.filter((p) => p.type === 'file');
  if (!opts.filesDir) {
    const withFiles: Filter = { LOGIC: 'OR', '!PREVIEW_PICTURE': null, '!DETAIL_PICTURE': null };
    for (const p of fileProps) withFiles[`!PROPERTY_${p.code}`] = null;
    if ((await api.elements.list(principal, ib.id, { filter: { 0: withFiles }, select: ['ID'], pageSize: 1 })).total) {
      throw ibErrors.EXCHANGE_INVALID(`Infoblock "${code}" has files: give a folder to copy them to (--files-dir)`);
    }
  }
  const refs = new ExportRefs(kernel, api, principal, ib.id, opts.filesDir);
  const total = (await api.elements.list(principal, ib.id, { select: ['ID'], pageSize: 1 })).total;
  const sectionsOf = ib.sectionsEnabled ? await refs.sectionsOf(ib.id) : new Map<number, string>();
  let done = 0;
  async function* records(): AsyncGenerator<string[]> {
    yield csvHeader(properties);
    for await (const page of api.elements.pages(principal, ib.id, { pageSize: opts.pageSize })) {
      await refs.prepare(page, properties);
      for (const e of page) yield await row(e, properties, refs, sectionsOf);
      done += page.length;
      opts.onProgress?.({ done, total: Math.max(total, done) });
    }
  }
  await pipeline(records, stringify({ eof: true }), out, { end: !opts.keepOpen });
  return { elements: done, files: refs.files };
}
