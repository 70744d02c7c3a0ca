import { componentTemplateNames } from '../../../../core/components/template-folder.js';
import { pagesOf } from '../../../../core/pages/services.js';
import { listSiteTemplates } from '../../../../core/pages/site-templates.js';
import { AREAS, type StoredPage } from '../../../../core/pages/types.js';
import type { Ctx, PagesKit } from './http.js';
import { operationsOf } from './operations.js';
import { paramFields } from './param-form.js';

export interface BuilderState {
  /** Settings form values to show instead of the stored ones (after an error). */
  settings?: { path: string; title: string; template: string | null; access: string | null };
  error?: string | null;
  /** The placement the error belongs to; its form shows the error and the submitted values. */
  errorPlacement?: string | null;
  /** The parameter of that placement the error is about; its field is marked and shows the error. */
  errorParam?: string | null;
  submitted?: Record<string, unknown>;
  submittedTemplate?: string;
  submittedArea?: string;
}

/** The page builder screen: settings, placements with generated parameter forms, add, publish. */
export async function renderBuilder(kit: PagesKit, ctx: Ctx, page: StoredPage, state: BuilderState = {}, status = 200): Promise<void> {
  const { kernel } = kit;
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  const content = pagesOf(kernel).store.editable(page);
  const placements = content.placements.map((p, i) => {
    const def = kernel.components.list().find((c) => c.name === p.component);
    const mine = state.errorPlacement === p.id;
    const values = mine && state.submitted ? state.submitted : p.params;
    return {
      ...p,
      number: i + 1,
      first: i === 0,
      last: i === content.placements.length - 1,
      title: def ? def.title[lang] : p.component,
      installed: !!def,
      fields: def ? paramFields(def, values, lang).map((f) => (mine && state.errorParam === f.name ? { ...f, error: state.error ?? null } : f)) : [],
      templates: def ? [...new Set([...componentTemplateNames(p.component, kernel.components.roots), p.template])] : [p.template],
      template: mine && state.submittedTemplate ? state.submittedTemplate : p.template,
      area: mine && state.submittedArea ? state.submittedArea : p.area,
      error: mine ? (state.error ?? null) : null,
    };
  });
  const placementError = placements.some((p) => p.error);
  await kit.render(
    ctx,
    'page-edit',
    kit.t(ctx, 'PG_EDIT_TITLE', { PATH: page.path }),
    {
      page,
      status: page.active ? (page.draft ? 'changed' : 'published') : 'draft',
      settings: state.settings ?? { path: page.path, title: content.title, template: content.template, access: content.access },
      placements,
      components: kernel.components.list().map((c) => ({ name: c.name, title: c.title[lang] })),
      templates: listSiteTemplates(kernel),
      operations: operationsOf(kit, lang),
      areas: AREAS,
      error: placementError ? null : (state.error ?? null),
      canEdit: await kit.canEdit(ctx),
    },
    status,
  );
}
