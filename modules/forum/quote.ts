import type { Message } from './types.js';

/** `[quote="Author"]source[/quote]` for a reply; the name loses the characters that would end the attribute or tag. */
export function quoteOf(m: Pick<Message, 'authorName' | 'source'>): string {
  const author = m.authorName.replace(/["[\]\r\n]/g, '').trim();
  return `[quote="${author}"]${m.source}[/quote]\n`;
}
