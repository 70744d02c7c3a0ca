import type { ParameterizedContext } from 'koa';
import { coreErrors } from '../errors/codes.js';
import { isPortalError, type PortalError } from '../errors/portal-error.js';
import type { PortalState } from './state.js';

type Ctx = ParameterizedContext<PortalState>;

/** Redirect after a successful POST, with a notice (`?done=<name>`). */
export function done(ctx: Ctx, href: string, notice: string): void {
  ctx.redirect(`${href}${href.includes('?') ? '&' : '?'}done=${encodeURIComponent(notice)}`);
}

/**
 * The error to show on a form: a 4xx PortalError caused by the input. Anything else
 * (server errors, missing rights) is rethrown to the error page.
 */
export function formError(err: unknown): PortalError {
  if (isPortalError(err) && err.status >= 400 && err.status < 500 && ![401, 403].includes(err.status)) return err;
  throw err;
}

/** A positive integer id from the URL; anything else is a 404, never a 500. */
export function intId(raw: unknown, what: string): number {
  const s = typeof raw === 'string' ? raw : '';
  const n = Number(s);
  if (!/^[1-9][0-9]{0,15}$/.test(s) || !Number.isSafeInteger(n)) throw coreErrors.NOT_FOUND(what);
  return n;
}

/** A string field of the parsed form body ('' when absent or not a string). */
export function str(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

/**
 * Every value of a repeated field (checkbox groups, multi-selects). The form parser turns
 * more than 20 repeats into an object keyed "0", "1", …; those come back in order too.
 */
export function list(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (v && typeof v === 'object') {
    return Object.entries(v)
      .filter((e): e is [string, string] => /^\d+$/.test(e[0]) && typeof e[1] === 'string')
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map((e) => e[1]);
  }
  return [];
}

/** Whether a checkbox was ticked. */
export function checked(body: unknown, name: string): boolean {
  const v = str(body, name);
  return v !== '' && v !== '0' && v !== 'false';
}

/** A query-string value ('' when absent or repeated). */
export function query(ctx: Ctx, name: string): string {
  const v = ctx.query[name];
  return typeof v === 'string' ? v : '';
}

/** A same-area path to return to after an action; anything else becomes the fallback. */
export function backTo(value: string, fallback: string, area = '/admin/'): string {
  return value.startsWith(area) && !value.includes('..') && /^\/[A-Za-z0-9/_?=&%.+*-]*$/.test(value) && !value.includes('//') ? value : fallback;
}

export interface PageLink {
  /** Page number, or null for a gap ("…"). */
  n: number | null;
  href: string;
  current: boolean;
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  prev: string | null;
  next: string | null;
  /** Numbered links around the current page (first, last, two neighbours; gaps between). */
  links: PageLink[];
}

/** The requested page number (1 when absent or not a sensible number). */
export function pageNumber(ctx: Ctx): number {
  const n = Number(query(ctx, 'page'));
  return Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** Page links that keep the other query parameters. */
export function pager(ctx: Ctx, total: number, size: number, pageNo: number): Pager {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(ctx.query)) if (typeof v === 'string') params.set(k, v);
  return pagerAt(ctx.path, params, total, size, pageNo);
}

/** Page links for `path` with `params` (page and done dropped, blank values left out). */
export function pagerAt(path: string, params: URLSearchParams, total: number, size: number, pageNo: number): Pager {
  const pages = Math.max(1, Math.ceil(total / size));
  const link = (p: number) => {
    const out = new URLSearchParams();
    for (const [k, v] of params) if (k !== 'page' && k !== 'done' && v !== '') out.append(k, v);
    if (p > 1) out.set('page', String(p));
    const qs = out.toString();
    return qs ? `${path}?${qs}` : path;
  };
  return {
    page: pageNo,
    pages,
    total,
    prev: pageNo > 1 ? link(Math.min(pageNo - 1, pages)) : null,
    next: pageNo < pages ? link(pageNo + 1) : null,
    links: pages > 1 ? pageLinks(pageNo, pages, link) : [],
  };
}

/** Links to the first, last and current page with two neighbours each side, gaps between. */
export function pageLinks(page: number, pages: number, href: (n: number) => string): PageLink[] {
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const links: PageLink[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) links.push({ n: null, href: '', current: false });
    links.push({ n, href: href(n), current: n === page });
  });
  return links;
}
