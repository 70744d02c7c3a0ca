import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { permsTag, type ForumAccess } from './access.js';
import { forumErrors } from './errors.js';
import { atLeast, isForumLevel, type ForumLevel } from './levels.js';
import { toCategory, toForum } from './rows.js';
import type { Category, Forum, ForumInput } from './types.js';

export const forumTag = (id: number): string => `forum:forum:${id}`;
export const FORUMS_TAG = 'forum:forums';

/** Categories, forums and their permissions. Reads are filtered by the reader's level; writes need forum.manage. */
export function createForumsApi(ctx: ModuleContext, access: ForumAccess) {
  const { db, cache, kernel } = ctx;

  async function defaultSite(): Promise<string> {
    return (await kernel.sites.list())[0]?.id ?? 's1';
  }

  async function row(id: number): Promise<Forum> {
    const r = await db.write('forums').where({ id }).first();
    if (!r) throw forumErrors.FORUM_NOT_FOUND(String(id));
    return toForum(r);
  }

  async function validLevels(levels: Map<number, unknown>): Promise<[number, ForumLevel][]> {
    const groups = new Set((await kernel.groups.list()).map((g) => g.id));
    const out: [number, ForumLevel][] = [];
    for (const [gid, level] of levels) {
      if (!groups.has(Number(gid))) throw forumErrors.FORUM_GROUP_NOT_FOUND(String(gid));
      if (!isForumLevel(level)) throw forumErrors.FORUM_BAD_LEVEL(String(level));
      out.push([Number(gid), level]);
    }
    return out;
  }

  async function defaultLevels(): Promise<Map<number, ForumLevel>> {
    const registered = (await kernel.groups.list()).find((g) => g.code === 'registered');
    return new Map(registered ? [[registered.id, 'M']] : []);
  }

  return {
    async createCategory(principal: Principal, input: { name: string; siteId?: string; sort?: number }): Promise<Category> {
      await access.assertManage(principal);
      const name = String(input.name ?? '').trim();
      if (!name) throw forumErrors.FORUM_NAME_REQUIRED();
      const values = { site_id: input.siteId ?? (await defaultSite()), name, sort: Number(input.sort ?? 100) };
      const [id] = await db.write('categories').insert(values);
      await cache.invalidateTags(FORUMS_TAG);
      return toCategory({ id, ...values });
    },

    async categories(siteId?: string): Promise<Category[]> {
      const site = siteId ?? (await defaultSite());
      const rows = await db.read('categories').where({ site_id: site }).orderBy([{ column: 'sort' }, { column: 'id' }]);
      return rows.map(toCategory);
    },

    async create(principal: Principal, input: ForumInput): Promise<Forum> {
      await access.assertManage(principal);
      const name = String(input.name ?? '').trim();
      if (!name) throw forumErrors.FORUM_NAME_REQUIRED();
      if (input.categoryId != null && !(await db.write('categories').where({ id: input.categoryId }).first())) {
        throw forumErrors.FORUM_CATEGORY_NOT_FOUND(String(input.categoryId));
      }
      const levels = await validLevels(input.permissions ?? (await defaultLevels()));
      // Everything read before the transaction: SQLite has one connection, a query beside the transaction would wait forever.
      const siteId = input.siteId ?? (await defaultSite());
      const id = await db.transaction(async (tx) => {
        const [forumId] = await tx.table('forums').insert({
          site_id: siteId,
          category_id: input.categoryId ?? null,
          name,
          description: input.description ?? '',
          sort: Number(input.sort ?? 100),
          premoderation: input.premoderation === true,
          created_at: Date.now(),
        });
        for (const [groupId, level] of levels) await tx.table('permissions').insert({ forum_id: Number(forumId), group_id: groupId, level });
        return Number(forumId);
      });
      await cache.invalidateTags(FORUMS_TAG, permsTag(id));
      return row(id);
    },

    async update(principal: Principal, id: number, patch: Partial<Omit<ForumInput, 'permissions' | 'siteId'>>): Promise<Forum> {
      await access.assertManage(principal);
      await row(id);
      const values: Record<string, unknown> = {};
      if (patch.name !== undefined) {
        if (!String(patch.name).trim()) throw forumErrors.FORUM_NAME_REQUIRED();
        values.name = String(patch.name).trim();
      }
      if (patch.description !== undefined) values.description = String(patch.description);
      if (patch.sort !== undefined) values.sort = Number(patch.sort);
      if (patch.premoderation !== undefined) values.premoderation = patch.premoderation === true;
      if (patch.categoryId !== undefined) values.category_id = patch.categoryId;
      if (Object.keys(values).length) await db.write('forums').where({ id }).update(values);
      await cache.invalidateTags(FORUMS_TAG, forumTag(id));
      return row(id);
    },

    /** Forums of a site the principal may read, in category then forum order, each with the reader's level. */
    async list(principal: Principal, siteId?: string): Promise<(Forum & { level: ForumLevel })[]> {
      const site = siteId ?? (await defaultSite());
      const rows = await db.read('forums').where({ site_id: site }).orderBy([{ column: 'category_id' }, { column: 'sort' }, { column: 'id' }]);
      const out: (Forum & { level: ForumLevel })[] = [];
      for (const r of rows) {
        const level = await access.levelOf(principal, Number(r.id));
        if (atLeast(level, 'E')) out.push({ ...toForum(r), level });
      }
      return out;
    },

    /** One forum, if the principal may read it (404 for a forum that does not exist, 403 for one they may not read). */
    async get(principal: Principal, id: number): Promise<Forum & { level: ForumLevel }> {
      const forum = await row(id);
      const level = await access.assert(principal, id, 'E');
      return { ...forum, level };
    },

    levelOf: (principal: Principal, forumId: number): Promise<ForumLevel> => access.levelOf(principal, forumId),

    async permissions(principal: Principal, forumId: number): Promise<Map<number, ForumLevel>> {
      await access.assertManage(principal);
      await row(forumId);
      return access.levels(forumId);
    },

    /** Sets one group's level in a forum; null removes the entry (the group falls back to A, deny). */
    async setPermission(principal: Principal, forumId: number, groupId: number, level: ForumLevel | null): Promise<void> {
      await access.assertManage(principal);
      await row(forumId);
      if (level !== null) await validLevels(new Map([[groupId, level]]));
      await db.transaction(async (tx) => {
        await tx.table('permissions').where({ forum_id: forumId, group_id: groupId }).delete();
        if (level !== null) await tx.table('permissions').insert({ forum_id: forumId, group_id: groupId, level });
      });
      await cache.invalidateTags(permsTag(forumId));
    },
  };
}
