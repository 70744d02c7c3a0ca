import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import type { SiteInfo } from '../../../../core/http/state.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { isTimeZone, serverTimeZone, timeZoneNames } from '../../../../core/time/zones.js';
import { checked, done, formError, str, type AdminKit, type Ctx } from './http.js';
import { listSiteTemplates, selectableTemplates } from './site-templates.js';

const SITE_ID = /^[a-z0-9_]{2,32}$/;

interface SiteForm {
  id: string;
  name: string;
  domains: string;
  language: string;
  dir: string;
  template: string;
  isDefault: boolean;
  /** '' for the server's zone. */
  timeZone: string;
}

/** /admin/sites/: list, add, edit (name, domains, language, dir, template, time zone, default flag). */
export function siteRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  const edit = kit.change('main.settings.edit');

  router.get('/admin/sites/', kit.view, async (ctx) => {
    const names = new Map(listSiteTemplates(ctx.state.language).map((t) => [t.id, t.name]));
    const sites = (await kernel.sites.list()).map((s) => ({ ...s, templateName: names.get(s.template) ?? s.template }));
    await kit.render(ctx, 'sites', kit.t(ctx, 'ADM_SITES'), { sites, serverTimeZone: serverTimeZone(), canEdit: await kit.can(ctx, 'main.settings.edit') });
  });

  router.get('/admin/sites/new/', kit.view, (ctx) =>
    renderForm(kit, ctx, null, { id: '', name: '', domains: '', language: 'en', dir: '/', template: '.default', isDefault: false, timeZone: '' }),
  );

  router.post('/admin/sites/new/', ...edit, async (ctx) => {
    const form = readForm(ctx.request.body);
    try {
      if (form.id === 'new') throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_SITE_ID_RESERVED'));
      checkTemplate(kit, ctx, form.template);
      checkTimeZone(kit, ctx, form.timeZone);
      await kernel.sites.create({ ...toInput(form), id: form.id });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, null, form, e.message, e.status);
    }
    done(ctx, `/admin/sites/${form.id}/`, 'created');
  });

  router.get('/admin/sites/:id/', kit.view, async (ctx) => {
    const site = await siteOf(kit, ctx.params.id);
    await renderForm(kit, ctx, site, { ...site, domains: site.domains.join('\n'), timeZone: site.timeZone ?? '' });
  });

  router.post('/admin/sites/:id/', ...edit, async (ctx) => {
    const site = await siteOf(kit, ctx.params.id);
    const form = { ...readForm(ctx.request.body), id: site.id };
    try {
      checkTemplate(kit, ctx, form.template);
      checkTimeZone(kit, ctx, form.timeZone);
      await kernel.sites.update(site.id, toInput(form));
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, site, form, e.message, e.status);
    }
    done(ctx, `/admin/sites/${site.id}/`, 'saved');
  });
}

/** The site named in the URL, else 404. */
export async function siteOf(kit: AdminKit, raw: string | undefined): Promise<SiteInfo> {
  const id = raw ?? '';
  if (!SITE_ID.test(id)) throw coreErrors.NOT_FOUND(`site "${id.slice(0, 40)}"`);
  return kit.kernel.sites.get(id);
}

/** Rejects a template that is not a folder with a layout under templates/. */
export function checkTemplate(kit: AdminKit, ctx: Ctx, template: string): void {
  if (!selectableTemplates(ctx.state.language).includes(template)) {
    throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_TEMPLATE_UNKNOWN', { TEMPLATE: template.slice(0, 64) }));
  }
}

function checkTimeZone(kit: AdminKit, ctx: Ctx, zone: string): void {
  if (zone && !isTimeZone(zone)) throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_TIME_ZONE_UNKNOWN', { ZONE: zone.slice(0, 64) }));
}

function readForm(body: unknown): SiteForm {
  return {
    id: str(body, 'id').trim(),
    name: str(body, 'name'),
    domains: str(body, 'domains'),
    language: str(body, 'language'),
    dir: str(body, 'dir').trim() || '/',
    template: str(body, 'template'),
    isDefault: checked(body, 'isDefault'),
    timeZone: str(body, 'timeZone').trim(),
  };
}

function toInput(form: SiteForm) {
  return {
    name: form.name,
    domains: form.domains.split(/[\s,]+/).filter(Boolean),
    language: form.language,
    dir: form.dir,
    template: form.template,
    isDefault: form.isDefault,
    timeZone: form.timeZone || null,
  };
}

async function renderForm(kit: AdminKit, ctx: Ctx, site: SiteInfo | null, form: SiteForm, error: string | null = null, status = 200): Promise<void> {
  const title = site ? kit.t(ctx, 'ADM_SITE_EDIT', { NAME: site.name }) : kit.t(ctx, 'ADM_SITE_NEW');
  await kit.render(ctx, 'site-form', title, {
    heading: title,
    editing: site,
    form,
    templates: listSiteTemplates(ctx.state.language).filter((t) => t.hasLayout),
    timeZones: timeZoneNames(),
    serverTimeZone: serverTimeZone(),
    error,
    canEdit: await kit.can(ctx, 'main.settings.edit'),
  }, status);
}
