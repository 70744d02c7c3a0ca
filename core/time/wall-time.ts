/** Converting between instants and the wall-clock time of a named zone, without the process's TZ. */

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** Year, month (1-12), day, hour, minute, second of an instant on the zone's clock. */
export function wallParts(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = partsFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

/** How far the zone's clock is ahead of UTC at an instant, in ms. */
export function offsetAt(ms: number, timeZone: string): number {
  const p = wallParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant the zone's clock shows the given wall time (month 1-12). A time that happens
 * twice (clocks go back) is the earlier one; a time that never happens (clocks go forward)
 * is read with the offset from before the change.
 */
export function instantOf(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const before = asUtc - offsetAt(asUtc - DAY, timeZone);
  const after = asUtc - offsetAt(asUtc + DAY, timeZone);
  const shows = (ms: number) => {
    const p = wallParts(ms, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === asUtc;
  };
  const hits = [before, after].filter(shows);
  return hits.length ? Math.min(...hits) : before;
}

const DAY = 86_400_000;

/** The instant a calendar day "YYYY-MM-DD" starts in a zone (epoch ms). */
export function dayStart(ymd: string, timeZone: string): number {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return instantOf(timeZone, y, m, d);
}

/** The calendar date "YYYY-MM-DD" of an instant on the zone's clock. */
export function isoDateIn(ms: number, timeZone: string): string {
  const p = wallParts(ms, timeZone);
  return `${String(p.year).padStart(4, '0')}-${pad(p.month)}-${pad(p.day)}`;
}

/** Whether "YYYY-MM-DD" is a real calendar date. */
export function isCalendarDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}
