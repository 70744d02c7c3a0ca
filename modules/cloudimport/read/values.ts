/**
 * The cloud's many spellings of one value, made one. Pure functions; every importer goes through them.
 *
 * - empty: "", null, undefined, {}, [] (and for references also "0")
 * - booleans: true/false, "Y"/"N", "1"/"0", "true"/"false"
 * - dates: ISO 8601 with an offset, "MM/DD/YYYY hh:mi:ss am" (English locale), "DD.MM.YYYY HH:MI:SS" (Russian),
 *   "YYYY-MM-DD HH:MI:SS"; forms without an offset are wall-clock times of the cloud portal's time zone
 * - sets: arrays or keyed objects ({"3743": "1269", "3745": "1271"})
 */

export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/** A string, or null for an empty value. Numbers become their decimal text. */
export function text(v: unknown): string | null {
  if (isEmpty(v)) return null;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function bool(v: unknown, fallback = false): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toUpperCase();
    if (s === 'Y' || s === 'TRUE' || s === '1' || s === 'YES' || s === 'ДА') return true;
    if (s === 'N' || s === 'FALSE' || s === '0' || s === 'NO' || s === 'НЕТ' || s === '') return false;
  }
  return fallback;
}

/** A cloud id ("15", 15) as a string, or null for an empty one ("", null, {}, [], "0", 0). */
export function ref(v: unknown): string | null {
  if (Array.isArray(v)) return v.length ? ref(v[0]) : null;
  const s = text(v);
  if (s === null || s === '0' || !/^-?\d+$/.test(s)) return null;
  return String(Number(s));
}

/** The values of a set: an array, a keyed object, or one value; empty values dropped. */
export function set(v: unknown): unknown[] {
  if (isEmpty(v)) return [];
  const values = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v as object) : typeof v === 'string' && v.includes(',') ? v.split(',') : [v];
  return values.filter((x) => !isEmpty(x));
}

/** Ids of a set (UF_DEPARTMENT: [1], auditors: ["13", "103"], "9,11,13"). */
export function refs(v: unknown): string[] {
  return set(v)
    .map(ref)
    .filter((x): x is string => x !== null);
}

/** Minutes east of UTC of `zone` at the instant `utcMs`. */
function offsetMinutes(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Math.round((Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - utcMs) / 60000);
}

/** The instant of a wall-clock time in `zone` (the earlier one in a DST overlap). */
function wallClock(zone: string, y: number, mo: number, d: number, h: number, mi: number, s: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  const probe = new Date(naive);
  if (probe.getUTCDate() !== d) return null;
  let t = naive - offsetMinutes(zone, naive) * 60000;
  t = naive - offsetMinutes(zone, t) * 60000;
  return new Date(t);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$/i;
const RU = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A date of any of the cloud's forms as a Date, null for an empty one ("", null, {}), undefined when the text is no
 * date at all (the caller reports the row). `zone` is the cloud portal's time zone for forms without an offset.
 */
export function date(v: unknown, zone = 'UTC'): Date | null | undefined {
  if (isEmpty(v)) return null;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  let m = ISO.exec(s);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', sec = '0'] = m.slice(1, 7).map((x) => x ?? undefined) as string[];
    if (m[7]) {
      const off = m[7].toUpperCase() === 'Z' ? 0 : (m[7][0] === '-' ? -1 : 1) * (Number(m[7].slice(1, 3)) * 60 + Number(m[7].slice(-2)));
      const local = wallClock('UTC', +y!, +mo!, +d!, +h, +mi, +sec);
      return local ? new Date(local.getTime() - off * 60000) : undefined;
    }
    return wallClock(zone, +y!, +mo!, +d!, +h, +mi, +sec) ?? undefined;
  }
  m = US.exec(s);
  if (m) {
    let h = Number(m[4] ?? 0);
    const ampm = m[7]?.toLowerCase()[0];
    if (ampm && (h < 1 || h > 12)) return undefined;
    if (ampm === 'p' && h < 12) h += 12;
    if (ampm === 'a' && h === 12) h = 0;
    return wallClock(zone, +m[3]!, +m[1]!, +m[2]!, h, +(m[5] ?? 0), +(m[6] ?? 0)) ?? undefined;
  }
  m = RU.exec(s);
  if (m) return wallClock(zone, +m[3]!, +m[2]!, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) ?? undefined;
  return undefined;
}

/** A calendar day (birthdays) as YYYY-MM-DD, taken as written (no zone shift), or null; undefined if no date. */
export function day(v: unknown): string | null | undefined {
  if (isEmpty(v)) return null;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const pad = (n: string) => n.padStart(2, '0');
  let parts: [string, string, string] | null = null;
  let m = ISO.exec(s);
  if (m) parts = [m[1]!, m[2]!, m[3]!];
  else if ((m = US.exec(s))) parts = [m[3]!, pad(m[1]!), pad(m[2]!)];
  else if ((m = RU.exec(s))) parts = [m[3]!, pad(m[2]!), pad(m[1]!)];
  if (!parts || !wallClock('UTC', +parts[0], +parts[1], +parts[2], 0, 0, 0)) return undefined;
  return parts.join('-');
}
