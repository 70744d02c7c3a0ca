import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Kernel } from '../kernel.js';
import { anonymousCsrfToken, CSRF_NONCE, CSRF_SECRET, newCsrfNonce } from './anonymous-csrf.js';
import { cookieNames } from './cookies.js';
import { pageKey, TOKEN_SLOT } from './page-cache.js';
import type { SecurityHeaderSets } from './security-headers.js';
import { serveAudienceHit } from './audience-cache.js';
import { ParsedEntries, writeCachedPage } from './cached-page-io.js';
import type { Views } from './views.js';

interface Parsed {
  raw: string;
  type: string;
  parts: Buffer[];
}
const parsed = new ParsedEntries<Parsed>();

function parse(raw: string): Parsed {
  const newline = raw.indexOf('\n');
  return { raw, type: raw.slice(0, newline), parts: raw.slice(newline + 1).split(TOKEN_SLOT).map((p) => Buffer.from(p)) };
}

/**
 * Answers a request from the whole-page cache before koa runs, the way Bitrix's
 * composite site is served by the web server: anonymous GET/HEAD requests (no Authorization)
 * for pages stored by the pageCache middleware, and with a session cookie the copy for the
 * user's audience (core/http/audience-cache.ts).
 * Returns false when the request must go through the application.
 */
export async function servePageCacheHit(
  kernel: Kernel,
  req: IncomingMessage,
  res: ServerResponse,
  securityHeaders: SecurityHeaderSets,
  views?: Views,
): Promise<boolean> {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.authorization) return false;
  const cookies = parseCookies(req.headers.cookie);
  const names = cookieNames(kernel.config.http.secureCookies);
  const protocol = protocolOf(req);
  const sid = cookies.get(names.session);
  if (sid) return views ? serveAudienceHit(kernel, views, sid, { protocol, host: hostOf(req) }, req, res, securityHeaders) : false;
  const key = pageKey(protocol, hostOf(req), req.url ?? '/');
  const hit = await kernel.cache.get<string>(key);
  if (!hit) return false;
  const page = parsed.get(key, hit, parse)!;
  let nonce = cookies.get(names.csrf) ?? '';
  const headers: Record<string, string> = {};
  if (!CSRF_NONCE.test(nonce)) {
    nonce = newCsrfNonce();
    headers['Set-Cookie'] = `${names.csrf}=${nonce}; path=/; samesite=lax; httponly${kernel.config.http.secureCookies ? '; secure' : ''}`;
  }
  const tokenBytes = Buffer.from(anonymousCsrfToken(await kernel.secrets.key(CSRF_SECRET), nonce));
  const body = Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [tokenBytes, part])));
  writeCachedPage(req, res, { protocol, type: page.type, body, cacheControl: 'no-store', headers }, securityHeaders);
  return true;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * The same protocol and host koa derives. The request went through checkForwarded
 * (core/http/forwarded.ts) first, so X-Forwarded-* headers left on it come from a trusted proxy.
 */
function protocolOf(req: IncomingMessage): string {
  if ((req.socket as TLSSocket).encrypted) return 'https';
  const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim();
  return proto || 'http';
}

function hostOf(req: IncomingMessage): string {
  const forwarded = String(req.headers['x-forwarded-host'] ?? '').split(',')[0]!.trim();
  return forwarded || String(req.headers.host ?? '');
}
