import { createHash, randomBytes } from 'node:crypto';
import type { ModuleDb } from '../db/module-db.js';

/** What a one-time link is for. */
export type AccountTokenPurpose = 'password_reset' | 'registration';

const hashOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
/** 32 random bytes, URL-safe. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * One-time links mailed to users (password reset, confirming a self-registered account):
 * the token goes into the mail, only its SHA-256 into main_account_tokens. A new token
 * replaces the user's older ones of the same purpose; using one deletes it.
 */
export class AccountTokens {
  private readonly db: ModuleDb;

  constructor({ db }: { db: ModuleDb }) {
    this.db = db;
  }

  /** A fresh token for the user, valid for `ttlMs`; the user's older tokens of this purpose stop working. */
  async issue(userId: number, purpose: AccountTokenPurpose, ttlMs: number, now = Date.now()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.transaction(async (tx) => {
      await tx.table('account_tokens').where({ user_id: userId, purpose }).delete();
      await tx.table('account_tokens').insert({ user_id: userId, purpose, token_hash: hashOf(token), created_at: now, expires_at: now + ttlMs });
    });
    return token;
  }

  /** The user a valid token belongs to (without using it up), or null. */
  async peek(token: unknown, purpose: AccountTokenPurpose, now = Date.now()): Promise<number | null> {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
    const row = (await this.db.write('account_tokens').where({ token_hash: hashOf(token), purpose }).andWhere('expires_at', '>', now).first('user_id')) as { user_id: unknown } | undefined;
    return row ? Number(row.user_id) : null;
  }

  /** Uses the token up: the user it belonged to when it was valid, else null. Two callers at once: one wins. */
  async consume(token: unknown, purpose: AccountTokenPurpose, now = Date.now()): Promise<number | null> {
    const userId = await this.peek(token, purpose, now);
    if (userId === null) return null;
    const deleted = await this.db.write('account_tokens').where({ token_hash: hashOf(token as string), purpose }).andWhere('expires_at', '>', now).delete();
    return deleted === 1 ? userId : null;
  }

  /** Ends every token of the user (of one purpose, or all). */
  async revoke(userId: number, purpose?: AccountTokenPurpose): Promise<void> {
    const q = this.db.write('account_tokens').where({ user_id: userId });
    if (purpose) q.andWhere({ purpose });
    await q.delete();
  }

  /** Whether the user has a token of this purpose that is still valid. */
  async has(userId: number, purpose: AccountTokenPurpose, now = Date.now()): Promise<boolean> {
    return (await this.db.write('account_tokens').where({ user_id: userId, purpose }).andWhere('expires_at', '>', now).first('id')) !== undefined;
  }

  /** Deletes expired tokens of a purpose; returns the users they belonged to. */
  async purgeExpired(purpose: AccountTokenPurpose, now = Date.now()): Promise<number[]> {
    const rows = (await this.db.write('account_tokens').where({ purpose }).andWhere('expires_at', '<=', now).select('id', 'user_id')) as { id: unknown; user_id: unknown }[];
    if (rows.length === 0) return [];
    await this.db.write('account_tokens').whereIn('id', rows.map((r) => Number(r.id))).delete();
    return [...new Set(rows.map((r) => Number(r.user_id)))];
  }
}
