import path from 'node:path';
import { send } from '@koa/send';
import type { Context, Next } from 'koa';
import { projectRoot } from '../config/paths.js';

const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Static assets: /assets/templates/<template>/<file> and /assets/modules/<id>/<file>,
 * from each one's assets/ folder; nothing else on disk is reachable.
 */
export function assets() {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!ctx.path.startsWith('/assets/')) return next();
    const m = /^\/assets\/(templates|modules)\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (!m || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const [, kind, owner, file] = m as unknown as [string, string, string, string];
    if (!NAME.test(owner) || file.split('/').some((p) => !NAME.test(p) || p.startsWith('.'))) return next();
    const root = path.join(projectRoot, kind, owner, 'assets');
    ctx.set('X-Content-Type-Options', 'nosniff');
    await send(ctx, file, { root, maxage: 3600_000, hidden: false });
  };
}
