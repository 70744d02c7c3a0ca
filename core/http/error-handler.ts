import type { Context, Next } from 'koa';
import { PortalError } from '../errors/portal-error.js';
import type { Logger } from '../log/logger.js';

export interface ErrorPageRenderer {
  (ctx: Context, status: number, error: { code: string; message: string; details?: Record<string, unknown> }): Promise<string | null>;
}

/** Whether the client wants JSON (API paths, XHR, or an Accept header preferring JSON). */
export function wantsJson(ctx: Context): boolean {
  if (ctx.path.startsWith('/api/')) return true;
  return ctx.accepts('html', 'json') === 'json';
}

/**
 * Maps every error to a response. PortalErrors and client errors from koa/http-errors
 * become 4xx with a code; anything else is a 500 with a generic message and the
 * stack only in the log.
 */
export function errorHandler(log: Logger, renderPage?: ErrorPageRenderer) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new PortalError('NOT_FOUND', `Not found: ${ctx.path}`, { status: 404 });
      }
    } catch (raw) {
      const err = normalize(raw);
      if (err.status >= 500) log.error({ err: raw, path: ctx.path, method: ctx.method, requestId: ctx.state.requestId }, 'request failed');
      ctx.status = err.status;
      const body = { code: err.code, message: err.expose ? err.message : 'Internal error; the administrator can find it in the log', ...(err.details ? { details: err.details } : {}) };
      if (ctx.state.requestId) ctx.set('X-Request-Id', String(ctx.state.requestId));
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
