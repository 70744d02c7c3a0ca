import { adminKit } from '../../../core/http/admin-kit.js';
import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';

export const CLUSTER_ADMIN_PATH = '/admin/cluster/';

/** /admin/cluster/: the status of `portal cluster status`, for whoever manages the cluster. */
export function clusterAdminRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  const kit = adminKit(ctx.kernel, 'cluster');
  router.get(CLUSTER_ADMIN_PATH, ...kit.change('cluster.manage'), async (c) => {
    const status = await ctx.kernel.api('cluster').status();
    await kit.render(c, 'admin/cluster', kit.t(c, 'CLUSTER_TITLE'), { status });
  });
}
