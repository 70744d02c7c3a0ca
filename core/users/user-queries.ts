import type { Knex } from 'knex';
import type { Dialect } from '../db/connections.js';
import type { ModuleDb } from '../db/module-db.js';
import { userErrors } from './errors.js';

export interface UserListQuery {
  /** Substring of login, e-mail, name, last name or position (case-insensitive). */
  search?: string;
  /**
   * Restricts `search` to name, last name and position plus these fields (for viewers who may
   * not see every field of other users). Absent: every field.
   */
  searchAlso?: ('login' | 'email')[];
  groupId?: number;
  /** Users in any of these departments. */
  departmentIds?: number[];
  /** Users created at or after this epoch ms. */
  createdAfter?: number;
  active?: boolean;
  /** true: people of the company only (the directory, dashboards); false: service accounts only. */
  employee?: boolean;
  /** Order: by id (default), by last name and name, or newest first. */
  order?: 'id' | 'name' | 'newest';
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/** Public columns of main_users (never the password hash). */
export const USER_COLUMNS = [
  'id', 'login', 'email', 'name', 'last_name', 'active', 'external_auth_id', 'language',
  'position', 'department_id', 'phone', 'photo_file_id', 'birthday', 'employee', 'created_at', 'last_login_at',
];

/**
 * Lower-cased text a user is found by, with ё written as е. SQLite's LIKE folds case of ASCII only
 * and never ё into е, so the search also matches this column with a pattern folded the same way
 * (Cyrillic and other scripts; MariaDB's utf8mb4_unicode_ci does both on the plain columns).
 */
export function searchTextOf(row: Record<string, unknown>): string {
  return foldSearch(
    ['name', 'last_name', 'login', 'email', 'position']
      .map((k) => String(row[k] ?? '').trim())
      .filter(Boolean)
      .join(' '),
  ).slice(0, 1000);
}

/** Lower case, ё as е: "Пётр" and "ПЕТР" both become "петр". */
export function foldSearch(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

const ORDERS = {
  id: [{ column: 'id' }],
  name: [{ column: 'last_name' }, { column: 'name' }, { column: 'id' }],
  newest: [{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }],
} as const;

/** Case-insensitive login match (MySQL collations are; SQLite needs NOCASE). */
export function loginMatches(q: Knex.QueryBuilder, dialect: Dialect, login: string): Knex.QueryBuilder {
  return dialect === 'sqlite' ? q.whereRaw('login = ? COLLATE NOCASE', [login]) : q.where('login', login);
}

/** Escapes LIKE wildcards with "!" (an escape character both SQLite and MySQL accept). */
export function likePattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * The search condition. Every field: the columns and the folded search_text (which folds
 * non-ASCII case and ё into е where SQLite's LIKE does not). Restricted: the allowed columns; on SQLite also
 * search_text for a search with non-ASCII letters (Cyrillic names), which SQLite compares byte
 * for byte there, so it cannot match a login (ASCII only) or an ASCII e-mail address. MariaDB's
 * collation folds case (and accents) in the columns themselves, so it never needs search_text.
 */
function matchSearch(w: Knex.QueryBuilder, dialect: Dialect, search: string, also: UserListQuery['searchAlso']): void {
  const pattern = likePattern(search);
  const columns = also ? ['name', 'last_name', 'position', ...also] : ['login', 'email', 'name', 'last_name'];
  for (const col of columns) w.orWhereRaw(`?? LIKE ? ESCAPE '!'`, [col, pattern]);
  const folds = !also || (dialect === 'sqlite' && /[^\x00-\x7f]/.test(search));
  if (folds) w.orWhereRaw(`?? LIKE ? ESCAPE '!'`, ['search_text', likePattern(foldSearch(search))]);
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
    if (search) q.where((w) => matchSearch(w, db.dialect, search, query.searchAlso));
    if (query.active !== undefined) q.where('active', query.active);
    if (query.employee !== undefined) q.where('employee', query.employee);
    if (query.departmentIds !== undefined) q.whereIn('department_id', query.departmentIds);
    if (query.createdAfter !== undefined) q.where('created_at', '>=', query.createdAfter);
    if (query.groupId !== undefined) {
      q.whereIn('id', db.read('user_groups').select('user_id').where('group_id', query.groupId));
    }
    return q;
  };
  const [rows, countRow] = await Promise.all([
    filtered().select(USER_COLUMNS).orderBy([...(Object.hasOwn(ORDERS, query.order ?? 'id') ? ORDERS[query.order ?? 'id'] : ORDERS.id)]).limit(limit).offset(offset) as Promise<Record<string, unknown>[]>,
    filtered().count({ n: '*' }).first(),
  ]);
  const groupIds = await groupIdsOf(db, rows.map((r) => Number(r.id)));
  return { rows, total: Number((countRow as { n?: unknown } | undefined)?.n ?? 0), groupIds };
}

/** Group ids of each of the users (one query). */
export async function groupIdsOf(db: ModuleDb, ids: number[]): Promise<Map<number, number[]>> {
  const groupIds = new Map<number, number[]>(ids.map((id) => [id, []]));
  if (ids.length > 0) {
    const links = await db.read('user_groups').whereIn('user_id', ids).select('user_id', 'group_id').orderBy('group_id');
    for (const l of links) groupIds.get(Number(l.user_id))?.push(Number(l.group_id));
  }
  return groupIds;
}

/**
 * The "MM-DD" days from `from` (a UTC calendar day) through `days` days later, each with
 * how many days away it is. 29 February counts as 28 February in common years.
 */
export function birthdayWindow(from: Date, days: number): Map<string, number> {
  const today = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const out = new Map<string, number>();
  for (let i = 0; i <= Math.min(Math.max(Math.trunc(days), 0), 366); i++) {
    const key = new Date(today + i * 86_400_000).toISOString().slice(5, 10);
    if (!out.has(key)) out.set(key, i);
  }
  if (out.has('02-28') && !out.has('02-29')) out.set('02-29', out.get('02-28')!);
  return out;
}

/**
 * Active users whose birthday ("YYYY-MM-DD") falls on one of the given "MM-DD" days,
 * with their group ids; at most `limit` rows.
 */
export async function birthdayRows(db: ModuleDb, monthDays: string[], limit: number): Promise<Record<string, unknown>[]> {
  if (monthDays.length === 0) return [];
  return (await db
    .read('users')
    .select(USER_COLUMNS)
    .where('active', true)
    .where('employee', true)
    .whereNotNull('birthday')
    .whereRaw(`substr(birthday, 6, 5) in (${monthDays.map(() => '?').join(', ')})`, monthDays)
    .orderBy('id')
    .limit(limit)) as Record<string, unknown>[];
}

/** Active employees per department id, not counting sub-departments (users without a department are left out). */
export async function departmentCounts(db: ModuleDb): Promise<Record<number, number>> {
  const rows = (await db.read('users').where('active', true).where('employee', true).whereNotNull('department_id').groupBy('department_id').select('department_id').count({ n: '*' })) as Record<string, unknown>[];
  return Object.fromEntries(rows.map((r) => [Number(r.department_id), Number(r.n)]));
}
