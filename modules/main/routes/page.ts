import type { ParameterizedContext } from 'koa';
import type { PortalState } from '../../../core/http/state.js';
import type { PortalApp } from '../../../core/http/app.js';

export type Ctx = ParameterizedContext<PortalState>;

/** Renders a view of the main module inside the site layout. */
export function page(ctx: Ctx, view: string, title: string, data: Record<string, unknown> = {}, status = 200): Promise<void> {
  return (ctx.app as unknown as PortalApp).views.page(ctx, { module: 'main', view, title, data, status });
}

/** A same-site path to go back to after sign-in; anything else becomes "/". */
export function safeBack(value: unknown): string {
  const s = typeof value === 'string' ? value : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : '/';
}

export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}
