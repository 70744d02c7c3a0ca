import { PortalError } from '../../../core/errors/portal-error.js';
import { errorText } from '../../../core/http/error-text.js';
import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { adminKit } from './admin/http.js';
import { paramFields, paramProblemText, readParamForm } from './pages-admin/param-form.js';

/**
 * Component preview for developers and admins: renders any installed component inside the
 * site layout, with a form of its parameters (p_<name> fields; other query keys are taken
 * as parameters too, for links). A component that cannot render with what was given (a
 * required infoblock not chosen yet, or one that does not exist) shows the form and what is wrong instead of an error page.
 */
export function componentRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const kit = adminKit(kernel);
  router.get('/admin/components/', kit.view, async (ctx) => {
    const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
    const items = kernel.components.list().map((c) => ({ name: c.name, title: c.title[lang], params: Object.keys(c.params) }));
    await kit.render(ctx, 'components', t('ADMIN_COMPONENTS', ctx.state.language), { items });
  });

  router.get('/admin/components/:name/', kit.view, async (ctx) => {
    const def = kernel.components.get(ctx.params.name!);
    const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
    const query = ctx.query as Record<string, string | string[] | undefined>;
    const last = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[v.length - 1] ?? '') : (v ?? ''));
    const fromForm = Object.keys(query).some((k) => k.startsWith('p_'));
    const params: Record<string, string> = fromForm
      ? readParamForm(def, (name) => last(query[name]))
      : Object.fromEntries(Object.keys(def.params).filter((k) => query[k] !== undefined).map((k) => [k, last(query[k])]));
    const template = last(query.template) || '.default';
    let html = '';
    let problem: string | null = null;
    let localized: string | null = null;
    try {
      html = await kernel.components.render(ctx.state, def.name, params, template);
    } catch (err) {
      if (!(err instanceof PortalError) || (err.status !== 400 && err.status !== 404)) throw err;
      problem = err.message;
      localized = paramProblemText(def, err, lang)?.text ?? errorText(kernel, err, lang);
    }
    await kit.render(
      ctx,
      'component-preview',
      def.title[lang],
      { name: def.name, html, problem, localized, fields: paramFields(def, params, lang), template },
      problem && fromForm ? 400 : 200,
    );
  });
}
