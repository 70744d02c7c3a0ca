import { stat } from 'node:fs/promises';
import type Koa from 'koa';
import { fileErrors } from './file-errors.js';
import type { FileService, StoredFile } from './file-service.js';

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 5987). */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'file';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a stored file (its record already loaded) as the response: its own Content-Type with nosniff, inline only
 * for safe types, private caching with the checksum as ETag. Access checks are the caller's.
 */
export async function serveFile(ctx: Koa.Context, files: FileService, file: StoredFile): Promise<void> {
  const absolute = files.absolutePath(file);
  const missing = (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw fileErrors.FILE_NOT_FOUND(String(file.id));
    throw err;
  };
  // On a web node the upload may not have arrived yet: take it from a peer that has it.
  const stats = await stat(absolute).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && (await files.fetchMissing(file))) return stat(absolute).catch(missing);
    return missing(err);
  });
  ctx.status = 200;
  ctx.set('Content-Type', file.mimeType);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Disposition', contentDisposition(files.disposition(file), file.name));
  ctx.set('Cache-Control', 'private');
  ctx.etag = `"${file.checksum}"`;
  ctx.lastModified = file.createdAt;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  if (ctx.method === 'HEAD') {
    ctx.length = stats.size;
    return;
  }
  ctx.body = files.openStream(file);
  ctx.length = stats.size;
}
