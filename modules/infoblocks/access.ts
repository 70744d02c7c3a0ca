import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import { ibTags } from './tags.js';
import { IBLOCK_LEVELS, type IblockLevel } from './types.js';

export const rank = (level: IblockLevel): number => IBLOCK_LEVELS.indexOf(level);

/**
 * Rights of a new infoblock when none are given: signed-in employees (the group "registered") read. Visitors who are
 * not signed in get nothing unless an admin gives "everyone" a level (and opens the portal to them).
 */
export async function defaultRights(kernel: { groups: { list(): Promise<{ id: number; code: string }[]> } }): Promise<Record<number, IblockLevel>> {
  const registered = (await kernel.groups.list()).find((g) => g.code === 'registered');
  return registered ? { [registered.id]: 'R' } : {};
}

/** Rights per infoblock per group (D < R < U < W < X). Admins and `infoblocks.manage` holders get X. */
export class IblockAccess {
  constructor(private readonly ctx: ModuleContext) {}

  /** Explicit levels of an infoblock by group id (cached). */
  levels(iblockId: number): Promise<Record<number, IblockLevel>> {
    return this.ctx.cache.remember(`infoblocks:rights:${iblockId}`, { ttl: 3600, tags: [ibTags.meta(iblockId), 'rights'] }, async () => {
      const rows = (await this.ctx.db.write('rights').where({ iblock_id: iblockId })) as { group_id: unknown; level: unknown }[];
      const out: Record<number, IblockLevel> = {};
      for (const r of rows) out[Number(r.group_id)] = String(r.level) as IblockLevel;
      return out;
    });
  }

  async levelOf(principal: Principal, iblockId: number): Promise<IblockLevel> {
    if (principal?.isAdmin === true) return 'X';
    if (await this.ctx.kernel.rights.can(principal, 'infoblocks.manage')) return 'X';
    const levels = await this.levels(iblockId);
    let best: IblockLevel = 'D';
    for (const gid of principal?.groupIds ?? []) {
      const l = levels[gid];
      if (l && rank(l) > rank(best)) best = l;
    }
    return best;
  }

  /** Throws ACCESS_DENIED unless the principal has at least `min` on the infoblock; returns the level. */
  async assert(principal: Principal, iblockId: number, min: IblockLevel): Promise<IblockLevel> {
    const level = await this.levelOf(principal, iblockId);
    if (rank(level) < rank(min)) throw coreErrors.ACCESS_DENIED('', { iblockId, required: min, level });
    return level;
  }

  async assertManage(principal: Principal): Promise<void> {
    await this.ctx.kernel.rights.assert(principal, 'infoblocks.manage');
  }
}
