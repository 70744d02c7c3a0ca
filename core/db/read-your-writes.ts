import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one visitor's session wrote last, so its later reads never see a replica that has not
 * caught up: the time of the last write and, on MariaDB, the primary's GTID position after it.
 */
export interface DbSession {
  wroteAt: number | null;
  gtid: string | null;
  /** Whether this request wrote (the HTTP layer then hands the state to the next request). */
  changed: boolean;
  /** Bumped on every write, so a late GTID answer for an older write is dropped. */
  seq: number;
  /** The GTID lookup after the last write, while it runs. */
  pending?: Promise<void>;
}

const store = new AsyncLocalStorage<DbSession>();

/** Runs `fn` with `session` as the current one; queries inside it read their own writes. */
export function withDbSession<T>(session: DbSession, fn: () => T): T {
  return store.run(session, fn);
}

export function currentDbSession(): DbSession | undefined {
  return store.getStore();
}

export function newDbSession(wroteAt: number | null = null, gtid: string | null = null): DbSession {
  return { wroteAt, gtid, changed: false, seq: 0 };
}

/** A GTID position ("0-1-42,1-3-7") as sequence number per replication domain. */
export function parseGtid(pos: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of pos.split(',')) {
    const m = /^\s*(\d+)-(\d+)-(\d+)\s*$/.exec(part);
    if (m) out.set(Number(m[1]), Math.max(out.get(Number(m[1])) ?? 0, Number(m[3])));
  }
  return out;
}

/** Whether a replica at `reached` has applied everything up to `wanted`, domain by domain. */
export function gtidReached(reached: string, wanted: string): boolean {
  const have = parseGtid(reached);
  for (const [domain, seq] of parseGtid(wanted)) if ((have.get(domain) ?? 0) < seq) return false;
  return true;
}
