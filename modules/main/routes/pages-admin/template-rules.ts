import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { pagesOf } from '../../../../core/pages/services.js';
import { listSiteTemplates } from '../../../../core/pages/site-templates.js';
import { RULE_KINDS, type RuleKind, type TemplateRuleInput } from '../../../../core/pages/template-rules.js';
import { checked, done, formError, intId, str, type Ctx, type PagesKit } from './http.js';

interface RuleForm {
  id: number | null;
  siteId: string;
  kind: string;
  value: string;
  template: string;
  sort: string;
  active: boolean;
}

/** /admin/pages/templates/: which site template applies where (path prefix, language), by sort order. */
export function templateRuleRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: PagesKit): void {
  const rules = () => pagesOf(kit.kernel).templates;

  router.get('/admin/pages/templates/', kit.view, (ctx) => renderRules(kit, ctx));

  router.post('/admin/pages/templates/', ...kit.change, async (ctx) => {
    const form = readRule(ctx.request.body, null);
    try {
      await rules().create(toInput(form));
    } catch (err) {
      const e = formError(err);
      return renderRules(kit, ctx, { form, error: e.message }, e.status);
    }
    done(ctx, '/admin/pages/templates/', 'created');
  });

  router.post('/admin/pages/templates/:id/', ...kit.change, async (ctx) => {
    const rule = await rules().get(intId(ctx.params.id, 'template rule'));
    const form = readRule(ctx.request.body, rule.id);
    try {
      await rules().update(rule.id, toInput(form));
    } catch (err) {
      const e = formError(err);
      return renderRules(kit, ctx, { form, error: e.message }, e.status);
    }
    done(ctx, '/admin/pages/templates/', 'saved');
  });

  router.post('/admin/pages/templates/:id/delete/', ...kit.change, async (ctx) => {
    await rules().remove(intId(ctx.params.id, 'template rule'));
    done(ctx, '/admin/pages/templates/', 'deleted');
  });
}

function readRule(body: unknown, id: number | null): RuleForm {
  return {
    id,
    siteId: str(body, 'siteId') || '*',
    kind: str(body, 'kind'),
    value: str(body, 'value').trim(),
    template: str(body, 'template'),
    sort: str(body, 'sort').trim() || '100',
    active: checked(body, 'active'),
  };
}

function toInput(form: RuleForm): TemplateRuleInput {
  return {
    siteId: form.siteId,
    kind: form.kind as RuleKind,
    value: form.value,
    template: form.template,
    sort: /^-?\d+$/.test(form.sort) ? Number(form.sort) : Number.NaN,
    active: form.active,
  };
}

async function renderRules(kit: PagesKit, ctx: Ctx, failed: { form: RuleForm; error: string } | null = null, status = 200): Promise<void> {
  const stored = await pagesOf(kit.kernel).templates.list();
  const rules = stored.map((r) =>
    failed?.form.id === r.id
      ? { ...failed.form, error: failed.error }
      : { id: r.id, siteId: r.siteId, kind: r.kind, value: r.value, template: r.template, sort: String(r.sort), active: r.active, error: null },
  );
  const newForm = failed && failed.form.id === null ? failed.form : { id: null, siteId: '*', kind: 'path_prefix', value: '/', template: '.default', sort: '100', active: true };
  await kit.render(
    ctx,
    'template-rules',
    kit.t(ctx, 'PG_TEMPLATE_RULES'),
    {
      rules,
      newForm,
      newError: failed && failed.form.id === null ? failed.error : null,
      kinds: RULE_KINDS,
      sites: await kit.kernel.sites.list(),
      templates: listSiteTemplates(kit.kernel),
      canEdit: await kit.canEdit(ctx),
    },
    status,
  );
}
