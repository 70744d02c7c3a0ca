import type { Next, ParameterizedContext } from 'koa';
import type { PortalState } from './state.js';

type Ctx = ParameterizedContext<PortalState>;

/** Whether something (a module route, a page) would answer a GET of `path`. */
export type AnswersPath = (ctx: Ctx, path: string) => boolean | Promise<boolean>;

/**
 * The last middleware before the 404: a GET or HEAD of `/admin` that nothing answered goes
 * (301, query string kept) to `/admin/` when one of `answers` would answer that. Paths a
 * browser would read as another host (`//evil.com`, `/\evil.com`) are never redirected.
 */
export function trailingSlashRedirect(answers: AnswersPath[]) {
  return async (ctx: Ctx, next: Next): Promise<void> => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !mayAddSlash(ctx.path)) return next();
    const target = `${ctx.path}/`;
    for (const answer of answers) {
      if (!(await answer(ctx, target))) continue;
      ctx.status = 301;
      ctx.redirect(`${target}${ctx.search}`);
      return;
    }
    return next();
  };
}

/** A same-site path without its trailing slash: one leading `/`, no backslash anywhere. */
export function mayAddSlash(path: string): boolean {
  return path.startsWith('/') && !path.endsWith('/') && !path.startsWith('//') && !path.includes('\\');
}
