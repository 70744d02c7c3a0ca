import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';

/** Admin screens: servers, their mapping and the sync log. */
export function ldapAdminRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  void router;
  void ctx;
}
