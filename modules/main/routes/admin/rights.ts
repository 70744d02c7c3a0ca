import type { ModuleContext, ModuleRouter, RightsDefinition } from '../../../../core/modules/types.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { done, formError, str, type AdminKit, type Ctx } from './http.js';
import { publicAccessOf, setPublicAccess } from '../../public-access.js';

/**
 * /admin/rights/<module>/: the level of each group in a module ('' = the module's default). Main's screen also
 * opens or closes the portal to visitors who are not signed in (POST /admin/rights/main/public/).
 */
export function rightsRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;

  router.get('/admin/rights/', kit.view, async (ctx) => {
    const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
    const modules = rightsModules(kit).map((id) => ({ id, title: kernel.modules.available.get(id)?.title[lang] ?? id }));
    await kit.render(ctx, 'rights-index', kit.t(ctx, 'ADM_RIGHTS'), { modules });
  });

  router.get('/admin/rights/:module/', kit.view, async (ctx) => {
    const moduleId = known(kit, ctx.params.module);
    const levels = await kernel.rights.getLevels(moduleId);
    const values = Object.fromEntries(Object.entries(levels).map(([gid, level]) => [gid, level]));
    await renderForm(kit, ctx, moduleId, values);
  });

  router.post('/admin/rights/main/public/', ...kit.change('main.settings.edit'), async (ctx) => {
    const access = str(ctx.request.body, 'access');
    if (access !== 'open' && access !== 'closed') throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_PUBLIC_CHOICE_UNKNOWN'));
    await setPublicAccess(kernel, access === 'open');
    done(ctx, '/admin/rights/main/', 'saved');
  });

  router.post('/admin/rights/:module/', ...kit.change('main.settings.edit'), async (ctx) => {
    const moduleId = known(kit, ctx.params.module);
    const def = kernel.rights.definition(moduleId)!;
    const groups = await kernel.groups.list();
    const body = ctx.request.body;
    const values: Record<string, string> = {};
    for (const g of groups) values[String(g.id)] = str(body, `level_${g.id}`);
    try {
      // Check every choice before changing anything.
      for (const g of groups) {
        const level = values[String(g.id)]!;
        if (level !== '' && !Object.hasOwn(def.levels, level)) {
          throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_RIGHTS_LEVEL_UNKNOWN', { LEVEL: level.slice(0, 20), GROUP: g.name }));
        }
      }
      const current = await kernel.rights.getLevels(moduleId);
      for (const g of groups) {
        const level = values[String(g.id)]!;
        if (level === (current[g.id] ?? '')) continue;
        if (level === '') await kernel.rights.clearLevel(moduleId, g.id);
        else await kernel.rights.setLevel(moduleId, g.id, level);
      }
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, moduleId, values, e.message, e.status);
    }
    done(ctx, `/admin/rights/${moduleId}/`, 'saved');
  });
}

/** Installed modules that declare rights. */
function rightsModules(kit: AdminKit): string[] {
  return kit.kernel.rights.registeredModules().filter((id) => kit.kernel.modules.isInstalled(id));
}

function known(kit: AdminKit, raw: string | undefined): string {
  const id = raw ?? '';
  if (!rightsModules(kit).includes(id)) throw coreErrors.NOT_FOUND(`rights of module "${id.slice(0, 40)}"`);
  return id;
}

async function renderForm(kit: AdminKit, ctx: Ctx, moduleId: string, values: Record<string, string>, error: string | null = null, status = 200): Promise<void> {
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  const def = kit.kernel.rights.definition(moduleId) as RightsDefinition;
  const levels = Object.entries(def.levels).map(([letter, l]) => ({
    letter,
    title: l.title[lang],
    operations: l.operations.map((op) => (op === '*' ? kit.t(ctx, 'ADM_RIGHTS_ALL_OPERATIONS') : (def.operations[op]?.[lang] ?? op))),
  }));
  const defaultTitle = def.levels[def.defaultLevel]?.title[lang] ?? def.defaultLevel;
  const title = kit.t(ctx, 'ADM_RIGHTS_OF', { MODULE: kit.kernel.modules.available.get(moduleId)?.title[lang] ?? moduleId });
  await kit.render(ctx, 'rights', title, {
    heading: title,
    moduleId,
    groups: await kit.kernel.groups.list(),
    levels,
    defaultLabel: `${def.defaultLevel} — ${defaultTitle}`,
    values,
    error,
    canEdit: await kit.can(ctx, 'main.settings.edit'),
    publicAccess: moduleId === 'main' ? await publicAccessOf(kit.kernel) : null,
  }, status);
}
