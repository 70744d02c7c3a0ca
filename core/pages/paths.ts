import { pageErrors } from './errors.js';

const PAGE_PATH = /^\/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*\/)*$/;
/** URL spaces the kernel and the main module answer themselves; pages may not live there. */
const RESERVED = ['/admin/', '/api/', '/auth/', '/assets/', '/upload/', '/healthz/', '/readyz/'];

/** A page path: starts and ends with "/", segments of letters, digits and ._~- (no dot first). */
export function checkPagePath(raw: string): string {
  const path = String(raw ?? '').trim();
  if (path.length > 255 || !PAGE_PATH.test(path)) {
    throw pageErrors.PAGE_PATH_INVALID(`The page path "${path}" must start and end with "/" and use only letters, digits and . _ ~ - (for example /company/news/)`);
  }
  const reserved = RESERVED.find((r) => path.startsWith(r));
  if (reserved) throw pageErrors.PAGE_PATH_INVALID(`The page path "${path}" is inside ${reserved}, which the portal itself answers`);
  return path;
}

/** The parents of a path, nearest first: /a/b/c/ -> /a/b/, /a/, /. */
export function parentPaths(path: string): string[] {
  const out: string[] = [];
  let p = path;
  while (p !== '/') {
    p = p.slice(0, p.lastIndexOf('/', p.length - 2) + 1);
    out.push(p);
  }
  return out;
}
