import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { badWordRoutes } from './bad-words.js';
import { categoryRoutes } from './categories.js';
import { forumRoutes } from './forums.js';
import { forumAdminKit } from './kit.js';
import { moderationRoutes } from './moderation.js';
import { permissionRoutes } from './permissions.js';

/**
 * The forum admin area (/admin/forum/...): forums and categories, the permissions matrix and the bad-words list
 * need forum.manage (module level X); the moderation queue is for whoever moderates a forum.
 * Fixed paths (categories/, permissions/, moderation/, bad-words/, new/) come before the :id routes.
 */
export function forumAdminRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  const kit = forumAdminKit(ctx.kernel);
  for (const register of [categoryRoutes, permissionRoutes, moderationRoutes, badWordRoutes, forumRoutes]) register(router, kit);
}
