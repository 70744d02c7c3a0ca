import type { ModuleDb } from '../db/module-db.js';
import { toBool } from '../db/module-db.js';
import type { Cache } from '../services.js';
import type { SiteInfo } from '../http/state.js';
import { pageErrors } from './errors.js';

const KEY = 'main:template-rules';
const TAG = 'main:template-rules';
export const RULE_KINDS = ['path_prefix', 'language'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** "Use site template X when ...": evaluated per request by sort order; the first match wins. */
export interface TemplateRule {
  id: number;
  /** A site id, or '*' for every site. */
  siteId: string;
  kind: RuleKind;
  /** path_prefix: `/admin/`; language: `ru`. */
  value: string;
  template: string;
  sort: number;
  active: boolean;
}

export type TemplateRuleInput = Omit<TemplateRule, 'id'>;

/** Site template selection: rules stored in main_template_rules, falling back to the site's template. */
export class TemplateRules {
  constructor(
    private readonly db: ModuleDb,
    private readonly cache: Cache,
    private readonly templateExists: (name: string) => boolean,
  ) {}

  async list(): Promise<TemplateRule[]> {
    return this.cache.remember(KEY, { ttl: 3600, tags: [TAG] }, async () => {
      const rows = (await this.db.read('template_rules').orderBy([{ column: 'sort' }, { column: 'id' }])) as Record<string, unknown>[];
      return rows.map(toRule);
    });
  }

  /** The template for a request: the first active matching rule of the site (or '*'), else the site's own. */
  async select(site: SiteInfo, path: string, language: string): Promise<string> {
    const rules = await this.list();
    const hit = rules.find((r) => r.active && (r.siteId === '*' || r.siteId === site.id) && matches(r, path, language));
    return hit && this.templateExists(hit.template) ? hit.template : site.template || '.default';
  }

  async create(input: TemplateRuleInput): Promise<TemplateRule> {
    const row = this.check(input);
    const [id] = await this.db.write('template_rules').insert({ ...row, created_at: Date.now() });
    await this.cache.invalidateTags(TAG);
    return this.get(Number(id));
  }

  async update(id: number, input: TemplateRuleInput): Promise<TemplateRule> {
    await this.get(id);
    await this.db.write('template_rules').where({ id }).update(this.check(input));
    await this.cache.invalidateTags(TAG);
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.db.write('template_rules').where({ id }).delete();
    await this.cache.invalidateTags(TAG);
  }

  async get(id: number): Promise<TemplateRule> {
    const row = Number.isInteger(id) && id > 0 ? await this.db.write('template_rules').where({ id }).first() : undefined;
    if (!row) throw pageErrors.TEMPLATE_RULE_MISSING(String(id));
    return toRule(row as Record<string, unknown>);
  }

  private check(input: TemplateRuleInput) {
    const value = String(input.value ?? '').trim();
    if (!(RULE_KINDS as readonly string[]).includes(input.kind)) throw pageErrors.TEMPLATE_RULE_INVALID(`The condition must be one of ${RULE_KINDS.join(', ')}`);
    if (input.kind === 'path_prefix' && (!value.startsWith('/') || value.length > 255)) {
      throw pageErrors.TEMPLATE_RULE_INVALID(`The path prefix "${value}" must start with "/" (for example /admin/)`);
    }
    if (input.kind === 'language' && !['en', 'ru'].includes(value)) throw pageErrors.TEMPLATE_RULE_INVALID(`The language must be en or ru, got "${value}"`);
    if (!this.templateExists(input.template)) throw pageErrors.TEMPLATE_RULE_INVALID(`There is no site template "${input.template}"`);
    if (!/^(\*|[a-z0-9_]{2,32})$/.test(input.siteId)) throw pageErrors.TEMPLATE_RULE_INVALID(`"${input.siteId}" is not a site id`);
    const sort = Number(input.sort ?? 100);
    if (!Number.isInteger(sort)) throw pageErrors.TEMPLATE_RULE_INVALID('The sort order must be a whole number');
    return { site_id: input.siteId, kind: input.kind, value, template: input.template, sort, active: input.active !== false };
  }
}

function matches(rule: TemplateRule, path: string, language: string): boolean {
  return rule.kind === 'path_prefix' ? path.startsWith(rule.value) : language === rule.value;
}

function toRule(r: Record<string, unknown>): TemplateRule {
  return {
    id: Number(r.id),
    siteId: String(r.site_id),
    kind: String(r.kind) as RuleKind,
    value: String(r.value),
    template: String(r.template),
    sort: Number(r.sort),
    active: toBool(r.active),
  };
}
