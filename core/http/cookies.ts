/** Cookie names over plain http (development, tests). */
export const SESSION_COOKIE = 'portal_sid';
export const CSRF_COOKIE = 'portal_csrf';
export const DEVICE_COOKIE = 'portal_device';

export interface CookieSettings {
  secure: boolean;
}

export interface CookieNames {
  session: string;
  csrf: string;
  device: string;
}

const PLAIN: CookieNames = { session: SESSION_COOKIE, csrf: CSRF_COOKIE, device: DEVICE_COOKIE };
const HOST_ONLY: CookieNames = { session: `__Host-${SESSION_COOKIE}`, csrf: `__Host-${CSRF_COOKIE}`, device: `__Host-${DEVICE_COOKIE}` };

/**
 * The portal's cookie names. Behind https they carry the `__Host-` prefix: browsers then
 * accept them only from this exact host over https, with no Domain, so a sibling
 * subdomain or a plain-http man in the middle cannot plant a session or CSRF cookie.
 */
export function cookieNames(secure: boolean): CookieNames {
  return secure ? HOST_ONLY : PLAIN;
}

/** Session and CSRF cookies: HttpOnly, SameSite=Lax, Secure behind https. */
export function cookieOptions(settings: CookieSettings, maxAgeMs?: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: settings.secure,
    path: '/',
    overwrite: true,
    ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
  };
}
