import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Middleware } from 'koa';

/** The proxy part of the http config. */
export interface ProxySettings {
  trustProxy: boolean;
  trustedProxies: string[];
}

/** Headers a reverse proxy sets; believed only from a trusted proxy. */
const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'];
const CHECKED = Symbol('forwarded headers checked');

/** Whether an address is one of the trusted proxies (`trustProxy` trusts every peer). */
export type ProxyTrust = (address: string | undefined) => boolean;

/** "10.0.0.5", "10.0.0.0/8", "::1" or "fd00::/8": throws on anything else. */
export function parseProxyEntry(entry: string, list: net.BlockList = new net.BlockList()): net.BlockList {
  const [address, bits, extra] = entry.trim().split('/');
  const family = net.isIP(address ?? '');
  const prefix = bits === undefined ? null : Number(bits);
  const max = family === 6 ? 128 : 32;
  if (!family || extra !== undefined || (prefix !== null && (!/^\d{1,3}$/.test(bits!) || prefix > max))) {
    throw new Error(`"${entry}" is not an IP address or CIDR range (like 10.0.0.5 or 10.0.0.0/8)`);
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === null) list.addAddress(address!, type);
  else list.addSubnet(address!, prefix, type);
  return list;
}

export function proxyTrust(settings: ProxySettings): ProxyTrust {
  if (settings.trustProxy) return () => true;
  const list = new net.BlockList();
  for (const entry of settings.trustedProxies) parseProxyEntry(entry, list);
  return (address) => {
    const family = net.isIP(address ?? '');
    return family !== 0 && list.check(address!, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * Makes the request's X-Forwarded-* headers say only what trusted proxies said, so koa
 * (run with `proxy: true`) and the page cache can read them as they are:
 * - from a peer that is not a trusted proxy they are removed;
 * - X-Forwarded-For is cut to the visitor and the hops after it: read from the right,
 *   every trusted proxy is passed over and the first other address is the visitor
 *   (whatever the visitor wrote further left is dropped).
 */
export function checkForwarded(req: IncomingMessage, trusted: ProxyTrust): void {
  const marked = req as IncomingMessage & { [CHECKED]?: true };
  if (marked[CHECKED]) return;
  marked[CHECKED] = true;
  if (!trusted(req.socket.remoteAddress)) {
    for (const name of FORWARDED_HEADERS) delete req.headers[name];
    return;
  }
  const chain = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (chain.length === 0) return;
  let visitor = chain.length - 1;
  while (visitor > 0 && trusted(chain[visitor]) && net.isIP(chain[visitor - 1]!)) visitor--;
  if (!net.isIP(chain[visitor]!)) {
    delete req.headers['x-forwarded-for'];
    return;
  }
  req.headers['x-forwarded-for'] = chain.slice(visitor).join(', ');
}

/**
 * A request that comes from this host itself: the peer is a loopback address and, when a
 * proxy forwarded it, the visitor the proxy names is too. A request a proxy forwarded
 * without saying from whom is not local. Call after checkForwarded.
 */
export function isLocalRequest(req: IncomingMessage): boolean {
  if (!isLoopback(req.socket.remoteAddress)) return false;
  const visitor = String(req.headers['x-forwarded-for'] ?? '').split(',')[0]!.trim();
  if (visitor) return isLoopback(visitor);
  return !FORWARDED_HEADERS.some((name) => req.headers[name] !== undefined);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || (net.isIPv4(v4) && v4.startsWith('127.'));
}

/**
 * The first middleware: checks the forwarded headers, then lets session and CSRF cookies
 * go out Secure when the portal is https even if this request did not arrive as https (a
 * proxy not listed in http.trustedProxies, or someone on the plain port). koa is still
 * told the connection is secure only when a trusted proxy said so. Such a request is
 * logged once per peer, so the administrator can find a proxy missing from the list.
 */
export function forwardedHeaders(deps: { trusted: ProxyTrust; secureCookies: boolean; log: { warn(obj: object, msg: string): void } }): Middleware {
  const warned = new Set<string>();
  return async (ctx, next) => {
    checkForwarded(ctx.req, deps.trusted);
    if (deps.secureCookies) {
      ctx.cookies.secure = true;
      const peer = ctx.req.socket.remoteAddress ?? '';
      if (!ctx.secure && !warned.has(peer) && warned.size < 100) {
        warned.add(peer);
        deps.log.warn({ peer, path: ctx.path }, 'request over plain http although http.publicUrl is https; if this peer is your TLS proxy, add it to http.trustedProxies');
      }
    }
    await next();
  };
}
