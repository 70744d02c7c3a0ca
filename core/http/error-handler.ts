import type { Context, Next } from 'koa';
import { isDbUnavailable } from '../db/unavailable.js';
import { coreErrors } from '../errors/codes.js';
import { PortalError } from '../errors/portal-error.js';
import type { Logger } from '../log/logger.js';
import { throttledWarn } from '../log/throttled.js';
import { RETRY_AFTER_SECONDS } from './unavailable-page.js';

export interface ErrorPageRenderer {
  (ctx: Context, status: number, error: { code: string; message: string; details?: Record<string, unknown> }): Promise<string | null>;
}

/** Sets Retry-After when the error says how long to wait (429, 423, 503). */
export function setRetryAfter(ctx: Context, err: unknown): void {
  const seconds = (err as PortalError | undefined)?.details?.retryAfterSeconds;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) ctx.set('Retry-After', String(Math.ceil(seconds)));
}

/** Whether the client wants JSON (API paths, XHR, or an Accept header preferring JSON). */
export function wantsJson(ctx: Context): boolean {
  if (ctx.path.startsWith('/api/')) return true;
  return ctx.accepts('html', 'json') === 'json';
}

/**
 * Maps every error to a response. PortalErrors and client errors from koa/http-errors
 * become 4xx with a code; a database that cannot be reached is a 503 SERVICE_UNAVAILABLE
 * with Retry-After (its own page, logged once per 30 s); anything else is a 500 with a
 * generic message and the stack only in the log.
 */
export function errorHandler(log: Logger, renderPage?: ErrorPageRenderer, unavailablePage?: (ctx: Context) => string) {
  const outageWarn = throttledWarn(log);
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new PortalError('NOT_FOUND', `Not found: ${ctx.path}`, { status: 404 });
      }
    } catch (raw) {
      const unavailable = (!(raw instanceof PortalError) || raw.status >= 500) && isDbUnavailable(raw);
      const err = unavailable ? coreErrors.SERVICE_UNAVAILABLE() : normalize(raw);
      if (unavailable) outageWarn({ error: (raw as Error).message, code: (raw as { code?: string }).code }, 'database unavailable; answering 503');
      else if (err.status >= 500) log.error({ err: raw, path: ctx.path, method: ctx.method, requestId: ctx.state.requestId }, 'request failed');
      ctx.status = err.status;
      const body = { code: err.code, message: err.expose ? err.message : 'Internal error; the administrator can find it in the log', ...(err.details ? { details: err.details } : {}) };
      if (ctx.state.requestId) ctx.set('X-Request-Id', String(ctx.state.requestId));
      setRetryAfter(ctx, err);
      if (err.status === 503) {
        ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
        ctx.set('Cache-Control', 'no-store');
      }
      if (unavailable && !wantsJson(ctx) && unavailablePage) {
        ctx.type = 'html';
        ctx.body = unavailablePage(ctx);
        return;
      }
      if (!wantsJson(ctx) && renderPage) {
        const html = await renderPage(ctx, err.status, body).catch(() => null);
        if (html !== null) {
          ctx.type = 'html';
          ctx.body = html;
          return;
        }
      }
      ctx.body = { error: body };
    }
  };
}

function normalize(raw: unknown): PortalError {
  if (raw instanceof PortalError) return raw;
  const e = raw as { status?: number; statusCode?: number; expose?: boolean; message?: string; type?: string; code?: string };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
    return new PortalError(code, e.expose !== false && e.message ? e.message : 'Bad request', { status });
  }
  return new PortalError('INTERNAL_ERROR', 'Internal error', { status: 500, expose: false });
}
