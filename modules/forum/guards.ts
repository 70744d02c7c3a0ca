import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import { defineErrors } from '../../core/errors/portal-error.js';
import { badWordsPattern, hideBadWords, parseBadWords } from './bad-words.js';

export const guardErrors = defineErrors({
  FORUM_FLOOD: { status: 429, message: (s) => `You are posting too often: wait ${s} seconds and try again` },
});

export interface FloodLimits {
  max: number;
  window: number;
}

/** Flood control and the bad-words filter, both forum options (off by default). Moderators are exempt from flood control. */
export function createGuards(ctx: ModuleContext) {
  return {
    /** The flood limits, read before the posting transaction (no option reads inside it); null when off. */
    async floodLimits(): Promise<FloodLimits | null> {
      const max = Number(await ctx.option('flood_posts'));
      const window = Number(await ctx.option('flood_window'));
      return max && window ? { max, window } : null;
    },

    /**
     * Refuses a post when the author wrote `max` messages within the last `window` seconds. Runs inside the posting
     * transaction after the author's profile row is locked (profiles.lockForPost), so simultaneous posts of one author
     * are counted one after the other and none slips past the limit.
     */
    async assertNotFlooding(tx: ModuleTx, authorId: number, limits: FloodLimits | null): Promise<void> {
      if (!limits) return;
      const since = Date.now() - limits.window * 1000;
      const [{ n }] = (await tx.table('messages').where({ author_id: authorId }).where('created_at', '>', since).count({ n: '*' })) as { n: unknown }[];
      if (Number(n) >= limits.max) throw guardErrors.FORUM_FLOOD(String(limits.window));
    },

    /** The text with each listed word replaced by asterisks (case-insensitive, whole words, `*` for any letters; bad-words.ts). */
    async filterWords(text: string): Promise<string> {
      return hideBadWords(text, badWordsPattern(parseBadWords(String((await ctx.option('bad_words')) ?? ''))));
    },
  };
}

export type Guards = ReturnType<typeof createGuards>;
