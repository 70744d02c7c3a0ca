import { effectiveTimeZone } from './zones.js';
import { instantOf, isCalendarDate, isoDateIn, pad, wallParts } from './wall-time.js';

/** Something that is, or can be read as, an instant: a Date, epoch ms, or an ISO string. */
export type Instant = Date | number | string | null | undefined;

/**
 * How a site shows dates: in its language and time zone. Every view (`it.dates`), admin
 * screen (`it.fmt` is `dateTime` with seconds), component template (`it.dates`) and
 * component (`datesFor(state)`) uses one of these, so no page shows a raw ISO string or
 * depends on the server's TZ.
 */
export interface DateFormat {
  readonly language: string;
  readonly timeZone: string;
  /** "31 January 2026". */
  date(at: Instant): string;
  /** "31 Jan 2026, 14:05" (with `seconds`: "31 Jan 2026, 14:05:09"). */
  dateTime(at: Instant, opts?: { seconds?: boolean }): string;
  /** "5 minutes ago", "in 2 hours", "yesterday". */
  relative(at: Instant, now?: number): string;
  /** A calendar date "YYYY-MM-DD" or a day "MM-DD" (a birthday): "12 March", or "12 March 1990" with `year`; never shifted by a zone. */
  day(ymd: string | null | undefined, opts?: { year?: boolean }): string;
  /** The calendar date of an instant on the site's clock, "YYYY-MM-DD" (for `<time datetime>`). */
  isoDate(at: Instant): string;
  /** The year on the site's clock now (or at `at`). */
  year(at?: Instant): number;
  /** The value of a `datetime-local` input: "2026-05-01T10:30" (seconds only when there are some). */
  input(at: Instant): string;
  /** Reads a `datetime-local` value on the site's clock: epoch ms, null when blank, NaN when it is not a date and time. */
  parseInput(raw: string): number | null;
}

const EMPTY = '—';
const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The locale of a portal language: day-month-year order in English as in Russian. */
export function localeOf(language: string): string {
  return language === 'ru' ? 'ru-RU' : 'en-GB';
}

function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formats.get(key);
  if (!f) {
    f = make();
    formats.set(key, f);
  }
  return f;
}

function toMs(at: Instant): number | null {
  if (at === null || at === undefined || at === '') return null;
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : /^-?\d+$/.test(at) ? Number(at) : Date.parse(at);
  return Number.isFinite(ms) ? ms : null;
}

/** The formatter for a language and an IANA zone (validated by the caller, e.g. the site service). */
export function dateFormat(language: string, timeZone: string): DateFormat {
  const locale = localeOf(language);
  const fmt = (kind: string, options: Intl.DateTimeFormatOptions, zone = timeZone) =>
    cached(`${locale}|${zone}|${kind}`, () => new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }));
  const show = (at: Instant, f: () => Intl.DateTimeFormat) => {
    const ms = toMs(at);
    return ms === null ? EMPTY : f().format(ms);
  };
  return {
    language,
    timeZone,
    date: (at) => show(at, () => fmt('date', { day: 'numeric', month: 'long', year: 'numeric' })),
    dateTime: (at, opts = {}) =>
      show(at, () =>
        fmt(opts.seconds ? 'dts' : 'dt', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', ...(opts.seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' }),
      ),
    relative: (at, now = Date.now()) => {
      const ms = toMs(at);
      return ms === null ? EMPTY : relativeText(locale, ms - now);
    },
    day: (ymd, opts = {}) => {
      // "MM-DD" (a birthday shown without its year) is read in a leap year, so 29 February stays itself.
      const full = ymd && /^\d{2}-\d{2}$/.test(ymd) ? `2000-${ymd}` : ymd;
      if (!full || !isCalendarDate(full)) return EMPTY;
      // A calendar date has no zone: shown as the UTC day it names, whatever the site's zone.
      const withYear = opts.year && full !== `2000-${ymd}`;
      const f = fmt(withYear ? 'cal-y' : 'cal', { day: 'numeric', month: 'long', ...(withYear ? { year: 'numeric' } : {}) }, 'UTC');
      return f.format(Date.parse(`${full}T00:00:00Z`));
    },
    isoDate: (at) => {
      const ms = toMs(at);
      return ms === null ? '' : isoDateIn(ms, timeZone);
    },
    year: (at = Date.now()) => wallParts(toMs(at) ?? Date.now(), timeZone).year,
    input: (at) => {
      const ms = toMs(at);
      if (ms === null) return '';
      const p = wallParts(ms, timeZone);
      const base = `${isoDateIn(ms, timeZone)}T${pad(p.hour)}:${pad(p.minute)}`;
      return p.second ? `${base}:${pad(p.second)}` : base;
    },
    parseInput: (raw) => {
      const s = raw.trim();
      if (s === '') return null;
      const m = LOCAL_INPUT.exec(s);
      if (!m || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) return NaN;
      const [h, min, sec] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
      if (h > 23 || min > 59 || sec > 59) return NaN;
      return instantOf(timeZone, Number(m[1]), Number(m[2]), Number(m[3]), h, min, sec);
    },
  };
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

function relativeText(locale: string, diff: number): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(diff);
  const [unit, size] = UNITS.find(([, size]) => abs >= size) ?? ['second', 1000];
  return rtf.format(Math.round(diff / size), unit);
}

/** What the request state holds of the site and language. */
export interface DateContext {
  language?: string;
  site?: { language?: string; timeZone?: string | null } | null;
}

/** The formatter of a request: its language, its site's time zone (else the server's). */
export function datesFor(state: DateContext | null | undefined): DateFormat {
  return dateFormat(state?.language ?? state?.site?.language ?? 'en', effectiveTimeZone(state?.site?.timeZone));
}
