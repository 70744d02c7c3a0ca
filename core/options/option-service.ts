import type { ModuleDb } from '../db/module-db.js';
import type { Cache, OptionDefinition } from '../services.js';
import { coreErrors } from '../errors/codes.js';

const tagOf = (moduleId: string) => `main:options:${moduleId}`;

/** The cache tag bumped whenever an option of the module changes (for results built from its options). */
export const optionsTag = tagOf;

/**
 * Module options with defaults declared in the manifest, stored per module and per
 * site ('' = all sites), read through the cache.
 */
export class OptionService {
  private readonly db: ModuleDb;
  private readonly cache: Cache;
  private readonly definitions = new Map<string, Record<string, OptionDefinition>>();

  constructor(deps: { db: ModuleDb; cache: Cache }) {
    this.db = deps.db;
    this.cache = deps.cache;
  }

  register(moduleId: string, defs: Record<string, OptionDefinition>): void {
    this.definitions.set(moduleId, defs);
  }

  definitionsOf(moduleId: string): Record<string, OptionDefinition> {
    return this.definitions.get(moduleId) ?? {};
  }

  /** The site's value, else the all-sites value, else the declared default. */
  async get<T = unknown>(moduleId: string, name: string, siteId = ''): Promise<T> {
    const def = this.definition(moduleId, name);
    const stored = await this.stored(moduleId);
    const key = siteId && Object.hasOwn(stored, `${siteId}\u0000${name}`) ? `${siteId}\u0000${name}` : `\u0000${name}`;
    return (Object.hasOwn(stored, key) ? stored[key] : def.default) as T;
  }

  /** Every option of a module with its effective value (admin settings page, `portal config show`). */
  async list(moduleId: string, siteId = ''): Promise<{ name: string; value: unknown; definition: OptionDefinition }[]> {
    const defs = this.definitionsOf(moduleId);
    return Promise.all(Object.entries(defs).map(async ([name, definition]) => ({ name, value: await this.get(moduleId, name, siteId), definition })));
  }

  async set(moduleId: string, name: string, value: unknown, siteId = ''): Promise<void> {
    const def = this.definition(moduleId, name);
    const checked = coerce(def, value, `${moduleId}.${name}`);
    const row = { module: moduleId, name, site_id: siteId, value: JSON.stringify(checked), updated_at: Date.now() };
    await this.db.write('options').insert(row).onConflict(['module', 'name', 'site_id']).merge(['value', 'updated_at']);
    await this.cache.invalidateTags(tagOf(moduleId));
  }

  /** Back to the default (removes the stored value). */
  async reset(moduleId: string, name: string, siteId = ''): Promise<void> {
    await this.db.write('options').where({ module: moduleId, name, site_id: siteId }).delete();
    await this.cache.invalidateTags(tagOf(moduleId));
  }

  async removeModule(moduleId: string): Promise<void> {
    await this.db.write('options').where({ module: moduleId }).delete();
    await this.cache.invalidateTags(tagOf(moduleId));
  }

  private definition(moduleId: string, name: string): OptionDefinition {
    const defs = this.definitions.get(moduleId);
    const def = defs && typeof name === 'string' && Object.hasOwn(defs, name) ? defs[name] : undefined;
    if (!def) throw coreErrors.NOT_FOUND(`option "${moduleId}.${name}"`);
    return def;
  }

  private stored(moduleId: string): Promise<Record<string, unknown>> {
    return this.cache.remember(`main:options:${moduleId}`, { ttl: 3600, tags: [tagOf(moduleId)] }, async () => {
      const rows = await this.db.read('options').where({ module: moduleId }).select('name', 'site_id', 'value');
      const out: Record<string, unknown> = {};
      for (const r of rows) out[`${String(r.site_id)}\u0000${String(r.name)}`] = JSON.parse(String(r.value));
      return out;
    });
  }
}

/** Turns form/CLI strings into the option's type; rejects what does not fit. */
export function coerce(def: OptionDefinition, value: unknown, label: string): unknown {
  switch (def.type) {
    case 'string':
      if (typeof value !== 'string') throw coreErrors.VALIDATION_FAILED(`option ${label} must be a string`);
      return value;
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (String(value).trim() === '' || !Number.isFinite(n)) throw coreErrors.VALIDATION_FAILED(`option ${label} must be a number, got "${String(value)}"`);
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
        throw coreErrors.VALIDATION_FAILED(`option ${label} must be from ${def.min ?? '-∞'} to ${def.max ?? '∞'}, got ${n}`, { min: def.min, max: def.max });
      }
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (['1', 'true', 'yes', 'on', 'Y'].includes(String(value))) return true;
      if (['0', 'false', 'no', 'off', 'N', ''].includes(String(value))) return false;
      throw coreErrors.VALIDATION_FAILED(`option ${label} must be true or false, got "${String(value)}"`);
    case 'json':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        throw coreErrors.VALIDATION_FAILED(`option ${label} must be JSON`);
      }
  }
}
