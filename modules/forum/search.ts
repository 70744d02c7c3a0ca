import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import type { ForumAccess } from './access.js';
import { atLeast } from './levels.js';
import { toMessage } from './rows.js';
import { searchText, stem, words } from './search-text.js';
import type { Message } from './types.js';

export interface SearchHit {
  message: Message;
  topicTitle: string;
}

/**
 * Full-text search limited to the forums the principal may read (approved, undeleted messages in visible topics).
 * Query words are stemmed like the index and matched as prefixes, all of them required.
 */
export function createSearch(ctx: ModuleContext, access: ForumAccess) {
  const { db } = ctx;
  const sqlite = db.dialect === 'sqlite';

  return {
    /** Writes a message's index entry inside the posting transaction. */
    async index(tx: ModuleTx, messageId: number, ...parts: string[]): Promise<void> {
      const text = searchText(...parts);
      await tx.table('messages').where({ id: messageId }).update({ search_text: text });
      if (!sqlite) return;
      await tx.knex.raw(`DELETE FROM ${db.table('search')} WHERE rowid = ?`, [messageId]);
      await tx.knex.raw(`INSERT INTO ${db.table('search')} (rowid, search_text) VALUES (?, ?)`, [messageId, text]);
    },

    async search(principal: Principal, query: string, opts: { limit?: number; siteId?: string } = {}): Promise<SearchHit[]> {
      const stems = [...new Set(words(String(query ?? '')).map(stem))].filter((w) => w.length >= 2).slice(0, 10);
      if (!stems.length) throw coreErrors.VALIDATION_FAILED('Type at least one word of two letters or more to search');
      const site = opts.siteId ?? (await ctx.kernel.sites.list())[0]?.id ?? 's1';
      const readable: number[] = [];
      for (const r of await db.read('forums').where({ site_id: site }).select('id')) {
        if (atLeast(await access.levelOf(principal, Number(r.id)), 'E')) readable.push(Number(r.id));
      }
      if (!readable.length) return [];
      const limit = Math.max(1, Math.min(100, Number(opts.limit) || 20));
      const m = db.table('messages');
      const t = db.table('topics');
      let q = db
        .read('messages')
        .join(t, `${t}.id`, `${m}.topic_id`)
        .whereIn(`${m}.forum_id`, readable)
        .where(`${m}.approved`, true)
        .whereNull(`${m}.deleted_at`)
        .where(`${t}.approved`, true)
        .whereNull(`${t}.deleted_at`);
      if (sqlite) {
        const s = db.table('search');
        q = q.whereIn(`${m}.id`, db.read('search').select('rowid').whereRaw(`${s} MATCH ?`, [stems.map((w) => `"${w}"*`).join(' AND ')]));
      } else {
        q = q.whereRaw(`MATCH(${m}.search_text) AGAINST (? IN BOOLEAN MODE)`, [stems.map((w) => `+${w}*`).join(' ')]);
      }
      const rows = await q.select(`${m}.*`, `${t}.title as topic_title`).orderBy(`${m}.id`, 'desc').limit(limit);
      return rows.map((r: Record<string, unknown>) => ({ message: toMessage(r), topicTitle: String(r.topic_title) }));
    },
  };
}

export type Search = ReturnType<typeof createSearch>;
