import type { Context } from 'koa';
import type { Kernel } from '../kernel.js';

/** /healthz: the process is alive. Never touches the DB. */
export function healthz(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { status: 'ok', pid: process.pid, uptime: Math.round(process.uptime()) };
}

/** /readyz: the DB and the cache answer; 503 with the failing part otherwise. */
export function readyz(kernel: Kernel) {
  return async (ctx: Context): Promise<void> => {
    const checks: Record<string, { ok: boolean; error?: string; ms: number }> = {};
    const probe = async (name: string, fn: () => Promise<unknown>) => {
      const started = Date.now();
      try {
        await withTimeout(fn(), 2000);
        checks[name] = { ok: true, ms: Date.now() - started };
      } catch (err) {
        checks[name] = { ok: false, error: (err as Error).message, ms: Date.now() - started };
      }
    };
    await Promise.all([probe('db', () => kernel.mainKnex.raw('select 1')), probe('cache', () => kernel.cache.ping())]);
    const ok = Object.values(checks).every((c) => c.ok);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ready' : 'unavailable', checks };
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e)));
  });
}
