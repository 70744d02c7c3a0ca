/** IANA time zones as this Node's Intl knows them, plus "UTC". */
let zones: Set<string> | undefined;

function known(): Set<string> {
  zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return zones;
}

/** Every time zone a site may use, sorted (for the admin form). */
export function timeZoneNames(): string[] {
  return [...known()].sort();
}

/** Whether `name` is one of `Intl.supportedValuesOf('timeZone')` or "UTC" (exact spelling). */
export function isTimeZone(name: string): boolean {
  return known().has(name);
}

/** The process's time zone (TZ, else the system's), as Intl resolves it. */
export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A site's zone: its setting when it names a known zone, else the server's. */
export function effectiveTimeZone(setting: string | null | undefined): string {
  return setting && isTimeZone(setting) ? setting : serverTimeZone();
}
