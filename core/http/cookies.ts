export const SESSION_COOKIE = 'portal_sid';
export const CSRF_COOKIE = 'portal_csrf';

export interface CookieSettings {
  secure: boolean;
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
