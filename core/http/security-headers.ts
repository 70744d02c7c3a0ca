import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';

/**
 * Security headers on every response (helmet): a strict CSP with same-origin scripts
 * and styles, no framing, nosniff, no referrer leaks across origins. None of them
 * depends on the request, so helmet runs once at start-up and each response gets a copy.
 */
export function securityHeaders(opts: { hsts: boolean }): Middleware {
  const headers = securityHeaderList(opts);
  return async (ctx, next) => {
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    await next();
  };
}

/** The header names and values, computed once. */
export function securityHeaderList(opts: { hsts: boolean }): [string, string][] {
  return computeHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: opts.hsts ? { maxAge: 15552000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** The headers helmet would set, captured from one run against a stand-in response. */
function computeHeaders(options: HelmetOptions): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string) => void headers.set(name, String(value)),
    removeHeader: (name: string) => void headers.delete(name),
  };
  let done = false;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => void (done = true));
  if (!done) throw new Error('helmet did not finish synchronously');
  return [...headers];
}
