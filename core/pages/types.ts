import type { Localized } from '../i18n/types.js';

/** Page areas a layout can show; `main` is `it.body`, `sidebar` goes beside it. */
export const AREAS = ['main', 'sidebar'] as const;
export type Area = (typeof AREAS)[number];

/** One component on a page. */
export interface PlacementDefinition {
  component: string;
  /** Template name of the component (default `.default`). */
  template?: string;
  params?: Record<string, unknown>;
  area?: Area;
}

/** A page written by a developer (declared in a module's manifest or registered in code). */
export interface PageDefinition {
  /** URL path, directory style: `/`, `/company/news/`. */
  path: string;
  title: string | Localized;
  /** Site id the page belongs to; omitted = every site. */
  site?: string;
  /** Site template for this page, overriding the site's and the selection rules'. */
  template?: string;
  /** Operation the visitor needs besides viewing the portal (`main.portal.view`, which every page needs); omitted = none. */
  access?: string;
  placements: PlacementDefinition[];
}

/** A placement as stored: with an id so forms can address it. */
export interface Placement {
  id: string;
  component: string;
  template: string;
  params: Record<string, unknown>;
  area: Area;
}

/** The editable content of a DB page; the live copy and the draft have the same shape. */
export interface PageContent {
  title: string;
  template: string | null;
  access: string | null;
  placements: Placement[];
}

/** A page built by an admin, as stored. */
export interface StoredPage extends PageContent {
  id: number;
  siteId: string;
  path: string;
  /** Published: served to visitors. */
  active: boolean;
  /** Unpublished edits, shown in the preview until published or discarded. */
  draft: PageContent | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the page router renders: a file page or a DB page, resolved for one site. */
export interface ResolvedPage {
  source: 'file' | 'db';
  /** The DB id for DB pages. */
  id?: number;
  path: string;
  title: string;
  template: string | null;
  access: string | null;
  placements: Placement[];
}
