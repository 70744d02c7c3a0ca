import { realpathSync } from 'node:fs';
import path from 'node:path';
import { send } from '@koa/send';
import type { Context, Next } from 'koa';
import type { TemplateRoots } from './template-folder.js';

const SEGMENT = /^[A-Za-z0-9_.-]+$/;
const EXTENSIONS = new Set(['.css', '.js', '.png', '.svg', '.woff2']);

/**
 * Serves the static files of component template folders:
 * `/assets/c/components/<component>/templates/<tpl>/style.css` and
 * `/assets/c/templates/<site template>/components/<component>/<tpl>/script.js`.
 * Only .css/.js/.png/.svg/.woff2 files inside the two roots; no dot-dot, no hidden files
 * (template names such as `.default` excepted), nothing reached through a symlink outside.
 */
export function componentAssets(roots: () => TemplateRoots) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!ctx.path.startsWith('/assets/c/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const m = /^\/assets\/c\/(templates|components)\/(.+)$/.exec(ctx.path);
    if (!m) return next();
    const [, kind, rel] = m as unknown as [string, 'templates' | 'components', string];
    const parts = rel.split('/');
    const ok =
      parts.every((p) => SEGMENT.test(p) && p !== '.' && !p.startsWith('..')) &&
      parts.every((p, i) => !p.startsWith('.') || (p.length > 1 && i < parts.length - 1 && p === '.default')) &&
      EXTENSIONS.has(path.extname(rel).toLowerCase());
    if (!ok) return next();
    const root = roots()[kind];
    let realRoot: string;
    let realFile: string;
    try {
      realRoot = realpathSync(root);
      realFile = realpathSync(path.join(root, ...parts));
    } catch {
      return next();
    }
    if (!realFile.startsWith(realRoot + path.sep)) return next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    await send(ctx, path.relative(realRoot, realFile), { root: realRoot, maxage: 3600_000, hidden: true });
  };
}
