import type { ModuleDb } from '../db/module-db.js';
import type { EventBus } from '../events/event-bus.js';
import { isPortalError, type PortalError } from '../errors/portal-error.js';
import type { Cache, User, UserInput } from '../services.js';
import type { DepartmentService } from './department-service.js';
import { userErrors } from './errors.js';
import type { GroupService } from './group-service.js';
import { userTag } from './group-service.js';
import { hashPassword } from './passwords.js';
import { searchTextOf } from './user-queries.js';
import { normalizeInput } from './user-validation.js';

/** The main_users row of a new user (shared by create and createMany). */
export function userRow(data: UserInput, passwordHash: string | null, now: number): Record<string, unknown> {
  return {
    login: data.login,
    email: data.email,
    password_hash: passwordHash,
    name: data.name ?? '',
    last_name: data.lastName ?? '',
    active: data.active ?? true,
    external_auth_id: data.externalAuthId ?? null,
    language: data.language ?? null,
    position: data.position ?? '',
    department_id: data.departmentId ?? null,
    phone: data.phone ?? '',
    photo_file_id: data.photoFileId ?? null,
    birthday: data.birthday ?? null,
    employee: data.employee ?? true,
    created_at: now,
    updated_at: now,
    password_changed_at: passwordHash ? now : null,
  };
}

export type CreateResult = { user: User } | { error: PortalError };

interface Deps {
  db: ModuleDb;
  events: EventBus;
  cache: Cache;
  groups: GroupService;
  departments: DepartmentService;
  toUser: (row: Record<string, unknown> & { groupIds: number[] }, adminGroupId: number) => User;
}

const CHUNK = 200;

/**
 * Creates many users at once with what create() checks for each (validation, the
 * main.user.create before-event, free login and e-mail, known groups and department),
 * in one transaction per chunk: one result per input, in order, an error for those refused.
 * For imports and directory syncs, where one create() per user costs a dozen round trips.
 */
export async function createUsers(deps: Deps, inputs: UserInput[]): Promise<CreateResult[]> {
  const results: CreateResult[] = new Array(inputs.length);
  const groups = await deps.groups.list();
  const known = new Set(groups.map((g) => g.id));
  const system = groups.filter((g) => g.code === 'registered' || g.code === 'everyone').map((g) => g.id);
  const adminId = groups.find((g) => g.code === 'administrators')!.id;
  const departments = new Set((await deps.departments.list()).map((d) => d.id));
  for (let from = 0; from < inputs.length; from += CHUNK) {
    const ready: { index: number; data: UserInput; groupIds: number[] }[] = [];
    for (let i = from; i < Math.min(from + CHUNK, inputs.length); i++) {
      try {
        let data = normalizeInput(inputs[i]!);
        data = normalizeInput(await deps.events.runBefore('main.user.create', { ...data, groupIds: [...(data.groupIds ?? [])] }));
        for (const id of data.groupIds ?? []) if (!known.has(id)) throw userErrors.GROUP_NOT_FOUND(String(id), { field: 'groupIds' });
        if (data.departmentId && !departments.has(data.departmentId)) throw userErrors.USER_FIELD_INVALID(`Department ${data.departmentId} does not exist`, { field: 'departmentId' });
        ready.push({ index: i, data, groupIds: [...new Set([...(data.groupIds ?? []), ...system])].sort((a, b) => a - b) });
      } catch (err) {
        if (!isPortalError(err)) throw err;
        results[i] = { error: err };
      }
    }
    const taken = await takenLoginsAndEmails(deps.db, ready.map((r) => r.data));
    const rows: { index: number; row: Record<string, unknown>; groupIds: number[] }[] = [];
    const now = Date.now();
    for (const r of ready) {
      const login = r.data.login.toLowerCase();
      const email = r.data.email.toLowerCase();
      if (taken.logins.has(login)) results[r.index] = { error: userErrors.USER_LOGIN_TAKEN(r.data.login) };
      else if (taken.emails.has(email)) results[r.index] = { error: userErrors.USER_EMAIL_TAKEN(`The e-mail address ${r.data.email} already belongs to user "${taken.emails.get(email)}"`, { field: 'email', email: r.data.email, login: taken.emails.get(email) }) };
      else {
        taken.logins.add(login);
        taken.emails.set(email, r.data.login);
        const hash = r.data.password ? await hashPassword(r.data.password) : null;
        rows.push({ index: r.index, row: userRow(r.data, hash, now), groupIds: r.groupIds });
      }
    }
    if (rows.length === 0) continue;
    await deps.db.transaction(async (tx) => {
      await tx.table('users').insert(rows.map((r) => ({ ...r.row, search_text: searchTextOf(r.row) })));
      const ids = new Map<string, number>();
      const logins = rows.map((r) => String(r.row.login));
      const found = (await tx.table('users').whereIn('login', logins).select('id', 'login')) as { id: unknown; login: unknown }[];
      for (const f of found) ids.set(String(f.login), Number(f.id));
      const links = rows.flatMap((r) => r.groupIds.map((gid) => ({ user_id: ids.get(String(r.row.login))!, group_id: gid })));
      for (let i = 0; i < links.length; i += 400) await tx.table('user_groups').insert(links.slice(i, i + 400));
      for (const r of rows) {
        const user = deps.toUser({ ...r.row, id: ids.get(String(r.row.login))!, last_login_at: null, groupIds: r.groupIds }, adminId);
        results[r.index] = { user };
        tx.onCommit(() => deps.cache.invalidateTags(userTag(user.id)));
        await deps.events.emitAfter('main.user.created', user, tx);
      }
    });
  }
  return results;
}

/** Lower-cased logins and e-mails (with the login holding each) already in use among these. */
async function takenLoginsAndEmails(db: ModuleDb, inputs: UserInput[]): Promise<{ logins: Set<string>; emails: Map<string, string> }> {
  const logins = new Set<string>();
  const emails = new Map<string, string>();
  const wantLogins = [...new Set(inputs.map((d) => d.login.toLowerCase()))];
  const wantEmails = [...new Set(inputs.map((d) => d.email.toLowerCase()))];
  for (let i = 0; i < wantLogins.length; i += 500) {
    const chunk = wantLogins.slice(i, i + 500);
    const rows = (await db.write('users').whereRaw(`lower(login) IN (${chunk.map(() => '?').join(', ')})`, chunk).select('login')) as { login: unknown }[];
    for (const r of rows) logins.add(String(r.login).toLowerCase());
  }
  for (let i = 0; i < wantEmails.length; i += 500) {
    const chunk = wantEmails.slice(i, i + 500);
    const rows = (await db.write('users').whereRaw(`lower(email) IN (${chunk.map(() => '?').join(', ')})`, chunk).select('login', 'email')) as { login: unknown; email: unknown }[];
    for (const r of rows) emails.set(String(r.email).toLowerCase(), String(r.login));
  }
  return { logins, emails };
}
