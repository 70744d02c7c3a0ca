import type { Knex } from 'knex';
import type { Dialect } from '../db/connections.js';
import type { ModuleDb } from '../db/module-db.js';
import { userErrors } from './errors.js';

export interface UserListQuery {
  /** Substring of login, e-mail, name or last name (case-insensitive). */
  search?: string;
  groupId?: number;
  active?: boolean;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/** Public columns of main_users (never the password hash). */
export const USER_COLUMNS = ['id', 'login', 'email', 'name', 'last_name', 'active', 'external_auth_id', 'language', 'created_at', 'last_login_at'];

/** Case-insensitive login match (MySQL collations are; SQLite needs NOCASE). */
export function loginMatches(q: Knex.QueryBuilder, dialect: Dialect, login: string): Knex.QueryBuilder {
  return dialect === 'sqlite' ? q.whereRaw('login = ? COLLATE NOCASE', [login]) : q.where('login', login);
}

/** Escapes LIKE wildcards with "!" (an escape character both SQLite and MySQL accept). */
export function likePattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** One page of users matching the query, their total, and their group ids. */
export async function searchUsers(
  db: ModuleDb,
  query: UserListQuery,
): Promise<{ rows: Record<string, unknown>[]; total: number; groupIds: Map<number, number[]> }> {
  const limit = Math.min(Math.max(Math.trunc(Number(query.limit ?? 50)) || 50, 1), 500);
  const offset = Math.max(Math.trunc(Number(query.offset ?? 0)) || 0, 0);
  const search = typeof query.search === 'string' ? query.search.trim() : '';
  if (search.length > 255) throw userErrors.USER_FIELD_INVALID('The search text is too long', { field: 'search' });
  const filtered = (): Knex.QueryBuilder => {
    const q = db.read('users');
    if (search) {
      const pattern = likePattern(search);
      q.where((w) => {
        for (const col of ['login', 'email', 'name', 'last_name']) w.orWhereRaw(`?? LIKE ? ESCAPE '!'`, [col, pattern]);
      });
    }
    if (query.active !== undefined) q.where('active', query.active);
    if (query.groupId !== undefined) {
      q.whereIn('id', db.read('user_groups').select('user_id').where('group_id', query.groupId));
    }
    return q;
  };
  const [rows, countRow] = await Promise.all([
    filtered().select(USER_COLUMNS).orderBy('id').limit(limit).offset(offset) as Promise<Record<string, unknown>[]>,
    filtered().count({ n: '*' }).first(),
  ]);
  const ids = rows.map((r) => Number(r.id));
  const groupIds = new Map<number, number[]>(ids.map((id) => [id, []]));
  if (ids.length > 0) {
    const links = await db.read('user_groups').whereIn('user_id', ids).select('user_id', 'group_id').orderBy('group_id');
    for (const l of links) groupIds.get(Number(l.user_id))?.push(Number(l.group_id));
  }
  return { rows, total: Number((countRow as { n?: unknown } | undefined)?.n ?? 0), groupIds };
}
