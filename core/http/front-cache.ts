import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Kernel } from '../kernel.js';
import { anonymousCsrfToken, CSRF_NONCE, CSRF_SECRET, newCsrfNonce } from './anonymous-csrf.js';
import { cookieNames } from './cookies.js';
import { pageKey, TOKEN_SLOT } from './page-cache.js';
import type { SecurityHeaderSets } from './security-headers.js';
import { serveAudienceHit } from './audience-cache.js';
import type { Views } from './views.js';

/** Parsed form of recently served entries, reused while the cache returns the same text. */
interface Parsed {
  raw: string;
  type: string;
  parts: Buffer[];
}
const parsed = new Map<string, Parsed>();
const PARSED_MAX = 500;

function parse(key: string, raw: string): Parsed {
  const known = parsed.get(key);
  if (known && known.raw === raw) return known;
  const newline = raw.indexOf('\n');
  const entry = { raw, type: raw.slice(0, newline), parts: raw.slice(newline + 1).split(TOKEN_SLOT).map((p) => Buffer.from(p)) };
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, entry);
  return entry;
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
  const page = parse(key, hit);
  let nonce = cookies.get(names.csrf) ?? '';
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of protocol === 'https' ? securityHeaders.secure : securityHeaders.plain) headers[name] = value;
  if (!CSRF_NONCE.test(nonce)) {
    nonce = newCsrfNonce();
    headers['Set-Cookie'] = `${names.csrf}=${nonce}; path=/; samesite=lax; httponly${kernel.config.http.secureCookies ? '; secure' : ''}`;
  }
  const tokenBytes = Buffer.from(anonymousCsrfToken(await kernel.secrets.key(CSRF_SECRET), nonce));
  const body = Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [tokenBytes, part])));
  headers['Content-Type'] = page.type;
  headers['Content-Length'] = String(body.length);
  headers['Cache-Control'] = 'no-store';
  headers['X-Page-Cache'] = 'hit';
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
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
