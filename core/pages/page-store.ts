import { randomBytes } from 'node:crypto';
import type { ModuleDb } from '../db/module-db.js';
import { toBool, toDate } from '../db/module-db.js';
import type { Cache } from '../services.js';
import { pageErrors } from './errors.js';
import { checkPagePath } from './paths.js';
import { AREAS, type PageContent, type Placement, type PlacementDefinition, type ResolvedPage, type StoredPage } from './types.js';

const TAG = 'main:pages';

/** Checks page content against the installed components, templates and rights (see validate.ts). */
/** Checks page content; `language` is the one problems are worded in (the editor's). */
export type ContentValidator = (content: PageContent, opts?: { params: boolean; language?: string }) => Promise<void>;

/**
 * Pages built by admins, in main_pages. Edits go to a draft that the preview shows;
 * publishing copies the draft to the live columns and makes the page visible.
 */
export class PageStore {
  constructor(
    private readonly db: ModuleDb,
    private readonly cache: Cache,
    private readonly validate: ContentValidator,
  ) {}

  /** Published pages of a site by path, for the router (cached). */
  async published(siteId: string): Promise<Record<string, ResolvedPage>> {
    return this.cache.remember(`main:pages:site:${siteId}`, { ttl: 3600, tags: [TAG] }, async () => {
      const rows = (await this.db.read('pages').where({ site_id: siteId, active: true })) as Record<string, unknown>[];
      const out: Record<string, ResolvedPage> = {};
      for (const r of rows) {
        const p = toPage(r);
        out[p.path] = { source: 'db', id: p.id, path: p.path, title: p.title, template: p.template, access: p.access, placements: p.placements };
      }
      return out;
    });
  }

  async list(siteId?: string): Promise<StoredPage[]> {
    const q = this.db.read('pages').orderBy([{ column: 'site_id' }, { column: 'path' }]);
    if (siteId) q.where({ site_id: siteId });
    return ((await q) as Record<string, unknown>[]).map(toPage);
  }

  async get(id: number): Promise<StoredPage> {
    const row = Number.isInteger(id) && id > 0 ? await this.db.write('pages').where({ id }).first() : undefined;
    if (!row) throw pageErrors.PAGE_MISSING(String(id));
    return toPage(row as Record<string, unknown>);
  }

  /** A new, unpublished page; its content starts as a draft. */
  async create(input: { siteId: string; path: string; title: string; template?: string | null; access?: string | null }): Promise<StoredPage> {
    const path = checkPagePath(input.path);
    const content: PageContent = { title: String(input.title ?? '').trim(), template: input.template || null, access: input.access || null, placements: [] };
    await this.validate(content);
    if (await this.db.write('pages').where({ site_id: input.siteId, path }).first()) throw pageErrors.PAGE_PATH_TAKEN(path);
    const now = Date.now();
    const [id] = await this.db.write('pages').insert({
      site_id: input.siteId,
      path,
      title: content.title,
      template: content.template,
      access: content.access,
      placements: '[]',
      draft: JSON.stringify(content),
      active: false,
      created_at: now,
      updated_at: now,
    });
    return this.get(Number(id));
  }

  /** The content an editor works on: the draft, else the live copy. */
  editable(page: StoredPage): PageContent {
    return page.draft ?? { title: page.title, template: page.template, access: page.access, placements: page.placements };
  }

  /** Replaces the draft after validating it (parameters are checked on publish, and by the builder per placement). */
  async saveDraft(id: number, content: PageContent): Promise<StoredPage> {
    await this.get(id);
    await this.validate(content, { params: false });
    await this.db.write('pages').where({ id }).update({ draft: JSON.stringify(content), updated_at: Date.now() });
    return this.get(id);
  }

  /** Changes the draft with a function of the current editable content. */
  async editDraft(id: number, change: (content: PageContent) => PageContent): Promise<StoredPage> {
    const page = await this.get(id);
    return this.saveDraft(id, change(structuredClone(this.editable(page))));
  }

  async setPath(id: number, rawPath: string): Promise<StoredPage> {
    const page = await this.get(id);
    const path = checkPagePath(rawPath);
    if (path === page.path) return page;
    if (await this.db.write('pages').where({ site_id: page.siteId, path }).first()) throw pageErrors.PAGE_PATH_TAKEN(path);
    await this.db.write('pages').where({ id }).update({ path, updated_at: Date.now() });
    await this.cache.invalidateTags(TAG);
    return this.get(id);
  }

  /** Makes the draft live and the page visible. */
  async publish(id: number, opts: { language?: string } = {}): Promise<StoredPage> {
    const page = await this.get(id);
    const content = this.editable(page);
    await this.validate(content, { params: true, language: opts.language });
    await this.db.write('pages').where({ id }).update({
      title: content.title,
      template: content.template,
      access: content.access,
      placements: JSON.stringify(content.placements),
      draft: null,
      active: true,
      updated_at: Date.now(),
    });
    await this.cache.invalidateTags(TAG);
    return this.get(id);
  }

  async unpublish(id: number): Promise<StoredPage> {
    await this.get(id);
    await this.db.write('pages').where({ id }).update({ active: false, updated_at: Date.now() });
    await this.cache.invalidateTags(TAG);
    return this.get(id);
  }

  async discardDraft(id: number): Promise<StoredPage> {
    await this.get(id);
    await this.db.write('pages').where({ id }).update({ draft: null, updated_at: Date.now() });
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.db.write('pages').where({ id }).delete();
    await this.cache.invalidateTags(TAG);
  }
}

/** A placement with a fresh id and defaults filled in. */
export function newPlacement(def: PlacementDefinition): Placement {
  return {
    id: randomBytes(4).toString('hex'),
    component: def.component,
    template: def.template || '.default',
    params: def.params ?? {},
    area: def.area && (AREAS as readonly string[]).includes(def.area) ? def.area : 'main',
  };
}

function toPage(r: Record<string, unknown>): StoredPage {
  return {
    id: Number(r.id),
    siteId: String(r.site_id),
    path: String(r.path),
    title: String(r.title),
    template: r.template ? String(r.template) : null,
    access: r.access ? String(r.access) : null,
    placements: parsePlacements(r.placements),
    draft: typeof r.draft === 'string' && r.draft ? parseContent(r.draft) : null,
    active: toBool(r.active),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

function parsePlacements(raw: unknown): Placement[] {
  try {
    const list = JSON.parse(String(raw ?? '[]')) as unknown;
    return Array.isArray(list) ? (list as Placement[]) : [];
  } catch {
    return [];
  }
}

function parseContent(raw: string): PageContent | null {
  try {
    const c = JSON.parse(raw) as PageContent;
    return { title: String(c.title ?? ''), template: c.template ?? null, access: c.access ?? null, placements: Array.isArray(c.placements) ? c.placements : [] };
  } catch {
    return null;
  }
}
