import type { ModuleContext } from '../../core/modules/types.js';
import { defineErrors } from '../../core/errors/portal-error.js';
import { badWordsPattern, hideBadWords, parseBadWords } from './bad-words.js';

export const guardErrors = defineErrors({
  FORUM_FLOOD: { status: 429, message: (s) => `You are posting too often: wait ${s} seconds and try again` },
});

/** Flood control and the bad-words filter, both forum options (off by default). Moderators are exempt from flood control. */
export function createGuards(ctx: ModuleContext) {
  const { db } = ctx;
  return {
    /** Refuses a post when the author wrote `flood_posts` messages within the last `flood_window` seconds. */
    async assertNotFlooding(authorId: number): Promise<void> {
      const max = Number(await ctx.option('flood_posts'));
      const window = Number(await ctx.option('flood_window'));
      if (!max || !window) return;
      const since = Date.now() - window * 1000;
      const [{ n }] = (await db.write('messages').where({ author_id: authorId }).where('created_at', '>', since).count({ n: '*' })) as { n: unknown }[];
      if (Number(n) >= max) throw guardErrors.FORUM_FLOOD(String(window));
    },

    /** The text with each listed word replaced by asterisks (case-insensitive, whole words, `*` for any letters; bad-words.ts). */
    async filterWords(text: string): Promise<string> {
      return hideBadWords(text, badWordsPattern(parseBadWords(String((await ctx.option('bad_words')) ?? ''))));
    },
  };
}

export type Guards = ReturnType<typeof createGuards>;
