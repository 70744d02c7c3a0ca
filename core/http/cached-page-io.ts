import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecurityHeaderSets } from './security-headers.js';

/**
 * Parsed forms of recently served page-cache entries, by key, reused while the cache returns the very same
 * text (so nothing here can be staler than the shared cache). At most `max` keys, oldest dropped first.
 */
export class ParsedEntries<T extends { raw: string }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly max = 500) {}

  get(key: string, raw: string, parse: (raw: string) => T | null): T | null {
    const known = this.entries.get(key);
    if (known && known.raw === raw) return known;
    const entry = parse(raw);
    if (!entry) return null;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
    return entry;
  }
}

/** Writes a page answered from a page cache before koa: the security headers, its type and length, no-store. */
export function writeCachedPage(
  req: IncomingMessage,
  res: ServerResponse,
  page: { protocol: string; type: string; body: Buffer; cacheControl: string; headers?: Record<string, string> },
  securityHeaders: SecurityHeaderSets,
): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of page.protocol === 'https' ? securityHeaders.secure : securityHeaders.plain) headers[name] = value;
  Object.assign(headers, page.headers ?? {});
  headers['Content-Type'] = page.type;
  headers['Content-Length'] = String(page.body.length);
  headers['Cache-Control'] = page.cacheControl;
  headers['X-Page-Cache'] = 'hit';
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : page.body);
}
