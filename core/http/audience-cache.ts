import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import type { Principal } from '../services.js';
import type { Dependencies } from '../cache/dependencies.js';
import { userTag } from '../users/group-service.js';
import { hasFlash } from './flash.js';
import type { SecurityHeaderSets } from './security-headers.js';
import type { PortalState } from './state.js';
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
 * belongs to this user or this request beyond the user menu and the token: every component cached and not per user,
 * no flash message shown, no cookie set, and the user's name or e-mail nowhere else on the page.
 */
export async function storeForAudience(kernel: Kernel, ctx: Ctx, dependencies: Dependencies, ttlSeconds: number): Promise<void> {
  const { user, principal, personalPage, session } = ctx.state;
  if (!user || !session || ctx.state.auth !== 'session' || !personalPage || ctx.state.uncachedParts) return;
  if (ctx.response.headers['set-cookie'] || (ctx.state.flashTaken && (await ctx.state.flashTaken).length)) return;
  const { html, slot, template } = personalPage;
  if (html.split(slot).length !== 2 || mentionsUser(html, user)) return;
  // The user's own record was read to authenticate; the audience's page does not depend on it.
  dependencies.delete(`t:${userTag(user.id)}`);
  const body = session.csrfToken ? html.split(session.csrfToken).join(TOKEN_SLOT) : html;
  const type = String(ctx.response.get('Content-Type') || 'text/html; charset=utf-8');
  const entry = [type, template, ctx.state.site.id, ctx.state.language, slot, body].join('\n');
  await kernel.cache.setDependent(audienceKey(ctx.protocol, ctx.host, ctx.url, principal, user.language), entry, ttlSeconds, dependencies);
  ctx.set('X-Page-Cache', 'miss');
}

/** Whether the page shows the user's full name or e-mail outside the user menu (a template that prints them). */
function mentionsUser(html: string, user: { name: string; lastName: string; email?: string | null }): boolean {
  const full = [user.name, user.lastName].map((s) => (s ?? '').trim()).filter(Boolean).join(' ');
  return (full.length >= 3 && (html.includes(full) || html.includes(escapeHtml(full)))) || Boolean(user.email && html.includes(escapeHtml(user.email)));
}

/** A stored page split at its slots, kept while the cache returns the same text. */
interface Parsed {
  raw: string;
  type: string;
  template: string;
  siteId: string;
  language: string;
  /** Text between the slots; `pieces[i]` is followed by `slots[i]`. */
  pieces: Buffer[];
  slots: ('csrf' | 'usermenu')[];
}
const parsed = new Map<string, Parsed>();
const PARSED_MAX = 500;

function parse(key: string, raw: string): Parsed | null {
  const known = parsed.get(key);
  if (known && known.raw === raw) return known;
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 5; i++) {
    const nl = raw.indexOf('\n', at);
    if (nl < 0) return null;
    fields.push(raw.slice(at, nl));
    at = nl + 1;
  }
  const [type, template, siteId, language, slot] = fields as [string, string, string, string, string];
  const pieces: Buffer[] = [];
  const slots: Parsed['slots'] = [];
  raw.slice(at).split(slot).forEach((part, i) => {
    if (i > 0) slots.push('usermenu');
    part.split(TOKEN_SLOT).forEach((p, j) => {
      if (j > 0) slots.push('csrf');
      pieces.push(Buffer.from(p));
    });
  });
  const entry = { raw, type, template, siteId, language, pieces, slots };
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, entry);
  return entry;
}

/**
 * Answers a signed-in GET/HEAD from the audience page cache before koa runs: the session (from the database, so a
 * session ended on any node, e.g. of a blocked user, stops at once), the user (cached, tag `main:user:<id>`), the
 * stored page of their audience, their user menu drawn into it. False: the request goes through the application
 * (no such page stored yet, a flash message waiting, no live session or user).
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
  const hit = await kernel.cache.get<string>(key);
  const page = hit ? parse(key, hit) : null;
  if (!page) return false;
  const usermenu = Buffer.from(await views.usermenu({ user, principal, language: page.language, csrfToken: session.csrfToken, site: { id: page.siteId } }, page.template));
  const token = Buffer.from(session.csrfToken);
  const chunks: Buffer[] = [];
  page.pieces.forEach((piece, i) => {
    chunks.push(piece);
    if (i < page.slots.length) chunks.push(page.slots[i] === 'csrf' ? token : usermenu);
  });
  const body = Buffer.concat(chunks);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of where.protocol === 'https' ? securityHeaders.secure : securityHeaders.plain) headers[name] = value;
  headers['Content-Type'] = page.type;
  headers['Content-Length'] = String(body.length);
  headers['Cache-Control'] = 'private, no-store';
  headers['X-Page-Cache'] = 'hit';
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
