import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';

/** Browser features the portal never uses, switched off for its pages and anything they embed. */
const PERMISSIONS_OFF = [
  'accelerometer', 'bluetooth', 'browsing-topics', 'camera', 'display-capture', 'geolocation', 'gyroscope',
  'hid', 'idle-detection', 'magnetometer', 'microphone', 'midi', 'payment', 'screen-wake-lock', 'serial', 'usb',
  'xr-spatial-tracking',
];

/** The sets of headers for plain http and for https (HSTS is sent only over https, RFC 6797 7.2). */
export interface SecurityHeaderSets {
  plain: [string, string][];
  secure: [string, string][];
}

/**
 * Security headers on every response (helmet): a strict CSP with same-origin scripts
 * and styles, no framing (CSP and X-Frame-Options alike), nosniff, no referrer leaks
 * across origins, powerful browser features off. Only HSTS depends on the request (it
 * goes out over https only), so helmet runs once at start-up and each response gets a copy.
 */
export function securityHeaders(opts: { hsts: boolean }): Middleware {
  const sets = securityHeaderSets(opts);
  return async (ctx, next) => {
    for (const [name, value] of ctx.secure ? sets.secure : sets.plain) ctx.res.setHeader(name, value);
    await next();
  };
}

/** The header names and values, computed once; HSTS in the https set when `hsts`. */
export function securityHeaderSets(opts: { hsts: boolean }): SecurityHeaderSets {
  const plain = securityHeaderList({ hsts: false });
  return { plain, secure: opts.hsts ? securityHeaderList({ hsts: true }) : plain };
}

function securityHeaderList(opts: { hsts: boolean }): [string, string][] {
  const headers = computeHeaders({
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
    xFrameOptions: { action: 'deny' },
  });
  headers.push(['Permissions-Policy', PERMISSIONS_OFF.map((f) => `${f}=()`).join(', ')]);
  return headers;
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
