import { linkProblem } from '../security/safe-link.js';
import type { ModuleDb } from '../db/module-db.js';
import { toBool } from '../db/module-db.js';
import type { Cache } from '../services.js';
import type { SiteInfo } from '../http/state.js';
import { coreErrors } from '../errors/codes.js';
import { isTimeZone } from '../time/zones.js';

const CACHE_KEY = 'main:sites';
const CACHE_TAG = 'main:sites';
const ID_PATTERN = /^[a-z0-9_]{2,32}$/;
const HOST_PATTERN = /^[a-z0-9.-]+(:\d+)?$/;

export interface SiteInput {
  id: string;
  name: string;
  domains?: string[];
  language?: string;
  dir?: string;
  template?: string;
  sort?: number;
  isDefault?: boolean;
  active?: boolean;
  /** An IANA zone from Intl.supportedValuesOf('timeZone') or "UTC"; null or '' for the server's. */
  timeZone?: string | null;
}

/** Sites: each request is resolved to one by its Host header, else to the default site. */
export class SiteService {
  private readonly db: ModuleDb;
  private readonly cache: Cache;

  constructor(deps: { db: ModuleDb; cache: Cache }) {
    this.db = deps.db;
    this.cache = deps.cache;
  }

  async list(): Promise<SiteInfo[]> {
    return this.cache.remember(CACHE_KEY, { ttl: 3600, tags: [CACHE_TAG] }, async () => {
      const rows = await this.db.read('sites').orderBy([{ column: 'sort' }, { column: 'id' }]);
      return (rows as Record<string, unknown>[]).filter((r) => toBool(r.active)).map(toSite);
    });
  }

  async get(id: string): Promise<SiteInfo> {
    const site = (await this.list()).find((s) => s.id === id);
    if (!site) throw coreErrors.NOT_FOUND(`site "${id}"`);
    return site;
  }

  /** The site whose domains list the host (port ignored), else the default site. */
  async resolve(host: string | undefined): Promise<SiteInfo> {
    const sites = await this.list();
    const bare = (host ?? '').toLowerCase().replace(/:\d+$/, '');
    const match = sites.find((s) => s.domains.some((d) => d.replace(/:\d+$/, '') === bare));
    const site = match ?? sites.find((s) => s.isDefault) ?? sites[0];
    if (!site) throw coreErrors.NOT_INSTALLED();
    return site;
  }

  async create(input: SiteInput): Promise<SiteInfo> {
    const row = validate(input);
    if (await this.db.write('sites').where({ id: row.id }).first()) throw coreErrors.CONFLICT(`site "${row.id}" already exists`);
    await this.db.transaction(async (tx) => {
      if (row.is_default) await tx.table('sites').update({ is_default: false });
      await tx.table('sites').insert({ ...row, created_at: Date.now() });
    });
    await this.cache.invalidateTags(CACHE_TAG);
    return this.get(row.id);
  }

  async update(id: string, patch: Partial<Omit<SiteInput, 'id'>>): Promise<SiteInfo> {
    const current = await this.db.write('sites').where({ id }).first();
    if (!current) throw coreErrors.NOT_FOUND(`site "${id}"`);
    const row = validate({ ...toSite(current), ...patch, id });
    await this.db.transaction(async (tx) => {
      if (row.is_default) await tx.table('sites').whereNot({ id }).update({ is_default: false });
      await tx.table('sites').where({ id }).update(row);
    });
    await this.cache.invalidateTags(CACHE_TAG);
    return this.get(id);
  }

  /** Creates the default site "s1" if no site exists (installer). */
  async ensureDefault(name: string, language: string): Promise<SiteInfo> {
    const any = await this.db.write('sites').first();
    if (!any) await this.create({ id: 's1', name, language, domains: [], isDefault: true });
    return (await this.list()).find((s) => s.isDefault) ?? (await this.get('s1'));
  }
}

function validate(input: SiteInput) {
  if (!ID_PATTERN.test(input.id)) throw coreErrors.VALIDATION_FAILED(`site id "${input.id}" must be 2-32 of a-z, 0-9, _`);
  if (!input.name?.trim()) throw coreErrors.VALIDATION_FAILED('site name is required');
  const domains = (input.domains ?? []).map((d) => d.trim().toLowerCase()).filter(Boolean);
  const bad = domains.find((d) => !HOST_PATTERN.test(d));
  if (bad) throw coreErrors.VALIDATION_FAILED(`"${bad}" is not a host name`);
  const language = input.language ?? 'en';
  if (!['en', 'ru'].includes(language)) throw coreErrors.VALIDATION_FAILED(`site language must be en or ru, got "${language}"`);
  const timeZone = input.timeZone?.trim() || null;
  if (timeZone && !isTimeZone(timeZone)) throw coreErrors.VALIDATION_FAILED(`"${timeZone.slice(0, 64)}" is not a time zone (use an IANA name such as Europe/Moscow, or leave it empty for the server's)`);
  const dir = input.dir ?? '/';
  if (!dir.startsWith('/') || dir.includes('..') || linkProblem(dir) !== null) throw coreErrors.VALIDATION_FAILED(`site dir must start with / and not contain .., got "${dir}"`);
  return {
    id: input.id,
    name: input.name.trim(),
    domains: JSON.stringify(domains),
    language,
    dir: dir.endsWith('/') ? dir : `${dir}/`,
    template: input.template ?? '.default',
    sort: input.sort ?? 100,
    is_default: Boolean(input.isDefault),
    active: input.active ?? true,
    time_zone: timeZone,
  };
}

function toSite(r: Record<string, unknown>): SiteInfo {
  return {
    id: String(r.id),
    name: String(r.name),
    domains: typeof r.domains === 'string' ? (JSON.parse(r.domains) as string[]) : [],
    language: String(r.language),
    dir: String(r.dir),
    template: String(r.template),
    isDefault: toBool(r.is_default),
    timeZone: typeof r.time_zone === 'string' && r.time_zone ? r.time_zone : null,
  };
}
