import type { Context } from 'koa';
import type { Kernel } from '../kernel.js';
import { SESSION_COOKIE } from './cookies.js';
import { isLocalRequest } from './forwarded.js';

/** /healthz: the process is alive. Never touches the DB; the pid and uptime only for this host. */
export function healthz(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.body = isLocalRequest(ctx.req) ? { status: 'ok', pid: process.pid, uptime: Math.round(process.uptime()) } : { status: 'ok' };
}

/**
 * /readyz: 200 while the DB answers; 503 otherwise. A cache outage is "degraded" but still 200:
 * pages are served from the DB meanwhile, so a load balancer must not take every node out of rotation.
 * Which part failed and why is shown to requests from this host and to administrators; everyone else
 * gets only the status.
 */
export function readyz(kernel: Kernel) {
  return async (ctx: Context): Promise<void> => {
    const checks = await readinessChecks(kernel);
    const ok = checks.db!.ok;
    const status = !ok ? 'unavailable' : checks.cache!.ok ? 'ready' : 'degraded';
    const details = isLocalRequest(ctx.req) || (await callerIsAdmin(kernel, ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ok ? 200 : 503;
    ctx.body = details ? { status, checks } : { status };
  };
}

export type ReadinessChecks = Record<string, { ok: boolean; error?: string; ms: number }>;

/** The probes of /readyz (also shown on the admin dashboard): the DB and the cache, 2 s each. */
export async function readinessChecks(kernel: Kernel): Promise<ReadinessChecks> {
  const checks: ReadinessChecks = {};
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
  return checks;
}

/** An administrator's session cookie or API token; false whenever that cannot be told (the DB is down). */
async function callerIsAdmin(kernel: Kernel, ctx: Context): Promise<boolean> {
  try {
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization'));
    const sid = bearer ? undefined : ctx.cookies.get(SESSION_COOKIE);
    if (!bearer && !sid) return false;
    let user = bearer ? await kernel.tokens.verify(bearer[1]!) : null;
    if (sid) {
      const session = await kernel.sessions.load(sid);
      user = session?.userId ? await kernel.users.get(session.userId) : null;
    }
    if (!user?.active) return false;
    return await kernel.rights.can(await kernel.users.principalOf(user), 'main.admin.view');
  } catch {
    return false;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e)));
  });
}
