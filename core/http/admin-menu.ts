import type { ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import { ADMIN_MENU_SECTIONS, type AdminMenuEntry, type AdminMenuSection } from '../modules/types.js';
import type { PortalState } from './state.js';

export interface AdminMenuItem {
  href: string;
  label: string;
  /** The entry of the screen being shown (longest matching href). */
  current: boolean;
}

export interface AdminMenuGroup {
  section: AdminMenuSection;
  title: string;
  items: AdminMenuItem[];
}

/** What the admin frame (core/http/admin-views/frame.eta) renders as its side menu. */
export interface AdminMenu {
  label: string;
  groups: AdminMenuGroup[];
}

const SECTION_TITLES: Record<AdminMenuSection, string> = {
  overview: 'ADM_NAV_OVERVIEW',
  content: 'ADM_NAV_CONTENT',
  people: 'ADM_NAV_PEOPLE',
  system: 'ADM_NAV_SYSTEM',
};

/**
 * The side menu for this request: the `admin.menu` entries of every installed module
 * (in dependency order, so main's come first) that the signed-in user may see.
 */
export async function adminMenu(kernel: Kernel, ctx: ParameterizedContext<PortalState>): Promise<AdminMenu> {
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  const decided = new Map<string, Promise<boolean>>();
  const allowed = (operation: string | undefined): Promise<boolean> => {
    if (!operation) return Promise.resolve(true);
    if (!decided.has(operation)) decided.set(operation, kernel.rights.can(ctx.state.principal, operation).catch(() => false));
    return decided.get(operation)!;
  };
  const entries: AdminMenuEntry[] = [];
  for (const def of kernel.modules.installedDefinitions()) {
    for (const entry of def.admin?.menu ?? []) if (await allowed(entry.operation)) entries.push(entry);
  }
  const current = currentHref(entries, ctx.path);
  const groups = ADMIN_MENU_SECTIONS.map((section) => ({
    section,
    title: kernel.i18n.t('main', SECTION_TITLES[section], lang),
    items: entries.filter((e) => e.section === section).map((e) => ({ href: e.href, label: e.title[lang], current: e.href === current })),
  })).filter((g) => g.items.length > 0);
  return { label: kernel.i18n.t('main', 'ADM_NAV', lang), groups };
}

/** The longest href the path starts with ("/admin/" itself only on the dashboard). */
function currentHref(entries: AdminMenuEntry[], path: string): string {
  let best = '';
  for (const { href } of entries) {
    const hit = href === '/admin/' ? path === '/admin/' : path.startsWith(href);
    if (hit && href.length > best.length) best = href;
  }
  return best;
}
