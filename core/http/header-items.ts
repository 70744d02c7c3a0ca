import type { ModuleEvents } from '../events/event-bus.js';
import type { Principal } from '../services.js';
import type { PortalState, SiteInfo } from './state.js';

/** A link a module puts in the site header next to the user (e.g. "my tasks" with a count). */
export interface HeaderItem {
  href: string;
  /** The link's text, in the request's language. */
  label: string;
  /** A longer description (the link's title and accessible name), e.g. "Open tasks: 3". */
  title?: string;
  /** A number to show as a badge; 0 or absent shows none. */
  count?: number;
  /** Stable id for styling and tests (`data-header-item`), e.g. "workflow-tasks". */
  id: string;
}

declare module '../events/types.js' {
  interface BeforeEvents {
    /**
     * Before the site template draws its header for a signed-in user; listeners push links (with a count badge) to `items`.
     * Keep a listener cheap: it runs on every page.
     * @firedBy `headerItems(events, state)`: every page the site template lays out for a signed-in user (core/http/views.ts)
     */
    'main.layout.header': { userId: number; principal: Principal; siteId: string; language: string; items: HeaderItem[] };
  }
}

/**
 * The header's module links for the request's user, through the `main.layout.header` hook. A listener that fails
 * (the cache or DB is down) costs its link, not the page.
 */
export async function headerItems(events: Pick<ModuleEvents, 'runBefore'>, state: Pick<PortalState, 'user' | 'principal' | 'language'> & { site?: Pick<SiteInfo, 'id'> }): Promise<HeaderItem[]> {
  if (!state.user || state.principal.userId === null) return [];
  const data = await events.runBefore('main.layout.header', {
    userId: state.principal.userId, principal: state.principal, siteId: state.site?.id ?? '', language: state.language ?? 'en', items: [],
  });
  return data.items.filter((i) => typeof i.href === 'string' && i.href.startsWith('/'));
}
