import type { ModuleDb } from '../db/module-db.js';
import { toDate } from '../db/module-db.js';

export interface SecurityLogEntry {
  id: number;
  /** e.g. login.success, login.failed, login.locked, login.blocked, login.throttled, access.denied */
  event: string;
  userId: number | null;
  login: string | null;
  ip: string;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

export interface SecurityLogRecord {
  userId?: number | null;
  login?: string | null;
  ip?: string | null;
  details?: Record<string, unknown> | null;
}

/** Append-only journal of security-relevant events (sign-ins, lockouts, denied access). */
export class SecurityLog {
  private readonly db: ModuleDb;

  constructor({ db }: { db: ModuleDb }) {
    this.db = db;
  }

  async record(event: string, entry: SecurityLogRecord = {}): Promise<void> {
    await this.db.write('security_log').insert({
      event: event.slice(0, 64),
      user_id: entry.userId ?? null,
      login: entry.login == null ? null : String(entry.login).slice(0, 50),
      ip: String(entry.ip ?? '').slice(0, 64),
      details: entry.details ? JSON.stringify(entry.details) : null,
      created_at: Date.now(),
    });
  }

  /** Newest first. */
  async list(query: { event?: string; userId?: number; limit?: number; offset?: number } = {}): Promise<{ items: SecurityLogEntry[]; total: number }> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 1000);
    const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
    const filtered = () => {
      const q = this.db.read('security_log');
      if (query.event) q.where('event', query.event);
      if (query.userId !== undefined) q.where('user_id', query.userId);
      return q;
    };
    const [rows, countRow] = await Promise.all([
      filtered().select('*').orderBy('id', 'desc').limit(limit).offset(offset),
      filtered().count({ n: '*' }).first(),
    ]);
    return { items: rows.map(toEntry), total: Number(countRow?.n ?? 0) };
  }

  /** Deletes entries older than `before`; returns how many. */
  async purge(before: Date): Promise<number> {
    return this.db.write('security_log').where('created_at', '<', before.getTime()).delete();
  }
}

function toEntry(row: Record<string, unknown>): SecurityLogEntry {
  let details: Record<string, unknown> | null = null;
  if (typeof row.details === 'string' && row.details) {
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      details = { raw: row.details };
    }
  }
  return {
    id: Number(row.id),
    event: String(row.event),
    userId: row.user_id == null ? null : Number(row.user_id),
    login: row.login == null ? null : String(row.login),
    ip: String(row.ip ?? ''),
    details,
    createdAt: toDate(row.created_at)!,
  };
}
