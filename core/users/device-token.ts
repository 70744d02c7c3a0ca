import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Key name in the SecretStore. */
export const DEVICE_SECRET = 'device';
/** How long a device cookie is good for. */
export const DEVICE_TOKEN_DAYS = 365;

const SHAPE = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;

const mac = (key: Buffer, login: string, nonce: string, issued: string): string =>
  createHmac('sha256', key).update(`device:${login}:${nonce}:${issued}`).digest('base64url');

/**
 * A device cookie (OWASP's "device cookies" against online guessing): given to a browser
 * once it signs in with `login`, so that browser is a client of its own for the sign-in
 * throttle, however many others fail from its address. `<nonce>.<issued, base 36>.<HMAC>`.
 */
export function makeDeviceToken(key: Buffer, login: string, now: number): string {
  const nonce = randomBytes(16).toString('base64url');
  const issued = Math.floor(now / 1000).toString(36);
  return `${nonce}.${issued}.${mac(key, login, nonce, issued)}`;
}

/** The device id (the nonce) when `token` was made for `login` and has not expired, else null. */
export function deviceIdOf(key: Buffer, token: unknown, login: string, now: number): string | null {
  const m = typeof token === 'string' ? SHAPE.exec(token) : null;
  if (!m) return null;
  const [, nonce, issued, sig] = m as unknown as [string, string, string, string];
  const age = now / 1000 - parseInt(issued, 36);
  if (!(age >= -60 && age <= DEVICE_TOKEN_DAYS * 86_400)) return null;
  const expected = Buffer.from(mac(key, login, nonce, issued));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : null;
}
