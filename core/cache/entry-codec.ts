/** What the cache stores per key: the value and the versions of its tags at write time. */
export interface StoredEntry {
  v: unknown;
  t: Record<string, string>;
}

/**
 * Entries are JSON, except string values (rendered HTML, whole pages), which are stored
 * after a one-line JSON header so a hit does not re-parse kilobytes of markup.
 */
const STRING_MARK = '\u0001';
/** Entries holding Dates (or strings that start with NUL) are JSON with tagged strings, parsed with a reviver. */
const TYPED_MARK = '\u0002';
/** A Date is the string NUL "d" epoch-ms; a string that itself starts with NUL gets NUL "s" in front. */
const TAG = '\u0000';
const DATE = `${TAG}d`;
const ESCAPED = `${TAG}s`;

export function encodeEntry(entry: StoredEntry): string {
  if (typeof entry.v === 'string') return `${STRING_MARK}${JSON.stringify(entry.t)}\n${entry.v}`;
  let typed = false;
  const json = JSON.stringify(entry, function (this: Record<string, unknown>, key, value: unknown) {
    // JSON.stringify has already called Date#toJSON on `value`; the holder still has the Date.
    const raw = this[key];
    if (raw instanceof Date) {
      typed = true;
      return DATE + String(raw.getTime());
    }
    if (typeof value === 'string' && value.startsWith(TAG)) {
      typed = true;
      return ESCAPED + value;
    }
    return value;
  });
  return typed ? TYPED_MARK + json : json;
}

export function decodeEntry(raw: string): StoredEntry | undefined {
  try {
    if (raw.startsWith(TYPED_MARK)) return JSON.parse(raw.slice(1), revive) as StoredEntry;
    if (!raw.startsWith(STRING_MARK)) return JSON.parse(raw) as StoredEntry;
    const newline = raw.indexOf('\n');
    if (newline < 0) return undefined;
    return { t: JSON.parse(raw.slice(1, newline)) as Record<string, string>, v: raw.slice(newline + 1) };
  } catch {
    return undefined;
  }
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(TAG)) return value;
  if (value.startsWith(DATE)) return new Date(Number(value.slice(DATE.length)));
  if (value.startsWith(ESCAPED)) return value.slice(ESCAPED.length);
  return value;
}
