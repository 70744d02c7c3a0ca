/**
 * The bad-words list (module option `bad_words`): one word or pattern a line (commas also separate, as the option
 * always allowed). A word matches whole words in any case and script; `*` stands for any letters, so `spam*` also
 * hides "spammer". No user-written regular expressions: every other character is matched as itself.
 */
export const MAX_BAD_WORDS = 500;
export const MAX_BAD_WORD_LENGTH = 50;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORD_CHAR = '[\\p{L}\\p{N}_]';

/** The list as entries, trimmed, blank lines and repeats (any case) dropped. */
export function parseBadWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of String(text ?? '').split(/[\n,]/)) {
    const w = raw.trim();
    if (!w || seen.has(w.toLowerCase())) continue;
    seen.add(w.toLowerCase());
    out.push(w);
  }
  return out;
}

/** The first entry that cannot be used (fewer than two letters or digits besides `*`, or too long), else null. */
export function badWordProblem(words: string[]): string | null {
  for (const w of words) {
    if (w.length > MAX_BAD_WORD_LENGTH || [...w.replace(/\*/g, '')].filter((c) => /[\p{L}\p{N}_]/u.test(c)).length < 2) return w;
  }
  return null;
}

/** One whole-word, case-insensitive pattern for every entry; null for an empty list. */
export function badWordsPattern(words: string[]): RegExp | null {
  const parts = words.filter((w) => w.replace(/\*/g, '').trim()).map((w) => escapeRe(w).replace(/\\\*/g, `${WORD_CHAR}*`));
  return parts.length ? new RegExp(`(?<!${WORD_CHAR})(?:${parts.join('|')})(?!${WORD_CHAR})`, 'giu') : null;
}

/** The text with every listed word replaced by as many asterisks as it has characters. */
export function hideBadWords(text: string, re: RegExp | null): string {
  return re ? text.replace(re, (w) => '*'.repeat([...w].length)) : text;
}
