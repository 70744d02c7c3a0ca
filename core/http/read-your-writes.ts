import type { Next, ParameterizedContext } from 'koa';
import { newDbSession, withDbSession, type DbSession } from '../db/read-your-writes.js';

/** Carries a visitor's last write from one request to the next (not a secret: forging it only sends reads to the primary). */
export const READ_YOUR_WRITES_COOKIE = 'portal_rw';
const KEEP_MS = 60_000;
const VALUE = /^(\d{1,15})\.([0-9,-]{0,400})$/;

/**
 * With read replicas, every request runs in a DB session (core/db/read-your-writes.ts): after a
 * visitor writes, their reads in the same request and the next ones go only to replicas that hold
 * that write (by GTID), else to the primary. Without replicas it does nothing.
 */
export function readYourWrites(hasReplicas: () => boolean, secure: boolean) {
  return async (ctx: ParameterizedContext, next: Next): Promise<void> => {
    if (!hasReplicas()) return next();
    const session = fromCookie(ctx.cookies.get(READ_YOUR_WRITES_COOKIE));
    try {
      await withDbSession(session, next);
    } finally {
      if (session.changed) {
        await session.pending;
        ctx.cookies.set(READ_YOUR_WRITES_COOKIE, `${session.wroteAt}.${session.gtid ?? ''}`, { httpOnly: true, sameSite: 'lax', secure, maxAge: KEEP_MS, overwrite: true });
      }
    }
  };
}

function fromCookie(value: string | undefined): DbSession {
  const m = value ? VALUE.exec(value) : null;
  if (!m) return newDbSession();
  const wroteAt = Number(m[1]);
  if (!(Date.now() - wroteAt < KEEP_MS)) return newDbSession();
  return newDbSession(wroteAt, m[2] || null);
}
