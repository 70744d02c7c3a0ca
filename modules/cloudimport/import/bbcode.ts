import type { Principal } from '../../../core/services.js';
import type { ModuleContext } from '../../../core/modules/types.js';
import { SYSTEM } from './handler.js';

export const LIVE_FEED = 'Live feed';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/\r?\n/g, '<br>');

/** The cloud writes tags in capitals ([B], [URL=...]); the forum's parser knows them in lower case. */
export function lowerTags(source: string): string {
  return source.replace(/\[(\/?)([A-Za-z*]+)(?=[\]= ])/g, (_m, slash: string, tag: string) => `[${slash}${tag.toLowerCase()}`);
}

/** The forum "Live feed" (live-feed posts land there), made on first need. */
export async function liveFeedForum(ctx: ModuleContext, create: boolean): Promise<number | null> {
  const forum = ctx.kernel.api('forum');
  const found = (await forum.forums.list(SYSTEM)).find((f) => f.name === LIVE_FEED);
  if (found || !create) return found?.id ?? null;
  return (await forum.forums.create(SYSTEM, { name: LIVE_FEED, description: 'Posts of the Bitrix24 live feed' })).id;
}

/**
 * BBCode → the portal's sanitized HTML, by the forum's renderer (its preview call: same parser, sanitizer and
 * bad-words filter as a post), acting for the first administrator. Without the forum module (or, in a dry run,
 * before the "Live feed" forum exists) the text is escaped with its line breaks kept: never raw HTML.
 */
export async function bbRenderer(ctx: ModuleContext, dryRun: boolean): Promise<(source: string) => Promise<string>> {
  if (!ctx.kernel.modules.isInstalled('forum')) return async (s) => escape(s);
  let target: { principal: Principal; forumId: number } | null | undefined;
  const resolve = async () => {
    const forumId = await liveFeedForum(ctx, !dryRun);
    const admins = await ctx.kernel.groups.members((await ctx.kernel.groups.byCode('administrators')).id);
    const admin = admins.length ? await ctx.kernel.users.find(admins[0]!) : null;
    return forumId && admin ? { principal: await ctx.kernel.users.principalOf(admin), forumId } : null;
  };
  return async (source) => {
    if (target === undefined) target = await resolve();
    if (!target || !source.trim()) return escape(source);
    return (await ctx.kernel.api('forum').preview(target.principal, { forumId: target.forumId }, lowerTags(source))).html;
  };
}
