import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { ForumAccess } from './access.js';
import { adminErrors } from './admin-errors.js';
import { badWordProblem, badWordsPattern, hideBadWords, MAX_BAD_WORDS, parseBadWords } from './bad-words.js';

/** The bad-words list behind the option `bad_words`: read, checked and saved one entry a line, and tried on a sample. */
export function createBadWordsApi(ctx: ModuleContext, access: ForumAccess) {
  function check(words: string[]): string[] {
    // The option is stored as JSON in a TEXT column (64 KB on MariaDB): the count and the bytes both stay well below.
    if (words.length > MAX_BAD_WORDS || Buffer.byteLength(JSON.stringify(words.join('\n'))) > 60_000) throw adminErrors.FORUM_BAD_WORDS_TOO_MANY(String(MAX_BAD_WORDS), { max: MAX_BAD_WORDS });
    const bad = badWordProblem(words);
    if (bad !== null) throw adminErrors.FORUM_BAD_WORD_INVALID(bad.slice(0, 100), { word: bad.slice(0, 100) });
    return words;
  }

  return {
    /** The entries in force (all sites). */
    async list(): Promise<string[]> {
      return parseBadWords(String((await ctx.option('bad_words')) ?? ''));
    },

    /** Replaces the list (forum.manage); `text` holds one entry a line. Returns the entries saved. */
    async save(principal: Principal, text: string): Promise<string[]> {
      await access.assertManage(principal);
      const words = check(parseBadWords(text));
      await ctx.kernel.options.set('forum', 'bad_words', words.join('\n'));
      return words;
    },

    /** The sample as a post would show it with the list in `text` (checked like save, nothing stored). */
    preview(text: string, sample: string): string {
      return hideBadWords(sample, badWordsPattern(check(parseBadWords(text))));
    },
  };
}
