import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import { atLeast, isForumLevel, rank, type ForumLevel } from './levels.js';

export const permsTag = (forumId: number): string => `forum:perms:${forumId}`;

/**
 * Permissions per forum per group (A < E < I < M < Q < U < Y). A group without an entry has A (deny).
 * Administrators and holders of `forum.manage` have Y everywhere.
 */
export class ForumAccess {
  constructor(private readonly ctx: ModuleContext) {}

  /** Explicit levels of a forum by group id (cached, read from the primary so a change applies at once). */
  levels(forumId: number): Promise<Map<number, ForumLevel>> {
    return this.ctx.cache
      .remember(`forum:perms:${forumId}`, { ttl: 3600, tags: [permsTag(forumId), 'rights'] }, async () => {
        const rows = (await this.ctx.db.write('permissions').where({ forum_id: forumId })) as { group_id: unknown; level: unknown }[];
        return rows.map((r) => [Number(r.group_id), String(r.level)] as [number, string]);
      })
      .then((pairs) => new Map(pairs.filter((p): p is [number, ForumLevel] => isForumLevel(p[1]))));
  }

  async isManager(principal: Principal): Promise<boolean> {
    return principal?.isAdmin === true || (await this.ctx.kernel.rights.can(principal, 'forum.manage'));
  }

  async levelOf(principal: Principal, forumId: number): Promise<ForumLevel> {
    if (await this.isManager(principal)) return 'Y';
    const levels = await this.levels(forumId);
    let best: ForumLevel = 'A';
    for (const gid of principal?.groupIds ?? []) {
      const l = levels.get(gid);
      if (l && rank(l) > rank(best)) best = l;
    }
    return best;
  }

  /** Throws ACCESS_DENIED unless the principal has at least `min` in the forum; returns the level. */
  async assert(principal: Principal, forumId: number, min: ForumLevel): Promise<ForumLevel> {
    const level = await this.levelOf(principal, forumId);
    if (!atLeast(level, min)) throw coreErrors.ACCESS_DENIED('', { forumId, required: min, level });
    return level;
  }

  async assertManage(principal: Principal): Promise<void> {
    await this.ctx.kernel.rights.assert(principal, 'forum.manage');
  }
}
