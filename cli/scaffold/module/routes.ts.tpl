import { requireRight } from '../../core/http/guards.js';
import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import { createApi } from './api.js';

/** GET /__ID__/: a small HTML page listing the items (plain koa). */
export function routes(router: ModuleRouter, ctx: ModuleContext): void {
  const api = createApi(ctx);
  router.get('/__ID__/', requireRight(ctx.kernel, '__ID__.items.view'), async (http) => {
    const lang = http.state.language;
    const items = await api.list();
    const list = items.length
      ? `<ul>${items.map((i) => `<li>${escapeHtml(i.title)}</li>`).join('')}</ul>`
      : `<p>${escapeHtml(ctx.t('EMPTY', lang))}</p>`;
    http.type = 'html';
    http.body = `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(ctx.t('TITLE', lang))}</title></head><body><h1>${escapeHtml(ctx.t('TITLE', lang))}</h1>${list}</body></html>`;
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
