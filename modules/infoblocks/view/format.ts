import { dateFormat } from '../../../core/time/date-format.js';
import { isoDateIn as isoDateOf } from '../../../core/time/wall-time.js';

/**
 * Dates for the infoblocks components, through the kernel's formatter (core/time) in a
 * named zone: the component's `timeZone` parameter, else the site's, never the process's TZ.
 */

export { dayStart, isCalendarDate } from '../../../core/time/wall-time.js';

/** "12 March 2026" (with `withTime`: "12 Mar 2026, 14:30") for an instant in the given zone. */
export function dateText(at: Date | number, lang: string, timeZone: string, withTime = false): string {
  const dates = dateFormat(lang, timeZone);
  return withTime ? dates.dateTime(at) : dates.date(at);
}

/** A calendar date "YYYY-MM-DD" (a `date` property) as text; it has no zone. */
export function calendarDateText(ymd: string, lang: string): string {
  return dateFormat(lang, 'UTC').day(ymd, { year: true });
}

/** The calendar date of an instant in a zone, as "YYYY-MM-DD" (for `<time datetime>`). */
export function isoDateIn(at: Date | number, timeZone: string): string {
  return isoDateOf(at instanceof Date ? at.getTime() : at, timeZone);
}
