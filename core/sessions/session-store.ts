import { createHash, randomBytes } from 'node:crypto';
import type { ModuleDb } from '../db/module-db.js';
import type { SessionData } from '../http/state.js';

/** How often a live session's expiry slides forward (at most one write per minute). */
const TOUCH_EVERY_MS = 60_000;
const MAX_ID_LENGTH = 128;

export interface SessionMeta {
  ip?: string;
  userAgent?: string;
}

const newToken = (): string => randomBytes(32).toString('base64url');
const hashId = (id: string): string => createHash('sha256').update(id).digest('hex');

/**
 * Sessions in the database, so any node can serve any user. The cookie carries a
 * random id; only its sha256 is stored, so a leaked table cannot be replayed.
 */
export class SessionStore {
  private readonly db: ModuleDb;
  private readonly ttlMs: number;

  constructor({ db, ttlSeconds }: { db: ModuleDb; ttlSeconds: number }) {
    this.db = db;
    this.ttlMs = ttlSeconds * 1000;
  }

  async create({ userId, ip, userAgent, data }: { userId: number | null; ip?: string; userAgent?: string; data?: Record<string, unknown> }): Promise<SessionData> {
    const now = Date.now();
    const session: SessionData = { id: newToken(), userId, csrfToken: newToken(), data: { ...(data ?? {}) }, expiresAt: new Date(now + this.ttlMs) };
    await this.db.write('sessions').insert({
      id_hash: hashId(session.id),
      user_id: userId,
      csrf_token: session.csrfToken,
      data: JSON.stringify(session.data),
      ip: String(ip ?? '').slice(0, 64),
      user_agent: String(userAgent ?? '').slice(0, 255),
      created_at: now,
      last_seen_at: now,
      expires_at: now + this.ttlMs,
    });
    return session;
  }

  /** The live session with this id, or null when unknown or expired. Slides the expiry. */
  async load(id: string): Promise<SessionData | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return null;
    const idHash = hashId(id);
    // The primary, not a replica: a session created a moment ago on another node must be found.
    const row = await this.db.write('sessions').where({ id_hash: idHash }).first();
    if (!row) return null;
    const now = Date.now();
    let expiresAt = Number(row.expires_at);
    if (expiresAt <= now) {
      await this.db.write('sessions').where({ id_hash: idHash }).delete();
      return null;
    }
    if (now - Number(row.last_seen_at) >= TOUCH_EVERY_MS) {
      expiresAt = now + this.ttlMs;
      await this.db.write('sessions').where({ id_hash: idHash }).update({ last_seen_at: now, expires_at: expiresAt });
    }
    return { id, userId: row.user_id == null ? null : Number(row.user_id), csrfToken: String(row.csrf_token), data: parseData(row.data), expiresAt: new Date(expiresAt) };
  }

  /** Writes the session's data, user and CSRF token, and slides its expiry. */
  async save(session: SessionData): Promise<void> {
    const now = Date.now();
    session.expiresAt = new Date(now + this.ttlMs);
    await this.db.write('sessions').where({ id_hash: hashId(session.id) }).update({
      user_id: session.userId,
      csrf_token: session.csrfToken,
      data: JSON.stringify(session.data ?? {}),
      last_seen_at: now,
      expires_at: now + this.ttlMs,
    });
  }

  /**
   * Replaces the session with a new id and CSRF token for `userId` (on sign-in/out),
   * keeping its data; the old id stops working at once.
   */
  async rotate(session: SessionData, userId: number | null, meta: SessionMeta = {}): Promise<SessionData> {
    const oldHash = hashId(session.id);
    const now = Date.now();
    const next: SessionData = { id: newToken(), userId, csrfToken: newToken(), data: { ...(session.data ?? {}) }, expiresAt: new Date(now + this.ttlMs) };
    await this.db.transaction(async (tx) => {
      const old = await tx.table('sessions').where({ id_hash: oldHash }).first('ip', 'user_agent');
      await tx.table('sessions').where({ id_hash: oldHash }).delete();
      await tx.table('sessions').insert({
        id_hash: hashId(next.id),
        user_id: userId,
        csrf_token: next.csrfToken,
        data: JSON.stringify(next.data),
        ip: String(meta.ip ?? old?.ip ?? '').slice(0, 64),
        user_agent: String(meta.userAgent ?? old?.user_agent ?? '').slice(0, 255),
        created_at: now,
        last_seen_at: now,
        expires_at: now + this.ttlMs,
      });
    });
    return next;
  }

  async destroy(id: string): Promise<void> {
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return;
    await this.db.write('sessions').where({ id_hash: hashId(id) }).delete();
  }

  /** Ends every session of the user (password change, block), except `exceptId` if given. */
  async destroyForUser(userId: number, exceptId?: string): Promise<number> {
    const q = this.db.write('sessions').where({ user_id: userId });
    if (exceptId) q.whereNot('id_hash', hashId(exceptId));
    return q.delete();
  }

  /** Deletes expired sessions; returns how many. */
  purgeExpired(): Promise<number> {
    return this.db.write('sessions').where('expires_at', '<=', Date.now()).delete();
  }
}

function parseData(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || !raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
