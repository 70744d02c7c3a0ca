import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { isPortalError } from '../../../../core/errors/portal-error.js';
import { done, formError, intId, type AdminKit, type Ctx } from './http.js';

/** /admin/agents/: schedules, next and last run, last error; run one now. */
export function agentRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;

  const renderList = async (ctx: Ctx, error: string | null = null, status = 200): Promise<void> => {
    const now = Date.now();
    const agents = (await kernel.agents.list()).map((a) => ({ ...a, due: a.active && a.nextRunAt.getTime() <= now, running: a.leaseUntil !== null && a.leaseUntil.getTime() > now }));
    await kit.render(ctx, 'agents', kit.t(ctx, 'ADM_AGENTS'), { agents, error, canRun: await kit.can(ctx, 'main.agents.run') }, status);
  };

  router.get('/admin/agents/', kit.view, (ctx) => renderList(ctx));

  router.post('/admin/agents/:id/run/', ...kit.change('main.agents.run'), async (ctx) => {
    const id = intId(ctx.params.id, 'agent');
    const agent = (await kernel.agents.list()).find((a) => a.id === id);
    if (!agent) throw coreErrors.NOT_FOUND('agent');
    try {
      await kernel.agents.runNow(agent.module, agent.name);
    } catch (err) {
      // The agent's own failure is recorded as its last error; show it on the list.
      if (isPortalError(err) && err.code === 'AGENT_FAILED') return done(ctx, '/admin/agents/', 'agent_failed');
      const e = formError(err);
      return renderList(ctx, e.message, e.status);
    }
    done(ctx, '/admin/agents/', 'ran');
  });
}
