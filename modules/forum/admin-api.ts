import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { permsTag, type ForumAccess } from './access.js';
import { adminErrors } from './admin-errors.js';
import { forumErrors } from './errors.js';
import { FORUMS_TAG, forumTag } from './forums-api.js';
import { isForumLevel, type ForumLevel } from './levels.js';
import { toCategory, toForum } from './rows.js';
import type { Category, Forum } from './types.js';
import type { ForumProfiles } from './profiles.js';

export const MAX_NAME = 255;

/** What the admin's forum form holds; validated here before create/update write anything. */
export interface ForumSettings {
  siteId: string;
  categoryId: number | null;
  name: string;
  description: string;
  /** A whole number 0..1000000 (a form's text is checked here). */
  sort: number | string;
  premoderation: boolean;
}

/** One cell of the permissions matrix; `null` (or A) removes the group's entry, which means deny. */
export interface MatrixCell {
  forumId: number;
  groupId: number;
  level: ForumLevel | null;
}

/** Categories, whole forums and the permissions matrix for the admin screens. Everything needs forum.manage. */
export function createAdminApi(ctx: ModuleContext, access: ForumAccess, profiles: ForumProfiles) {
  const { db, cache, kernel } = ctx;
  const forumsApi = () => kernel.api('forum').forums;

  function checkName(raw: unknown): string {
    const name = String(raw ?? '').trim();
    if (!name) throw forumErrors.FORUM_NAME_REQUIRED();
    if (name.length > MAX_NAME) throw adminErrors.FORUM_NAME_TOO_LONG(String(MAX_NAME), { max: MAX_NAME });
    return name;
  }

  function checkSort(raw: unknown): number {
    const n = typeof raw === 'string' && !raw.trim() ? NaN : Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw adminErrors.FORUM_BAD_SORT(String(raw).slice(0, 20), { value: String(raw).slice(0, 20) });
    return n;
  }

  async function checkSite(siteId: string): Promise<string> {
    if (!(await kernel.sites.list()).some((s) => s.id === siteId)) throw adminErrors.FORUM_SITE_NOT_FOUND(siteId.slice(0, 40), { site: siteId.slice(0, 40) });
    return siteId;
  }

  async function categoryRow(id: number): Promise<Category> {
    const r = await db.write('categories').where({ id }).first();
    if (!r) throw forumErrors.FORUM_CATEGORY_NOT_FOUND(String(id), { id });
    return toCategory(r);
  }

  async function forumRow(id: number): Promise<Forum> {
    const r = await db.write('forums').where({ id }).first();
    if (!r) throw forumErrors.FORUM_NOT_FOUND(String(id), { id });
    return toForum(r);
  }

  async function countOf(table: string, where: Record<string, unknown>): Promise<number> {
    const [{ n }] = (await db.write(table).where(where).count({ n: '*' })) as { n: unknown }[];
    return Number(n);
  }

  /** Every check of the forum form, before anything is written. */
  async function checkSettings(s: ForumSettings): Promise<ForumSettings & { sort: number }> {
    const out = { ...s, name: checkName(s.name), sort: checkSort(s.sort), siteId: await checkSite(s.siteId), description: String(s.description ?? '') };
    if (out.categoryId !== null && (await categoryRow(out.categoryId)).siteId !== out.siteId) throw adminErrors.FORUM_CATEGORY_OTHER_SITE();
    return out;
  }

  return {
    category: (id: number): Promise<Category> => categoryRow(id),

    async createCategory(principal: Principal, input: { siteId: string; name: string; sort: unknown }): Promise<Category> {
      await access.assertManage(principal);
      const name = checkName(input.name);
      const sort = checkSort(input.sort);
      return forumsApi().createCategory(principal, { name, sort, siteId: await checkSite(input.siteId) });
    },

    async updateCategory(principal: Principal, id: number, input: { name: string; sort: unknown }): Promise<Category> {
      await access.assertManage(principal);
      await categoryRow(id);
      await db.write('categories').where({ id }).update({ name: checkName(input.name), sort: checkSort(input.sort) });
      await cache.invalidateTags(FORUMS_TAG);
      return categoryRow(id);
    },

    /** Refused (FORUM_CATEGORY_IN_USE) while forums are in it. */
    async deleteCategory(principal: Principal, id: number): Promise<void> {
      await access.assertManage(principal);
      await categoryRow(id);
      const n = await countOf('forums', { category_id: id });
      if (n) throw adminErrors.FORUM_CATEGORY_IN_USE(String(n), { count: n });
      await db.write('categories').where({ id }).delete();
      await cache.invalidateTags(FORUMS_TAG);
    },

    /** A new forum from the admin form (levels: the module's default, "registered" may start topics). */
    async createForum(principal: Principal, input: ForumSettings): Promise<Forum> {
      await access.assertManage(principal);
      const s = await checkSettings(input);
      return forumsApi().create(principal, s);
    },

    async updateForum(principal: Principal, id: number, input: Omit<ForumSettings, 'siteId'>): Promise<Forum> {
      await access.assertManage(principal);
      const forum = await forumRow(id);
      const s = await checkSettings({ ...input, siteId: forum.siteId });
      return forumsApi().update(principal, id, { name: s.name, description: s.description, sort: s.sort, premoderation: s.premoderation, categoryId: s.categoryId });
    },

    /** How much a deletion takes with it: every topic and message, hidden and deleted ones included. */
    async contentsOf(principal: Principal, id: number): Promise<{ topics: number; messages: number }> {
      await access.assertManage(principal);
      await forumRow(id);
      return { topics: await countOf('topics', { forum_id: id }), messages: await countOf('messages', { forum_id: id }) };
    },

    /**
     * Deletes a forum for good with its levels, subscriptions, unread marks, search entries, topics and messages,
     * in one transaction. A forum with topics is refused (FORUM_HAS_TOPICS) unless `withTopics` confirms it.
     */
    async deleteForum(principal: Principal, id: number, opts: { withTopics?: boolean } = {}): Promise<void> {
      await access.assertManage(principal);
      await forumRow(id);
      const topics = await countOf('topics', { forum_id: id });
      if (topics && !opts.withTopics) throw adminErrors.FORUM_HAS_TOPICS(String(topics), { count: topics });
      await db.transaction(async (tx) => {
        // Topics first, as a reply locks them first: a reply racing the delete either is counted here or finds no topic.
        if (db.dialect !== 'sqlite') await tx.table('topics').where({ forum_id: id }).forUpdate().select('id');
        await profiles.forgetForum(tx, id);
        if (db.dialect === 'sqlite') {
          await tx.knex.raw(`DELETE FROM ${db.table('search')} WHERE rowid IN (SELECT id FROM ${db.table('messages')} WHERE forum_id = ?)`, [id]);
        }
        // Attachments hang off messages: their rows go with the forum, their kernel files once it committed.
        const messageIds = tx.table('messages').where({ forum_id: id }).select('id');
        const fileIds = (await tx.table('attachments').whereIn('message_id', messageIds.clone()).pluck('file_id')) as number[];
        await tx.table('attachments').whereIn('message_id', messageIds).delete();
        tx.onCommit(async () => {
          for (const fileId of fileIds) await kernel.files.delete(Number(fileId)).catch(() => undefined);
        });
        for (const table of ['messages', 'topics', 'permissions', 'subscriptions', 'topic_reads', 'forum_reads']) await tx.table(table).where({ forum_id: id }).delete();
        await tx.table('forums').where({ id }).delete();
      });
      await cache.invalidateTags(FORUMS_TAG, forumTag(id), permsTag(id), `forum:topics:${id}`);
    },

    /** The matrix of a site: its forums (category order) and each forum's explicit levels by group id. */
    async matrix(principal: Principal, siteId: string): Promise<{ forums: Forum[]; levels: Map<number, Map<number, ForumLevel>> }> {
      await access.assertManage(principal);
      const rows = await db.write('forums').where({ site_id: siteId }).orderBy([{ column: 'sort' }, { column: 'id' }]);
      // The order of the forum list: by category (in its sort), forums without one last.
      const order = new Map((await forumsApi().categories(siteId)).map((c, i) => [c.id, i]));
      const place = (f: Forum) => (f.categoryId !== null && order.has(f.categoryId) ? order.get(f.categoryId)! : order.size);
      const forums = (rows as Record<string, unknown>[]).map(toForum).sort((a: Forum, b: Forum) => place(a) - place(b));
      const levels = new Map<number, Map<number, ForumLevel>>();
      for (const f of forums) levels.set(f.id, await access.levels(f.id));
      return { forums, levels };
    },

    /** Saves many cells at once: every cell is checked first, then all are written in one transaction. */
    async setMatrix(principal: Principal, cells: MatrixCell[]): Promise<void> {
      await access.assertManage(principal);
      const groups = new Set((await kernel.groups.list()).map((g) => g.id));
      const forums = new Set<number>();
      for (const c of cells) {
        if (!forums.has(c.forumId)) await forumRow(c.forumId);
        forums.add(c.forumId);
        if (!groups.has(c.groupId)) throw forumErrors.FORUM_GROUP_NOT_FOUND(String(c.groupId), { id: c.groupId });
        if (c.level !== null && !isForumLevel(c.level)) throw forumErrors.FORUM_BAD_LEVEL(String(c.level).slice(0, 20), { value: String(c.level).slice(0, 20) });
      }
      await db.transaction(async (tx) => {
        for (const c of cells) {
          await tx.table('permissions').where({ forum_id: c.forumId, group_id: c.groupId }).delete();
          if (c.level !== null && c.level !== 'A') await tx.table('permissions').insert({ forum_id: c.forumId, group_id: c.groupId, level: c.level });
        }
      });
      await cache.invalidateTags(FORUMS_TAG, ...[...forums].map(permsTag));
    },
  };
}

export type ForumAdminApi = ReturnType<typeof createAdminApi>;
