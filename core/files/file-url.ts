import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A file's URL key: 128 random bits, base64url (22 characters). */
export const URL_KEY = /^[A-Za-z0-9_-]{22}$/;

/** A new random URL key for a stored file. */
export function newUrlKey(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The public URL of a stored file, `/upload/<id>/<key>/<name>`. The key makes it unguessable: counting ids finds
 * nothing. It is no capability either: the download still checks the module's rights (modules/main/routes/files.ts).
 * Every link to a file is built here.
 */
export function fileUrl(file: { id: number; urlKey: string; name: string }): string {
  return `/upload/${file.id}/${file.urlKey}/${encodeURIComponent(file.name)}`;
}

/** Whether `given` is the file's key, compared in constant time; a file without a key matches nothing. */
export function urlKeyMatches(file: { urlKey: string }, given: string): boolean {
  if (!URL_KEY.test(file.urlKey) || !URL_KEY.test(given)) return false;
  return timingSafeEqual(Buffer.from(file.urlKey), Buffer.from(given));
}
