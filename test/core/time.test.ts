import assert from 'node:assert/strict';
import { dateFormat, datesFor } from '../../core/time/date-format.js';
import { effectiveTimeZone, isTimeZone, serverTimeZone, timeZoneNames } from '../../core/time/zones.js';

/** An instant: 31 January 2026, 20:05:09 UTC, which is already 1 February in Vladivostok (UTC+10). */
const AT = Date.UTC(2026, 0, 31, 20, 5, 9);
/** Zones from UTC+14 to UTC-11, with and without DST. */
const ZONES = ['UTC', 'Asia/Vladivostok', 'America/Sao_Paulo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];

describe('dates in the site’s zone (core/time)', () => {
  it('shows an instant on the zone’s clock in the language, whatever the process’s TZ', () => {
    const en = dateFormat('en', 'Asia/Vladivostok');
    assert.equal(en.dateTime(AT, { seconds: true }), '1 Feb 2026, 06:05:09');
    assert.equal(en.dateTime(new Date(AT)), '1 Feb 2026, 06:05');
    assert.equal(en.dateTime(new Date(AT).toISOString()), '1 Feb 2026, 06:05', 'ISO strings too');
    assert.equal(en.date(AT), '1 February 2026');
    assert.equal(en.isoDate(AT), '2026-02-01');
    assert.equal(dateFormat('ru', 'Asia/Vladivostok').date(AT), '1 февраля 2026 г.');
    assert.equal(dateFormat('en', 'America/Sao_Paulo').dateTime(AT), '31 Jan 2026, 17:05');
    assert.equal(dateFormat('en', 'UTC').dateTime(AT), '31 Jan 2026, 20:05');
    for (const none of [null, undefined, '', 'not a date']) assert.equal(en.dateTime(none), '—');
  });

  it('shows a birthday (a calendar date) as the same day in every zone', () => {
    for (const zone of ZONES) {
      assert.equal(dateFormat('en', zone).day('1990-03-12'), '12 March', zone);
      assert.equal(dateFormat('en', zone).day('1990-03-12', { year: true }), '12 March 1990', zone);
      assert.equal(dateFormat('ru', zone).day('2000-02-29'), '29 февраля', zone);
      assert.equal(dateFormat('en', zone).day('2001-02-29'), '—', `${zone}: not a calendar date`);
    }
  });

  it('reads a datetime-local value on the zone’s clock, so a round trip shows the same time', () => {
    const vl = dateFormat('en', 'Asia/Vladivostok');
    assert.equal(vl.parseInput('2026-03-01T09:00'), Date.UTC(2026, 1, 28, 23, 0));
    assert.equal(vl.input(Date.UTC(2026, 1, 28, 23, 0)), '2026-03-01T09:00');
    assert.equal(vl.input(AT), '2026-02-01T06:05:09', 'seconds only when there are some');
    for (const zone of ZONES) {
      const f = dateFormat('en', zone);
      for (const text of ['2026-01-01T00:00', '2026-03-29T12:34:56', '2026-07-15T23:59', '2026-10-25T00:30', '2026-12-31T18:00']) {
        assert.equal(f.input(f.parseInput(text)), text, `${zone} ${text}`);
      }
    }
    assert.equal(vl.parseInput(' '), null);
    for (const bad of ['2026-02-30T10:00', '2026-05-01T24:00', '2026-05-01T10:60', '01.05.2026 10:00', '2026-05-01']) assert.ok(Number.isNaN(vl.parseInput(bad)), bad);
  });

  it('reads clock changes: a skipped time with the offset before it, a repeated time as the earlier instant', () => {
    const ny = dateFormat('en', 'America/New_York');
    assert.equal(ny.parseInput('2026-03-08T02:30'), Date.UTC(2026, 2, 8, 7, 30), 'clocks jump 02:00 -> 03:00');
    assert.equal(ny.parseInput('2026-11-01T01:30'), Date.UTC(2026, 10, 1, 5, 30), '01:30 happens twice');
    assert.equal(dateFormat('en', 'Europe/Berlin').parseInput('2026-10-25T02:30'), Date.UTC(2026, 9, 25, 0, 30));
  });

  it('says how long ago or ahead, in the language', () => {
    const now = AT;
    assert.equal(dateFormat('en', 'UTC').relative(now - 5 * 60_000, now), '5 minutes ago');
    assert.equal(dateFormat('ru', 'UTC').relative(now - 5 * 60_000, now), '5 минут назад');
    assert.equal(dateFormat('en', 'UTC').relative(now + 2 * 3_600_000, now), 'in 2 hours');
    assert.equal(dateFormat('en', 'UTC').relative(now - 86_400_000, now), 'yesterday');
  });

  it('knows the IANA zones of Intl (plus UTC) and nothing else; a site without one uses the server’s', () => {
    const names = timeZoneNames();
    assert.ok(names.includes('Asia/Vladivostok') && names.includes('UTC'));
    assert.equal(names.length, Intl.supportedValuesOf('timeZone').length + 1);
    for (const bad of ['Mars/Olympus', 'asia/vladivostok', '', 'Asia/Vladivostok ', '../etc']) assert.equal(isTimeZone(bad), false, bad);
    if (process.env.TZ) assert.equal(serverTimeZone(), process.env.TZ, 'the suite sets TZ; the server’s zone follows it');
    assert.equal(effectiveTimeZone(null), serverTimeZone());
    assert.equal(effectiveTimeZone('Mars/Olympus'), serverTimeZone(), 'a stored zone Intl no longer knows falls back');
    assert.equal(datesFor({ language: 'ru', site: { timeZone: 'Asia/Vladivostok' } }).date(AT), '1 февраля 2026 г.');
    assert.equal(datesFor({ language: 'en', site: { timeZone: null } }).timeZone, serverTimeZone());
  });
});
