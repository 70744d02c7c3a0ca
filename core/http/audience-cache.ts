import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import type { Principal } from '../services.js';
import type { Dependencies } from '../cache/dependencies.js';
import { userTag } from '../users/group-service.js';
import { hasFlash } from './flash.js';
import type { SecurityHeaderSets } from './security-headers.js';
import { ParsedEntries, writeCachedPage } from './cached-page-io.js';
import type { PersonalArea, PortalState, SiteInfo } from './state.js';
import type { RequestQuery } from '../components/request.js';
import type { Views } from './views.js';

/** Where the session's CSRF token was in a stored page (the same slot the anonymous page cache uses). */
const TOKEN_SLOT = '\u0000csrf\u0000';

/**
 * The page cache for signed-in users: one copy of a page per *audience* (the user's groups, admin flag and
 * language, on one host and URL), with the user's own parts filled in on every request: the header's user
 * menu (name, photo, modules' links with counts, the sign-out form; templates/<t>/partials/usermenu.eta) and
 * the session's CSRF token. Rights are decided by groups alone, so users with the same groups see the same page.
 * Entries carry the tag versions the page was built from (menus, rights, pages, components' data), so an
 * invalidation on any node makes the next request rebuild; they are shared through the cache like every entry.
 */
export function audienceKey(protocol: string, host: string, url: string, principal: Principal, language: string | null | undefined): string {
  const audience = createHash('sha1').update(`${principal.groupIds.join(',')}|${principal.isAdmin ? 1 : 0}|${language ?? ''}`).digest('hex').slice(0, 20);
  return `page:a:${audience}:${protocol}://${host}${url}`;
}

type Ctx = ParameterizedContext<PortalState>;

/**
 * After a signed-in page was rendered (inside trackDependencies): stores it for its audience when nothing in it
 * belongs to this user or this request but the user menu, the per-user components (dynamic areas, rendered again
 * on every hit) and the token: every other component cached and not per user, no flash message shown, no cookie set.
 * The layout's contract: what is the user's own is drawn in partials/usermenu.eta only (`it.user` in the layout
 * says "signed in", nothing more).
 */
export async function storeForAudience(kernel: Kernel, ctx: Ctx, dependencies: Dependencies, ttlSeconds: number): Promise<void> {
  const { user, principal, personalPage, session } = ctx.state;
  if (!user || !session || ctx.state.auth !== 'session' || !personalPage || ctx.state.uncachedParts) return;
  if (ctx.response.headers['set-cookie'] || (ctx.state.flashTaken && (await ctx.state.flashTaken).length)) return;
  const { html, slot, template } = personalPage;
  if (html.split(slot).length !== 2) return;
  if ((ctx.state.personalAreas ?? []).some((a) => html.split(a.slot).length !== 2)) return;
  // The user's own record was read to authenticate; the audience's page does not depend on it.
  dependencies.delete(`t:${userTag(user.id)}`);
  const body = session.csrfToken ? html.split(session.csrfToken).join(TOKEN_SLOT) : html;
  const type = String(ctx.response.get('Content-Type') || 'text/html; charset=utf-8');
  const areas = (ctx.state.personalAreas ?? []).map(({ slot: s, component, params, template: t, query }) => ({ slot: s, component, params, template: t, query }));
  const meta: EntryMeta = { template, site: ctx.state.site, siteTemplate: ctx.state.template ?? '', language: ctx.state.language, slot, areas };
  await kernel.cache.setDependent(audienceKey(ctx.protocol, ctx.host, ctx.url, principal, user.language), `${type}\n${JSON.stringify(meta)}\n${body}`, ttlSeconds, dependencies);
  ctx.set('X-Page-Cache', 'miss');
}

/** What a stored page needs to be completed for one user: where its slots are and what fills them. */
interface EntryMeta {
  /** The layout's site template (its partials/usermenu.eta draws the user menu). */
  template: string;
  site: SiteInfo;
  /** The request's site template (components' template folders). */
  siteTemplate: string;
  language: string;
  /** The user menu's slot. */
  slot: string;
  /** Per-user components: slots and how to render them. */
  areas: Omit<PersonalArea, 'html'>[];
}

