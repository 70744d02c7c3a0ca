import type { Principal, User } from '../services.js';

export interface SessionData {
  /** Opaque session id as sent in the cookie (never stored in clear). */
  id: string;
  userId: number | null;
  csrfToken: string;
  data: Record<string, unknown>;
  expiresAt: Date;
}

export interface SiteInfo {
  id: string;
  name: string;
  domains: string[];
  language: string;
  dir: string;
  template: string;
  isDefault: boolean;
  /** IANA zone times are shown in; null: the server's (see datesFor in core/time). */
  timeZone: string | null;
}

/** What the kernel's middleware puts on `ctx.state` for every request. */
export interface PortalState {
  requestId: string;
  site: SiteInfo;
  language: string;
  session: SessionData | null;
  user: User | null;
  principal: Principal;
  /** How the user was authenticated: cookie session, API token, or not at all. */
  auth: 'session' | 'token' | 'anonymous';
  /** Token to embed in forms (`_csrf`) or send as X-CSRF-Token. */
  csrfToken: string;
  /** Set by allowPageCache(): the response is the same for every anonymous visitor of this URL (signed in: every user with the same groups, but for the user's own header). */
  pageCacheable?: boolean;
  /** Set by the component renderer when a part of the page was built without its cache or for this user alone. */
  uncachedParts?: boolean;
  /** Set by the page router for a signed-in page the audience page cache may keep: the per-user parts met so far. */
  personalAreas?: PersonalArea[];
}

/** A per-user component on a page cached per audience: a slot in the stored page, rendered again for every request. */
export interface PersonalArea {
  slot: string;
  /** This request's HTML. */
  html: string;
  component: string;
  params: Record<string, unknown>;
  template: string;
  query: Record<string, unknown>;
}
