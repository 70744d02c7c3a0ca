/**
 * Dates for the infoblocks components, in a named time zone (a component parameter, UTC by
 * default) and never the server's: the same HTML comes out whatever TZ the process runs in.
 */

const locale = (lang: string) => (lang === 'ru' ? 'ru-RU' : 'en-GB');
const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${withTime}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'long', year: 'numeric', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}), timeZone });
    formats.set(key, f);
  }
  return f;
}

/** "12 March 2026" (with `withTime`: "12 March 2026, 14:30") for an instant in the given zone. */
export function dateText(at: Date | number, lang: string, timeZone: string, withTime = false): string {
  return format(lang, timeZone, withTime).format(at instanceof Date ? at : new Date(at));
}

/** A calendar date "YYYY-MM-DD" (a `date` property) as text; it has no zone. */
export function calendarDateText(ymd: string, lang: string): string {
  return format(lang, 'UTC', false).format(new Date(`${ymd}T00:00:00Z`));
}

/** The calendar date of an instant in a zone, as "YYYY-MM-DD" (for `<time datetime>`). */
export function isoDateIn(at: Date | number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).formatToParts(at instanceof Date ? at : new Date(at)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** How far the zone is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  );
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - (ms - (ms % 1000));
}

/** The instant a calendar day "YYYY-MM-DD" starts in a zone (epoch ms). */
export function dayStart(ymd: string, timeZone: string): number {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, timeZone);
  // Once more, in case the offset differs at the corrected instant (DST change that day).
  return guess - offsetAt(first, timeZone);
}

/** Whether "YYYY-MM-DD" is a real calendar date. */
export function isCalendarDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}
