import { createHash, randomBytes } from 'node:crypto';
import type { ModuleDb } from '../db/module-db.js';
import { toBool, toDate } from '../db/module-db.js';
import type { User } from '../services.js';
import { userErrors } from './errors.js';
import type { UserService } from './user-service.js';

export const TOKEN_PREFIX = 'ptk_';
const TOKEN_LENGTH = TOKEN_PREFIX.length + 43; // 32 bytes in base64url
const SHOWN_PREFIX_LENGTH = 12;
const TOUCH_EVERY_MS = 60_000;

export interface ApiTokenInfo {
  id: number;
  userId: number;
  name: string;
  /** The first characters of the token, to tell tokens apart in lists. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revoked: boolean;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** API tokens for scripts (`Authorization: Bearer ptk_…`); only their sha256 is stored. */
export class TokenService {
  private readonly db: ModuleDb;
  private readonly users: UserService;

  constructor({ db, users }: { db: ModuleDb; users: UserService }) {
    this.db = db;
    this.users = users;
  }

  /** Creates a token; the clear value is returned once and never stored. */
  async issue(userId: number, name: string, opts: { expiresAt?: Date | null } = {}): Promise<{ token: string; id: number }> {
    await this.users.get(userId);
    const title = typeof name === 'string' ? name.trim() : '';
    if (title.length < 1 || title.length > 100) throw userErrors.TOKEN_INVALID('Token name must be 1–100 characters', { field: 'name' });
    const expiresAt = opts.expiresAt ?? null;
    if (expiresAt !== null && (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) {
      throw userErrors.TOKEN_INVALID('Token expiry must be a date in the future', { field: 'expiresAt' });
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const [id] = (await this.db.write('api_tokens').insert({
      user_id: userId,
      name: title,
      token_hash: hashToken(token),
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      created_at: Date.now(),
      expires_at: expiresAt ? expiresAt.getTime() : null,
      revoked: false,
    })) as number[];
    return { token, id: Number(id) };
  }

  /** The token's user when the token is valid, unrevoked, unexpired and the user active; else null. */
  async verify(token: string): Promise<User | null> {
    if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !token.startsWith(TOKEN_PREFIX)) return null;
    const row = await this.db.write('api_tokens').where({ token_hash: hashToken(token) }).first();
    if (!row || toBool(row.revoked)) return null;
    const now = Date.now();
    if (row.expires_at != null && Number(row.expires_at) <= now) return null;
    const user = await this.users.find(Number(row.user_id));
    if (!user || !user.active) return null;
    if (row.last_used_at == null || now - Number(row.last_used_at) >= TOUCH_EVERY_MS) {
      await this.db.write('api_tokens').where({ id: row.id }).update({ last_used_at: now });
    }
    return user;
  }

  /** The user's tokens, newest first (without secrets). */
  async list(userId: number): Promise<ApiTokenInfo[]> {
    const rows = await this.db.read('api_tokens').where({ user_id: userId }).orderBy('id', 'desc');
    return rows.map(toInfo);
  }

  async get(id: number): Promise<ApiTokenInfo> {
    const row = await this.db.write('api_tokens').where({ id }).first();
    if (!row) throw userErrors.TOKEN_NOT_FOUND(String(id));
    return toInfo(row);
  }

  /** Revokes a token at once (idempotent). */
  async revoke(id: number): Promise<void> {
    await this.get(id);
    await this.db.write('api_tokens').where({ id }).update({ revoked: true });
  }
}

function toInfo(row: Record<string, unknown>): ApiTokenInfo {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    name: String(row.name),
    prefix: String(row.prefix),
    createdAt: toDate(row.created_at)!,
    lastUsedAt: toDate(row.last_used_at),
    expiresAt: toDate(row.expires_at),
    revoked: toBool(row.revoked),
  };
}
