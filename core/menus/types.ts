import type { Localized } from '../modules/types.js';

export const MENUS = ['top', 'left'] as const;
export type MenuName = (typeof MENUS)[number];

/** A menu item as stored (main_menu_items). */
export interface StoredMenuItem {
  id: number;
  /** A site id, or '*' for the default items of sites without their own. */
  siteId: string;
  menu: MenuName;
  parentId: number | null;
  label: Localized;
  href: string;
  sort: number;
  /** Operation the user needs to see the item; null = everyone. */
  operation: string | null;
  active: boolean;
}

export interface MenuItemInput {
  siteId: string;
  menu: MenuName;
  parentId?: number | null;
  label: Localized;
  href: string;
  sort?: number;
  operation?: string | null;
  active?: boolean;
}

/** A menu item as the layout gets it (`it.menus.top`). */
export interface MenuItem {
  href: string;
  label: string;
  /** The current page is this item or below it (a parent is active when a child is). */
  active: boolean;
  children?: MenuItem[];
}

export interface Breadcrumb {
  href: string;
  label: string;
}
