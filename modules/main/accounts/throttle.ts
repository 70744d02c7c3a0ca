import { isPortalError } from '../../../core/errors/portal-error.js';
import { waitInWords } from '../../../core/i18n/durations.js';
import { cookieNames } from '../../../core/http/cookies.js';
import type { Kernel } from '../../../core/kernel.js';
import type { Ctx } from '../routes/page.js';

/**
 * Counts a form post under the sign-in throttle (kernel.users.throttle). Returns null when
 * it may go on, else the readable refusal (and sets Retry-After); the same whatever the form finds.
 */
export async function throttleForm(kernel: Kernel, ctx: Ctx, kind: string, key: string, t: (key: string, params?: Record<string, string>) => string): Promise<string | null> {
  const device = ctx.cookies.get(cookieNames(kernel.config.http.secureCookies).device);
  try {
    await kernel.users.throttle(kind, key, { ip: ctx.ip, ...(device ? { device } : {}) });
    return null;
  } catch (err) {
    if (!isPortalError(err) || (err.code !== 'LOGIN_THROTTLED' && err.code !== 'USER_LOCKED')) throw err;
    const seconds = Number(err.details?.retryAfterSeconds ?? 60);
    ctx.set('Retry-After', String(seconds));
    return t('ACC_TOO_MANY', { WAIT: waitInWords(seconds, ctx.state.language) });
  }
}

/** Runs `work` after the answer went out, so the answer takes as long whatever it finds; failures are logged. */
export function afterResponse(kernel: Kernel, what: string, work: () => Promise<unknown>): void {
  setImmediate(() => {
    work().catch((err: unknown) => kernel.log.error({ err }, `${what} failed`));
  });
}
