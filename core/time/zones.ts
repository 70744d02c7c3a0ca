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

/** The zone resolved for the last TZ seen: making a DateTimeFormat costs more than a whole cached page. */
let resolved: { tz: string | undefined; zone: string } | undefined;

/** The process's time zone (TZ, else the system's), as Intl resolves it (again whenever TZ changes). */
export function serverTimeZone(): string {
  const tz = process.env.TZ;
  if (!resolved || resolved.tz !== tz) resolved = { tz, zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' };
  return resolved.zone;
}

/** A site's zone: its setting when it names a known zone, else the server's. */
export function effectiveTimeZone(setting: string | null | undefined): string {
  return setting && isTimeZone(setting) ? setting : serverTimeZone();
}
