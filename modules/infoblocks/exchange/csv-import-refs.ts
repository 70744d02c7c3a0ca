import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import type { InfoblocksApi } from '../api.js';
import type { Element, Property } from '../types.js';
import { SLUG } from '../validate.js';
import { PENDING_FILE } from '../values.js';
import { resolveFileCell } from './csv-format.js';

/** An element reference of a cell: `xml:<xml_id>`, `code:<code>`, a bare id, or else an xml_id. */
export interface ElementRef {
  by: 'xmlId' | 'code' | 'id';
  value: string;
}

export function parseElementRef(cell: string): ElementRef {
  if (cell.startsWith('xml:')) return { by: 'xmlId', value: cell.slice(4) };
  if (cell.startsWith('code:')) return { by: 'code', value: cell.slice(5) };
  if (/^[1-9]\d{0,15}$/.test(cell)) return { by: 'id', value: cell };
  return { by: 'xmlId', value: cell };
}

const sha256File = (file: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('error', reject).on('data', (c) => hash.update(c)).on('end', () => resolve(hash.digest('hex')));
  });

/** Resolves the references of CSV cells (sections, users, elements, files) with one lookup per batch and kind. */
export class ImportRefs {
  private readonly sectionIds = new Map<number, Map<string, number>>();
  private userIds = new Map<string, number>();
  private elementIds = new Map<string, number>();
  /** Files stored (or found) by this run: "sha256 name" -> id. */
  private readonly fileIds = new Map<string, number>();
  /** Files the element being matched already holds, by "sha256 name". */
  private ownFiles = new Map<string, number>();
  filesStored = 0;
  /** Ids of the files this run stored (released again when the import fails). */
  readonly storedIds: number[] = [];
  sectionsCreated = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly api: InfoblocksApi,
    private readonly principal: Principal,
    private readonly opts: { dryRun: boolean; filesDir?: string; createSections?: boolean },
  ) {}

  /** Whether SECTIONS cells create the sections they name that do not exist yet. */
  get createsSections(): boolean {
    return this.opts.createSections === true;
  }

  /** Section ids by code path in the infoblock (the whole tree is loaded once per infoblock; 0 marks one a dry run would create). */
  private async sectionsOf(iblockId: number): Promise<Map<string, number>> {
    if (!this.sectionIds.has(iblockId)) {
      const list = await this.api.sections.list(this.principal, iblockId);
      this.sectionIds.set(iblockId, new Map(list.map((s) => [s.codePath, s.id])));
    }
    return this.sectionIds.get(iblockId)!;
  }

  /** Section id by code path in the infoblock. */
  async section(iblockId: number, codePath: string): Promise<number | undefined> {
    const id = (await this.sectionsOf(iblockId)).get(codePath);
    return id === 0 ? undefined : id;
  }

  /**
   * The section of a code path, creating the missing ones along it (named by their codes); a dry run creates
   * nothing and answers 0 for a section it would create.
   */
  async ensureSection(iblockId: number, codePath: string): Promise<number> {
    const known = await this.sectionsOf(iblockId);
    let parentId: number | null = null;
    let prefix = '';
    for (const code of codePath.split('/')) {
      prefix = prefix ? `${prefix}/${code}` : code;
      let id = known.get(prefix);
      if (id === undefined) {
        if (!SLUG.test(code)) throw new Error(`section "${codePath}" cannot be created: "${code}" is not a valid code (letters, digits, _ . -)`);
        id = this.opts.dryRun ? 0 : (await this.api.sections.add(this.principal, iblockId, { name: code, code, parentId })).id;
        known.set(prefix, id);
        this.sectionsCreated++;
      }
      parentId = id;
    }
    return parentId!;
  }

  /** Loads the ids of every login and element reference of a batch (one query per kind and target). */
  async prepare(logins: string[], elements: { iblockId: number; ref: ElementRef }[]): Promise<void> {
    this.userIds = await this.kernel.users.idsOfLogins(logins);
    this.elementIds = new Map();
    const groups = new Map<string, { iblockId: number; by: 'xmlId' | 'code'; values: string[] }>();
    for (const { iblockId, ref } of elements) {
      if (ref.by === 'id') continue;
      const key = `${iblockId}:${ref.by}`;
      (groups.get(key) ?? groups.set(key, { iblockId, by: ref.by, values: [] }).get(key)!).values.push(ref.value);
    }
    for (const g of groups.values()) {
      for (const [value, id] of await this.api.elements.idsOf(this.principal, g.iblockId, g.by, g.values)) this.elementIds.set(`${g.iblockId}:${g.by}:${value}`, id);
    }
    const ids = elements.filter((e) => e.ref.by === 'id').map((e) => Number(e.ref.value));
    for (const [id, keys] of await this.api.elements.keysOf(this.principal, ids)) this.elementIds.set(`${keys.iblockId}:id:${id}`, id);
  }

  /** A user id by login; a number that is no login is taken as an id (files written before logins were used). */
  user(login: string): number | undefined {
    return this.userIds.get(login.trim().toLowerCase()) ?? (/^[1-9]\d{0,15}$/.test(login) ? Number(login) : undefined);
  }

  element(iblockId: number, ref: ElementRef): number | undefined {
    return this.elementIds.get(`${iblockId}:${ref.by}:${ref.value}`);
  }

  /** Files of the element a row updates, so an unchanged file is reused instead of stored again. */
  async ownFilesOf(element: Element | null, properties: Property[]): Promise<void> {
    this.ownFiles = new Map();
    if (!element) return;
    const ids = [element.previewPicture, element.detailPicture, ...properties.filter((p) => p.type === 'file').flatMap((p) => [element.properties[p.code]].flat())];
    for (const id of ids) {
      if (typeof id !== 'number') continue;
      const f = await this.kernel.files.get(id).catch(() => null);
      if (f) this.ownFiles.set(`${f.checksum} ${f.originalName}`, f.id);
    }
  }

  /**
   * The file id for a file cell: the element's identical file, one stored earlier in this run, or a newly stored copy.
   * A dry run stores nothing and answers PENDING_FILE for files it would store.
   */
  async file(cell: string): Promise<number | typeof PENDING_FILE> {
    if (!this.opts.filesDir) throw new Error('file cells need the folder they are relative to (--files-dir)');
    const full = resolveFileCell(this.opts.filesDir, cell);
    const info = await stat(full).catch(() => null);
    if (!info?.isFile()) throw new Error(`file "${cell}" does not exist in ${this.opts.filesDir}`);
    const key = `${await sha256File(full)} ${path.basename(full)}`;
    const known = this.ownFiles.get(key) ?? this.fileIds.get(key);
    if (known) return known;
    if (this.opts.dryRun) return PENDING_FILE;
    const saved = await this.kernel.files.save({ module: 'infoblocks', name: path.basename(full), path: full, createdBy: this.principal.userId });
    this.fileIds.set(key, saved.id);
    this.storedIds.push(saved.id);
    this.filesStored++;
    return saved.id;
  }

}
