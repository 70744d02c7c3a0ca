import type { ModuleContext } from '../../core/modules/types.js';

/** Seeds what every portal needs: the system groups and the default site. */
export async function install(ctx: ModuleContext): Promise<void> {
  const { kernel } = ctx;
  await kernel.groups.ensureSystemGroups(kernel.config.site.language);
  await kernel.sites.ensureDefault(kernel.config.site.name, kernel.config.site.language);
}
