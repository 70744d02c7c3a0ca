import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { ForumAccess } from './access.js';
import { adminErrors } from './admin-errors.js';
import { forumErrors } from './errors.js';
import { atLeast } from './levels.js';
import { toMessage } from './rows.js';
import type { Message, Page } from './types.js';

export interface QueueItem extends Message {
  topicTitle: string;
  forumName: string;
}

export interface ModeratedForum {
  id: number;
  siteId: string;
  name: string;
}

export const MAX_BULK = 200;

/** The admin moderation queue: pending messages of the forums the principal moderates (Q and above), one or many at a time. */
export function createModerationApi(ctx: ModuleContext, access: ForumAccess) {
  const { db, kernel } = ctx;

  async function moderated(principal: Principal): Promise<ModeratedForum[]> {
    const rows = await db.read('forums').orderBy([{ column: 'site_id' }, { column: 'sort' }, { column: 'id' }]);
    const out: ModeratedForum[] = [];
    for (const r of rows) if (atLeast(await access.levelOf(principal, Number(r.id)), 'Q')) out.push({ id: Number(r.id), siteId: String(r.site_id), name: String(r.name) });
    return out;
  }

  /** The messages behind `ids`, each pending and in a forum the principal moderates; anything else refuses them all. */
  async function pendingOnes(principal: Principal, ids: number[]): Promise<Message[]> {
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    if (!unique.length) throw adminErrors.FORUM_NOTHING_SELECTED();
    if (unique.length > MAX_BULK) throw adminErrors.FORUM_TOO_MANY_SELECTED(String(MAX_BULK), { max: MAX_BULK });
    const rows = (await db.write('messages').whereIn('id', unique)) as Record<string, unknown>[];
    const byId = new Map<number, Message>(rows.map((r) => [Number(r.id), toMessage(r)]));
    const out: Message[] = [];
    for (const id of unique) {
      const m = byId.get(id);
      if (!m) throw forumErrors.FORUM_MESSAGE_NOT_FOUND(String(id), { id });
      await access.assert(principal, m.forumId, 'Q');
      if (m.approved || m.deletedAt) throw adminErrors.FORUM_NOT_PENDING(String(id), { id });
      out.push(m);
    }
    return out;
  }

  return {
    /** Forums where the principal moderates, on every site. */
    moderatedForums: moderated,

    /** Pending, undeleted messages, oldest first, with their topic's title and forum's name. */
    async queue(principal: Principal, opts: { forumId?: number; page?: number; pageSize?: number } = {}): Promise<Page<QueueItem>> {
      const forums = await moderated(principal);
      const ids = forums.filter((f) => opts.forumId === undefined || f.id === opts.forumId).map((f) => f.id);
      const page = Math.max(1, Math.min(100_000, Math.floor(Number(opts.page)) || 1));
      const pageSize = Math.max(1, Math.min(100, Math.floor(Number(opts.pageSize)) || 50));
      if (!ids.length) return { items: [], total: 0, page, pageSize };
      const base = () => db.read('messages').whereIn('forum_id', ids).where('approved', false).whereNull('deleted_at');
      const [{ n }] = (await base().count({ n: '*' })) as { n: unknown }[];
      const rows: Message[] = ((await base().orderBy('id').limit(pageSize).offset((page - 1) * pageSize)) as Record<string, unknown>[]).map(toMessage);
      const topicIds = [...new Set(rows.map((m) => m.topicId))];
      const titles = new Map<number, string>();
      if (topicIds.length) for (const t of (await db.read('topics').whereIn('id', topicIds).select('id', 'title')) as Record<string, unknown>[]) titles.set(Number(t.id), String(t.title));
      const names = new Map(forums.map((f) => [f.id, f.name]));
      return { items: rows.map((m) => ({ ...m, topicTitle: titles.get(m.topicId) ?? '', forumName: names.get(m.forumId) ?? '' })), total: Number(n), page, pageSize };
    },

    /** Approves every message of `ids` (first messages first, so a topic opens before its replies); all are checked before any is approved. */
    async approveMany(principal: Principal, ids: number[]): Promise<number> {
      const list = await pendingOnes(principal, ids);
      for (const m of list) await kernel.api('forum').approveMessage(principal, m.id);
      return list.length;
    },

    /** Soft-deletes every message of `ids` (restorable); all are checked before any is deleted. */
    async deleteMany(principal: Principal, ids: number[]): Promise<number> {
      const list = await pendingOnes(principal, ids);
      for (const m of list) await kernel.api('forum').deleteMessage(principal, m.id);
      return list.length;
    },
  };
}
