import semver from 'semver';
import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { checked, done, formError, type AdminKit, type Ctx } from './http.js';

const MODULE_ID = /^[a-z][a-z0-9_]{1,31}$/;

/** /admin/modules/: available modules, install, uninstall (data kept unless confirmed otherwise). */
export function moduleRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  const manage = kit.change('main.modules.manage');

  router.get('/admin/modules/', kit.view, (ctx) => renderList(kit, ctx));

  router.post('/admin/modules/:id/install/', ...manage, async (ctx) => {
    const id = moduleId(kit, ctx.params.id);
    try {
      await kernel.modules.install(id);
    } catch (err) {
      const e = formError(err);
      return renderList(kit, ctx, e.message, e.status);
    }
    done(ctx, '/admin/modules/', 'installed');
  });

  router.post('/admin/modules/:id/uninstall/', ...manage, async (ctx) => {
    const id = moduleId(kit, ctx.params.id);
    const body = ctx.request.body;
    const dropData = checked(body, 'dropData');
    if (dropData && !checked(body, 'confirm')) {
      // Deleting data cannot be undone: ask once more on a page of its own.
      const def = kernel.modules.definition(id);
      return kit.render(ctx, '@admin/confirm', kit.t(ctx, 'ADM_UNINSTALL_CONFIRM_TITLE'), {
        heading: kit.t(ctx, 'ADM_UNINSTALL_CONFIRM_TITLE'),
        message: kit.t(ctx, 'ADM_UNINSTALL_CONFIRM_TEXT', { MODULE: `${def.title[lang(ctx)]} (${id})` }),
        action: `/admin/modules/${id}/uninstall/`,
        hidden: { dropData: '1', confirm: '1' },
        button: kit.t(ctx, 'ADM_UNINSTALL_DELETE_DATA'),
        cancel: '/admin/modules/',
      });
    }
    try {
      await kernel.modules.uninstall(id, { dropData });
    } catch (err) {
      const e = formError(err);
      return renderList(kit, ctx, e.message, e.status);
    }
    done(ctx, '/admin/modules/', 'uninstalled');
  });
}

function lang(ctx: Ctx): 'en' | 'ru' {
  return ctx.state.language === 'ru' ? 'ru' : 'en';
}

/** A known module id from the URL, else 404. */
function moduleId(kit: AdminKit, raw: string | undefined): string {
  const id = raw ?? '';
  if (!MODULE_ID.test(id) || !kit.kernel.modules.available.has(id)) throw coreErrors.MODULE_NOT_FOUND(id.slice(0, 40));
  return id;
}

async function renderList(kit: AdminKit, ctx: Ctx, error: string | null = null, status = 200): Promise<void> {
  const { kernel } = kit;
  const l = lang(ctx);
  const installed = new Map(kernel.modules.listInstalled().map((m) => [m.id, m]));
  const defs = [...kernel.modules.available.values()];
  const modules = defs.map((def) => {
    const dependencies = Object.entries(def.dependencies ?? {}).map(([dep, range]) => {
      const have = installed.has(dep) ? (kernel.modules.available.get(dep)?.version ?? installed.get(dep)!.version) : null;
      return { id: dep, range, installed: have, ok: have !== null && semver.satisfies(have, range) };
    });
    const dependants = defs.filter((d) => d.id !== def.id && d.dependencies && def.id in d.dependencies && installed.has(d.id)).map((d) => d.id);
    return {
      id: def.id,
      title: def.title[l],
      description: def.description?.[l] ?? '',
      version: def.version,
      installedVersion: installed.get(def.id)?.version ?? null,
      installedAt: installed.get(def.id)?.installedAt ?? null,
      required: Boolean(def.required),
      dependencies,
      dependants,
    };
  });
  await kit.render(ctx, 'modules', kit.t(ctx, 'ADM_MODULES'), { modules, error, canManage: await kit.can(ctx, 'main.modules.manage') }, status);
}
