import iconv from 'iconv-lite';
import { cloudErrors } from '../errors.js';

export type TextEncoding = 'utf8' | 'cp1251';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Whether the bytes are well-formed UTF-8 (TextDecoder with fatal: true does the checking). */
function isUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/**
 * windows-1251 puts Cyrillic letters at 0xC0..0xFF (and Ё/ё at 0xA8/0xB8). A text in it has most of its high bytes
 * there; bytes 0x80..0xBF other than the few punctuation marks cp1251 uses there are rare in Russian text.
 */
function looksCp1251(buf: Buffer): boolean {
  let high = 0;
  let cyrillic = 0;
  for (const b of buf) {
    if (b < 0x80) continue;
    high++;
    if (b >= 0xc0 || b === 0xa8 || b === 0xb8 || b === 0xab || b === 0xbb || b === 0x96 || b === 0x97 || b === 0xb9 || b === 0xa0) cyrillic++;
  }
  return high > 0 && cyrillic / high >= 0.9;
}

/** UTF-8 (with or without a BOM), else windows-1251 by the look of its bytes, else CLOUD_UNKNOWN_ENCODING. */
export function detectEncoding(buf: Buffer, file: string): TextEncoding {
  if (buf.subarray(0, 3).equals(BOM) || isUtf8(buf)) return 'utf8';
  if (looksCp1251(buf)) return 'cp1251';
  throw cloudErrors.CLOUD_UNKNOWN_ENCODING(file);
}

/** The text of a UI export, the BOM dropped. */
export function decodeText(buf: Buffer, file: string): string {
  const text = detectEncoding(buf, file) === 'utf8' ? buf.toString('utf8') : iconv.decode(buf, 'win1251');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
