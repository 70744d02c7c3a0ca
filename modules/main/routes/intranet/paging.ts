import { coreErrors } from '../../../../core/errors/codes.js';
import { pageLinks, type PageLink } from '../../../../core/http/admin-forms.js';

export type { PageLink };

/** What the pagination partial (views/intranet/partials/pagination.eta) renders. */
export interface Pagination {
  page: number;
  pages: number;
  total: number;
  perPage: number;
  offset: number;
  prev: string | null;
  next: string | null;
  links: PageLink[];
}

/** The `page` query value: a whole number from 1, else 400. */
export function pageParam(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw coreErrors.VALIDATION_FAILED('page must be a whole number from 1');
  return n;
}

/**
 * Page links around the current page (first, last and two neighbours, gaps between).
 * `href(n)` builds a page's URL keeping the other query parameters.
 */
export function paginate(total: number, page: number, perPage: number, href: (n: number) => string): Pagination {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const links = pageLinks(page, pages, href);
  return {
    page,
    pages,
    total,
    perPage,
    offset: (page - 1) * perPage,
    prev: page > 1 ? href(Math.min(page - 1, pages)) : null,
    next: page < pages ? href(page + 1) : null,
    links: pages > 1 ? links : [],
  };
}

/** A URL with the given query parameters; empty values and page 1 are left out. */
export function urlWith(path: string, query: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
