/**
 * Registry rows name DB servers by host:port only; the portal's user, password and database come from the
 * bootstrap URL (settings.json), the same on every server of the cluster. No password is stored in the registry.
 */
export function nodeUrl(template: string, address: string): string {
  const u = new URL(template);
  u.host = address;
  return u.toString().replace(/\/$/, '');
}

/** host:port of a mysql:// URL. */
export function addressOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '3306'}`;
}

/** The URL without its password, for output. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
