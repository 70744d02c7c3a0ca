import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import { defineErrors } from '../../core/errors/portal-error.js';

export const guardErrors = defineErrors({
  FORUM_FLOOD: { status: 429, message: (s) => `You are posting too often: wait ${s} seconds and try again` },
});

export interface FloodLimits {
  max: number;
  window: number;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The bad-words list (option `bad_words`: words separated by commas or new lines) as one whole-word pattern. */
function badWordsPattern(list: string): RegExp | null {
  const words = list.split(/[\n,]/).map((w) => w.trim()).filter(Boolean).map(escapeRe);
  return words.length ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.join('|')})(?![\\p{L}\\p{N}_])`, 'giu') : null;
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

    /** The text with each listed word replaced by asterisks (case-insensitive, whole words, any script). */
    async filterWords(text: string): Promise<string> {
      const re = badWordsPattern(String((await ctx.option('bad_words')) ?? ''));
      return re ? text.replace(re, (w) => '*'.repeat([...w].length)) : text;
    },
  };
}

export type Guards = ReturnType<typeof createGuards>;
