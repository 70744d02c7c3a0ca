import { createHmac, randomUUID } from 'node:crypto';

/** The random value in a visitor's `portal_csrf` cookie. */
export const CSRF_NONCE = /^[A-Za-z0-9_-]{32,64}$/;

/** Key name in the SecretStore. */
export const CSRF_SECRET = 'csrf';

// randomUUID draws from a pooled CSPRNG buffer: 122 random bits without a syscall per request.
export const newCsrfNonce = (): string => randomUUID().replaceAll('-', '');

/**
 * The form token of a visitor without a session: an HMAC of the cookie's random value
 * under the server's key. A cookie planted with any value of the attacker's choosing
 * has no matching token unless the server made that pair.
 */
export function anonymousCsrfToken(key: Buffer, nonce: string): string {
  return createHmac('sha256', key).update(`anonymous-csrf:${nonce}`).digest('base64url');
}