/** A stored page split at its slots, kept while the cache returns the same text. */
interface Parsed {
  raw: string;
  type: string;
  meta: EntryMeta;
  /** Text between the slots; `pieces[i]` is followed by `slots[i]` (TOKEN_SLOT, the user menu's or an area's). */
  pieces: Buffer[];
  slots: string[];
}
const parsed = new ParsedEntries<Parsed>();
/** Pages being rebuilt by a request of this process, by key: resolved when its response is sent. */
const building = new Map<string, Promise<void>>();
/** How long the others wait for a rebuild before rendering the page themselves. */
const BUILD_WAIT_MS = 10_000;
const SLOT = /(\u0000(?:csrf|usermenu-[0-9a-f]+|area-[0-9a-f]+)\u0000)/;

function parse(raw: string): Parsed | null {
  const first = raw.indexOf('\n');
  const second = raw.indexOf('\n', first + 1);
  if (first < 0 || second < 0) return null;
  let meta: EntryMeta;
  try {
    meta = JSON.parse(raw.slice(first + 1, second)) as EntryMeta;
  } catch {
    return null;
  }
  const split = raw.slice(second + 1).split(SLOT);
  return { raw, type: raw.slice(0, first), meta, pieces: split.filter((_, i) => i % 2 === 0).map((p) => Buffer.from(p)), slots: split.filter((_, i) => i % 2 === 1) };
}

/**
 * Answers a signed-in GET/HEAD from the audience page cache before koa runs: the session (from the database, so a
 * session ended on any node, e.g. of a blocked user, stops at once), the user (cached, tag `main:user:<id>`), the
 * stored page of their audience, their user menu and per-user components drawn into it. False: the request goes
 * through the application (no such page stored yet, a flash message waiting, no live session or user). While one
 * request rebuilds a missing page, others for the same key wait for it and are then served the new copy; nobody
 * is ever given an old one (entries are checked against the current tag versions on every read).
 */
export async function serveAudienceHit(
  kernel: Kernel,
  views: Views,
  sid: string,
  where: { protocol: string; host: string },
  req: IncomingMessage,
  res: ServerResponse,
  securityHeaders: SecurityHeaderSets,
): Promise<boolean> {
  const session = await kernel.sessions.load(sid);
  if (!session?.userId || hasFlash(session)) return false;
  const user = await kernel.users.find(session.userId);
  if (!user?.active) return false;
  const principal = await kernel.users.principalOf(user);
  const key = audienceKey(where.protocol, where.host, req.url ?? '/', principal, user.language);
  let hit = await kernel.cache.get<string>(key);
  if (!hit) {
    // After an invalidation one request of the audience rebuilds the page; the others of this process wait for it.
    const running = building.get(key);
    if (running) {
      await running;
      hit = await kernel.cache.get<string>(key);
    } else {
      const done = new Promise<void>((resolve) => {
        res.once('close', resolve);
        setTimeout(resolve, BUILD_WAIT_MS).unref();
      });
      building.set(key, done);
      void done.then(() => building.get(key) === done && building.delete(key));
    }
  }
  const page = hit ? parsed.get(key, hit, parse) : null;
  if (!page) return false;
  const { meta } = page;
  const state = { requestId: '', site: meta.site, template: meta.siteTemplate, language: meta.language, session, user, principal, auth: 'session', csrfToken: session.csrfToken } as PortalState;
  const fills = new Map<string, Buffer>([[TOKEN_SLOT, Buffer.from(session.csrfToken)]]);
  const [usermenu, ...areas] = await Promise.all([
    views.usermenu(state, meta.template),
    ...meta.areas.map((a) => kernel.components.renderPart(state, a.component, a.params, a.template, { query: a.query as RequestQuery })),
  ]);
  fills.set(meta.slot, Buffer.from(usermenu));
  meta.areas.forEach((a, i) => fills.set(a.slot, Buffer.from(areas[i]!.html)));
  const chunks: Buffer[] = [];
  page.pieces.forEach((piece, i) => {
    chunks.push(piece);
    if (i < page.slots.length) chunks.push(fills.get(page.slots[i]!) ?? Buffer.alloc(0));
  });
  writeCachedPage(req, res, { protocol: where.protocol, type: page.type, body: Buffer.concat(chunks), cacheControl: 'private, no-store' }, securityHeaders);
  return true;
}
