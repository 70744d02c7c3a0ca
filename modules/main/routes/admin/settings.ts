import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import type { OptionDefinition } from '../../../../core/services.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { coerce } from '../../../../core/options/option-service.js';
import { checked, done, formError, query, str, type AdminKit, type Ctx } from './http.js';

interface OptionRow {
  name: string;
  title: string;
  type: OptionDefinition['type'];
  defaultText: string;
  /** The form value as text (checkbox: '1' or ''). */
  value: string;
  /** Site scope: the value is this site's own; all-sites scope: unused. */
  override: boolean;
  /** All-sites scope: back to the declared default. */
  reset: boolean;
}

/** /admin/settings/<module>/: each option as a form field by type, for all sites or one site. */
export function settingsRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;

  router.get('/admin/settings/', kit.view, async (ctx) => {
    const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
    const modules = optionModules(kit).map((id) => ({ id, title: kernel.modules.available.get(id)?.title[lang] ?? id, count: Object.keys(kernel.options.definitionsOf(id)).length }));
    await kit.render(ctx, 'settings-index', kit.t(ctx, 'ADM_SETTINGS'), { modules });
  });

  router.get('/admin/settings/:module/', kit.view, async (ctx) => {
    const moduleId = known(kit, ctx.params.module);
    const siteId = await siteParam(kit, query(ctx, 'site'));
    await renderForm(kit, ctx, moduleId, siteId, await currentRows(kit, ctx, moduleId, siteId));
  });

  router.post('/admin/settings/:module/', ...kit.change('main.settings.edit'), async (ctx) => {
    const moduleId = known(kit, ctx.params.module);
    const body = ctx.request.body;
    const siteId = await siteParam(kit, str(body, 'site'));
    const rows = await currentRows(kit, ctx, moduleId, siteId);
    const effective = new Map((await kernel.options.list(moduleId, siteId)).map((o) => [o.name, o.value]));
    const defs = kernel.options.definitionsOf(moduleId);
    for (const row of rows) {
      row.value = defs[row.name]!.type === 'boolean' ? (checked(body, `value_${row.name}`) ? '1' : '') : str(body, `value_${row.name}`);
      row.override = siteId !== '' && checked(body, `override_${row.name}`);
      row.reset = siteId === '' && checked(body, `reset_${row.name}`);
    }
    try {
      // Check every value before storing any.
      const parsed = new Map(rows.map((r) => [r.name, keepsValue(r, siteId) ? coerce(defs[r.name]!, r.value, `${moduleId}.${r.name}`) : undefined]));
      for (const row of rows) {
        if (row.reset) await kernel.options.reset(moduleId, row.name, '');
        else if (siteId && !row.override) await kernel.options.reset(moduleId, row.name, siteId);
        // A site override is stored as given; an all-sites value only when it changed (defaults stay defaults).
        else if (siteId || !same(parsed.get(row.name), effective.get(row.name))) await kernel.options.set(moduleId, row.name, parsed.get(row.name), siteId);
      }
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, moduleId, siteId, rows, e.message, e.status);
    }
    done(ctx, `/admin/settings/${moduleId}/${siteId ? `?site=${encodeURIComponent(siteId)}` : ''}`, 'saved');
  });
}

function keepsValue(row: OptionRow, siteId: string): boolean {
  return siteId ? row.override : !row.reset;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Installed modules that declare options. */
function optionModules(kit: AdminKit): string[] {
  return [...kit.kernel.modules.available.keys()].filter((id) => kit.kernel.modules.isInstalled(id) && Object.keys(kit.kernel.options.definitionsOf(id)).length > 0);
}

function known(kit: AdminKit, raw: string | undefined): string {
  const id = raw ?? '';
  if (!optionModules(kit).includes(id)) throw coreErrors.NOT_FOUND(`settings of module "${id.slice(0, 40)}"`);
  return id;
}

/** '' for all sites, else an existing site id (404 otherwise). */
async function siteParam(kit: AdminKit, raw: string): Promise<string> {
  if (raw === '') return '';
  if (!/^[a-z0-9_]{2,32}$/.test(raw)) throw coreErrors.NOT_FOUND(`site "${raw.slice(0, 40)}"`);
  return (await kit.kernel.sites.get(raw)).id;
}

function asText(type: OptionDefinition['type'], value: unknown): string {
  if (type === 'boolean') return value ? '1' : '';
  if (type === 'json') return JSON.stringify(value, null, 2) ?? '';
  return value === null || value === undefined ? '' : String(value);
}

async function currentRows(kit: AdminKit, ctx: Ctx, moduleId: string, siteId: string): Promise<OptionRow[]> {
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  const own = await kit.kernel.options.list(moduleId, siteId);
  const all = siteId ? new Map((await kit.kernel.options.list(moduleId, '')).map((o) => [o.name, o.value])) : null;
  return own.map((o) => ({
    name: o.name,
    title: o.definition.title?.[lang] ?? o.name,
    type: o.definition.type,
    defaultText: o.definition.type === 'boolean' ? String(Boolean(o.definition.default)) : asText(o.definition.type, o.definition.default),
    value: asText(o.definition.type, o.value),
    override: all !== null && !same(o.value, all.get(o.name)),
    reset: false,
  }));
}

async function renderForm(kit: AdminKit, ctx: Ctx, moduleId: string, siteId: string, rows: OptionRow[], error: string | null = null, status = 200): Promise<void> {
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  const title = kit.t(ctx, 'ADM_SETTINGS_OF', { MODULE: kit.kernel.modules.available.get(moduleId)?.title[lang] ?? moduleId });
  await kit.render(ctx, 'settings', title, {
    heading: title,
    moduleId,
    siteId,
    sites: await kit.kernel.sites.list(),
    rows,
    error,
    canEdit: await kit.can(ctx, 'main.settings.edit'),
  }, status);
}
