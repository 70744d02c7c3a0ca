import { lazyRequire } from '../../core/lazy.js';

const ru = lazyRequire<{ stemmer(w: string): string }>('@orama/stemmers/russian');
const en = lazyRequire<{ stemmer(w: string): string }>('@orama/stemmers/english');

/** Words of a text (BB-code tags dropped), lower case, ё as е. */
export function words(text: string): string[] {
  return (text.replace(/\[\/?[a-z*]+(=[^\]]*)?\]/gi, ' ').toLowerCase().replace(/ё/g, 'е').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 20000);
}

/** One word's stem: Russian for Cyrillic words, English for Latin ones, else the word. */
export function stem(word: string): string {
  if (/^[а-я]+$/.test(word)) return ru().stemmer(word);
  if (/^[a-z]+$/.test(word)) return en().stemmer(word);
  return word;
}

/** What the index holds for a message: its stems, so "отчёты" and "отчетов", "reports" and "reporting" meet. */
export function searchText(...parts: string[]): string {
  return parts.flatMap(words).map(stem).join(' ');
}
