import type { PortalConfig } from '../config/types.js';
import type { ModuleDb } from '../db/module-db.js';
import { toBool, toDate } from '../db/module-db.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../log/logger.js';
import type { Cache, Principal, User, UserInput } from '../services.js';
import { SecurityLog } from '../security/security-log.js';
import { SessionStore } from '../sessions/session-store.js';
import { userErrors } from './errors.js';
import type { GroupService } from './group-service.js';
import { userTag } from './group-service.js';
import { LoginGuard, type Attempt, type SignInClient } from './login-guard.js';
import { isPortalError } from '../errors/portal-error.js';
import type { SecretStore } from '../security/secrets.js';
import { checkPasswordPolicy, dummyVerify, hashPassword, verifyPassword } from './passwords.js';
import { normalizeInput, normalizePatch, type UserPatch } from './user-validation.js';
import { birthdayRows, birthdayWindow, departmentCounts, groupIdsOf, loginMatches, searchTextOf, searchUsers, USER_COLUMNS, type UserListQuery } from './user-queries.js';
import { DepartmentService } from './department-service.js';
import { AuthProviders, type AuthOutcome } from './auth-providers.js';
import { createUsers, userRow, type CreateResult } from './bulk-create.js';
import { AccountTokens } from './account-tokens.js';
import './events.js';

export type { UserPatch } from './user-validation.js';
export type { UserListQuery } from './user-queries.js';
export type { SignInClient } from './login-guard.js';

const signInClient = (client: string | SignInClient): SignInClient =>
  typeof client === 'string' ? { ip: client.slice(0, 64) } : { ip: String(client?.ip ?? '').slice(0, 64), ...(typeof client?.device === 'string' ? { device: client.device } : {}) };

/** A user row plus group ids, JSON-safe so it can live in the cache. */
export type UserRecord = Record<string, unknown> & { groupIds: number[] };
const USER_CACHE_TTL = 60;
/** Cache tag bumped on every user created, updated or deleted: lists of users cached anywhere use it. */
export const USERS_TAG = 'main:users';

/** Portal users: accounts, profile data, group membership, local sign-in. */
export class UserService {
  /** Journal of sign-ins, lockouts and denied access; the HTTP layer records `access.denied` here. */
  readonly securityLog: SecurityLog;
  /** The company structure that users belong to. */
  readonly departments: DepartmentService;
  /** Sign-in by other means than a local password (modules register them, e.g. LDAP). */
  readonly providers = new AuthProviders();
  /** One-time links mailed to users: password reset, confirming a self-registered account. */
  readonly accountTokens: AccountTokens;
  private readonly db: ModuleDb;
  private readonly events: EventBus;
  private readonly cache: Cache;
  private readonly log: Logger;
  private readonly groups: GroupService;
  private readonly guard: LoginGuard;
  private readonly sessions: SessionStore;

  constructor({ db, events, cache, log, security, groups, secrets }: { db: ModuleDb; events: EventBus; cache: Cache; log: Logger; security: PortalConfig['security']; groups: GroupService; secrets: SecretStore }) {
    this.db = db;
    this.events = events;
    this.cache = cache;
    this.log = log;
    this.groups = groups;
    this.securityLog = new SecurityLog({ db });
    this.guard = new LoginGuard({ db, security, secrets });
    this.sessions = new SessionStore({ db, ttlSeconds: security.sessionTtlSeconds });
    this.accountTokens = new AccountTokens({ db });
    this.departments = new DepartmentService({ db, cache, userExists: async (id) => (await this.find(id)) !== null });
    for (const name of ['main.user.created', 'main.user.updated', 'main.user.deleted'] as const) {
      events.onAfter(name, () => this.cache.invalidateTags(USERS_TAG), { priority: 1 });
    }
  }

  async create(input: UserInput): Promise<User> {
    let data = normalizeInput(input);
    data = normalizeInput(await this.events.runBefore('main.user.create', { ...data, groupIds: [...(data.groupIds ?? [])] }));
    if (await this.findRow(data.login)) throw userErrors.USER_LOGIN_TAKEN(data.login);
    await this.assertEmailFree(data.email);
    const groupIds = await this.withSystemGroups(data.groupIds ?? []);
    const adminId = (await this.groups.byCode('administrators')).id;
    if (data.departmentId) await this.assertDepartment(data.departmentId);
    const passwordHash = data.password ? await hashPassword(data.password) : null;
    const now = Date.now();
    const row = userRow(data, passwordHash, now);
    try {
      return await this.db.transaction(async (tx) => {
        const [id] = (await tx.table('users').insert({ ...row, search_text: searchTextOf(row) })) as number[];
        await tx.table('user_groups').insert(groupIds.map((gid) => ({ user_id: id, group_id: gid })));
        const user = toUser({ ...row, id, last_login_at: null, groupIds }, adminId);
        tx.onCommit(() => this.cache.invalidateTags(userTag(user.id)));
        await this.events.emitAfter('main.user.created', user, tx);
        return user;
      });
    } catch (err) {
      if (await this.findRow(data.login)) throw userErrors.USER_LOGIN_TAKEN(data.login);
      await this.assertEmailFree(data.email);
      throw err;
    }
  }

  /**
   * Creates many users with the checks and events of create(), in one transaction per chunk;
   * one result per input (the user, or the error that refused it). For imports and directory syncs.
   */
  createMany(inputs: UserInput[]): Promise<CreateResult[]> {
    return createUsers({ db: this.db, events: this.events, cache: this.cache, groups: this.groups, departments: this.departments, toUser }, inputs);
  }

  async get(id: number): Promise<User> {
    const user = await this.find(id);
    if (!user) throw userErrors.USER_NOT_FOUND(String(id));
    return user;
  }

  /** The user or null; cached per user (tag `main:user:<id>`). */
  async find(id: number): Promise<User | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    const key = `main:user:${id}`;
    let record: UserRecord | null | undefined = await this.cache.get<UserRecord>(key);
    if (!record) {
      record = await this.loadRecord(id);
      if (!record) return null;
      await this.cache.set(key, record, { ttl: USER_CACHE_TTL, tags: [userTag(id)] });
    }
    return toUser(record, (await this.groups.byCode('administrators')).id);
  }

  /** Logins are matched case-insensitively on every database. */
  async findByLogin(login: string): Promise<User | null> {
    const row = typeof login === 'string' ? await this.findRow(login.trim()) : undefined;
    return row ? this.find(Number(row.id)) : null;
  }

  /** Logins of the users with these ids (missing ids are absent); one query per 500 ids. */
  async loginsOf(ids: number[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
    const out = new Map<number, string>();
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = (await this.db.write('users').whereIn('id', wanted.slice(i, i + 500)).select('id', 'login')) as Record<string, unknown>[];
      for (const r of rows) out.set(Number(r.id), String(r.login));
    }
    return out;
  }

  /** Ids of the users with these logins, keyed by the lower-cased login (logins match case-insensitively). */
  async idsOfLogins(logins: string[]): Promise<Map<string, number>> {
    const wanted = [...new Set(logins.map((l) => String(l).trim().toLowerCase()).filter((l) => l && l.length <= 50))];
    const out = new Map<string, number>();
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const rows = (await this.db.write('users').whereRaw(`lower(login) IN (${chunk.map(() => '?').join(', ')})`, chunk).select('id', 'login')) as Record<string, unknown>[];
      for (const r of rows) out.set(String(r.login).toLowerCase(), Number(r.id));
    }
    return out;
  }

  async list(query: UserListQuery = {}): Promise<{ items: User[]; total: number }> {
    const { rows, total, groupIds } = await searchUsers(this.db, query);
    const adminId = (await this.groups.byCode('administrators')).id;
    return { items: rows.map((r) => toUser({ ...r, groupIds: groupIds.get(Number(r.id)) ?? [] }, adminId)), total };
  }

  /** Changes profile fields, active flag or groups (groups given = the full new set). */
  async update(id: number, patch: UserPatch): Promise<User> {
    const current = await this.get(id);
    let data = normalizePatch(patch);
    const before = await this.events.runBefore('main.user.update', { id, patch: { ...data } });
    data = normalizePatch(before.patch);
    const adminId = (await this.groups.byCode('administrators')).id;
    const losesAdmin = data.groupIds !== undefined && !data.groupIds.includes(adminId);
    if (current.isAdmin && current.active && (data.active === false || losesAdmin)) await this.groups.assertOtherActiveAdmin(id);
    const groupIds = data.groupIds ? await this.withSystemGroups(data.groupIds) : undefined;
    if (data.email !== undefined && data.email.toLowerCase() !== current.email.toLowerCase()) await this.assertEmailFree(data.email, id);
    const row: Record<string, unknown> = { updated_at: Date.now() };
    if (data.email !== undefined) row.email = data.email;
    if (data.name !== undefined) row.name = data.name;
    if (data.lastName !== undefined) row.last_name = data.lastName;
    if (data.active !== undefined) row.active = data.active;
    if (data.externalAuthId !== undefined) row.external_auth_id = data.externalAuthId;
    if (data.language !== undefined) row.language = data.language;
    if (data.position !== undefined) row.position = data.position;
    if (data.phone !== undefined) row.phone = data.phone;
    if (data.birthday !== undefined) row.birthday = data.birthday;
    if (data.photoFileId !== undefined) row.photo_file_id = data.photoFileId;
    if (data.employee !== undefined) row.employee = data.employee;
    if (data.departmentId !== undefined) {
      if (data.departmentId !== null) await this.assertDepartment(data.departmentId);
      row.department_id = data.departmentId;
    }
    if (['name', 'lastName', 'email', 'position'].some((k) => k in data)) {
      row.search_text = searchTextOf({ login: current.login, name: current.name, last_name: current.lastName, email: current.email, position: current.position, ...row });
    }
    await this.db.transaction(async (tx) => {
      await tx.table('users').where({ id }).update(row).catch(async (err: unknown) => {
        if (data.email !== undefined) await this.assertEmailFree(data.email, id);
        throw err;
      });
      if (groupIds) {
        await tx.table('user_groups').where({ user_id: id }).whereNotIn('group_id', groupIds).delete();
        const have = new Set((await tx.table('user_groups').where({ user_id: id }).select('group_id')).map((r: { group_id: unknown }) => Number(r.group_id)));
        const add = groupIds.filter((g) => !have.has(g));
        if (add.length > 0) await tx.table('user_groups').insert(add.map((gid) => ({ user_id: id, group_id: gid })));
      }
    });
    await this.cache.invalidateTags(userTag(id));
    if (data.active === false) await this.sessions.destroyForUser(id);
    const user = await this.get(id);
    await this.events.emitAfter('main.user.updated', user);
    return user;
  }

  /**
   * Sets a new password (policy-checked), ends the sign-in throttle of the login, the user's
   * password-reset links and other sessions; pass the current session id to keep it.
   */
  async setPassword(id: number, password: string, opts: { keepSessionId?: string } = {}): Promise<void> {
    const user = await this.get(id);
    checkPasswordPolicy(password, user.login);
    const passwordHash = await hashPassword(password);
    const now = Date.now();
    await this.db.write('users').where({ id }).update({ password_hash: passwordHash, password_changed_at: now, updated_at: now });
    await this.guard.reset(user.login);
    await this.accountTokens.revoke(id, 'password_reset');
    await this.sessions.destroyForUser(id, opts.keepSessionId);
    await this.cache.invalidateTags(userTag(id));
    await this.events.emitAfter('main.user.passwordChanged', user);
  }

  /** Blocks (false) or unblocks a user; blocking ends their sessions. */
  setActive(id: number, active: boolean): Promise<User> {
    return this.update(id, { active });
  }

  /** Deletes the user with memberships, API tokens and sessions. */
  async delete(id: number): Promise<void> {
    const user = await this.get(id);
    if (user.isAdmin && user.active) await this.groups.assertOtherActiveAdmin(id);
    await this.db.transaction(async (tx) => {
      await tx.table('user_groups').where({ user_id: id }).delete();
      await tx.table('api_tokens').where({ user_id: id }).delete();
      await tx.table('account_tokens').where({ user_id: id }).delete();
      await tx.table('users').where({ id }).delete();
      tx.onCommit(() => this.cache.invalidateTags(userTag(id)));
      await this.events.emitAfter('main.user.deleted', { id }, tx);
    });
    await this.sessions.destroyForUser(id);
    await this.departments.forgetHead(id);
  }

  /**
   * Local sign-in, throttled per login and client (LoginGuard). Wrong login and wrong
   * password give the same LOGIN_FAILED (401); a client that must wait LOGIN_THROTTLED
   * (429), a login attacked from many places USER_LOCKED (423) for new places, both alike
   * for unknown logins; a blocked account USER_BLOCKED (403), only with the right password.
   * `client` is the address, or the address and the browser's device cookie.
   */
  async authenticate(login: string, password: string, client: string | SignInClient): Promise<User> {
    const now = Date.now();
    const from = signInClient(client);
    const { row, attempt, details } = await this.checkAttempt(typeof login === 'string' ? login.trim() : '', password, from, now, 'sign_in');
    const userId = Number(row.id);
    if (!toBool(row.active)) {
      await this.securityLog.record('login.blocked', { userId, login: String(row.login), ip: from.ip, ...(details ? { details } : {}) });
      throw userErrors.USER_BLOCKED();
    }
    await this.guard.succeed(attempt);
    await this.db.write('users').where({ id: userId }).update({ last_login_at: now });
    await this.cache.invalidateTags(userTag(userId));
    const user = await this.get(userId);
    await this.securityLog.record('login.success', { userId, login: user.login, ip: from.ip, ...(details ? { details } : {}) });
    await this.events.emitAfter('main.user.login', { user, ip: from.ip });
    this.log.debug({ userId, ip: from.ip }, 'user signed in');
    return user;
  }

  /**
   * Checks a user's current password (before they change it) under the same throttle as
   * sign-in; CURRENT_PASSWORD_WRONG (400) when it is wrong.
   */
  async checkPassword(id: number, password: string, client: string | SignInClient): Promise<void> {
    const user = await this.get(id);
    try {
      const { attempt } = await this.checkAttempt(user.login, password, signInClient(client), Date.now(), 'password_change');
      await this.guard.succeed(attempt);
    } catch (err) {
      if (isPortalError(err) && err.code === 'LOGIN_FAILED') throw userErrors.CURRENT_PASSWORD_WRONG();
      throw err;
    }
  }

  /**
   * Counts a request of another kind than sign-in (a password-reset or registration form) under
   * the sign-in throttle, keyed `<kind>:<key>` and by client; LOGIN_THROTTLED (429) or
   * USER_LOCKED (423) when it must wait. Every request counts, whatever it finds.
   */
  async throttle(kind: string, key: string, client: string | SignInClient): Promise<void> {
    await this.guard.begin(`${kind}:${key}`, signInClient(client), Date.now());
  }

  /** A device cookie for a browser that just signed in (see LoginGuard). */
  deviceToken(login: string): Promise<string> {
    return this.guard.deviceToken(login);
  }

  /** Whether `token` is a valid device cookie for `login`. */
  isDeviceToken(login: string, token: unknown): Promise<boolean> {
    return this.guard.isDevice(login, token);
  }

  /**
   * One throttled password check: the row when the password is right (blocked accounts
   * too), else LOGIN_FAILED after the same work for unknown logins; refusals and failures
   * go to the security log.
   */
  private async checkAttempt(name: string, password: unknown, from: SignInClient, now: number, purpose: string): Promise<{ row: Record<string, unknown>; attempt: Attempt; details?: Record<string, unknown> }> {
    const secret = typeof password === 'string' ? password : '';
    let attempt: Attempt;
    try {
      attempt = await this.guard.begin(name, from, now);
    } catch (err) {
      if (isPortalError(err) && (err.code === 'LOGIN_THROTTLED' || err.code === 'USER_LOCKED')) {
        const known = name ? await this.findRow(name) : undefined;
        const event = err.code === 'USER_LOCKED' ? 'login.locked' : 'login.throttled';
        await this.securityLog.record(event, { userId: known ? Number(known.id) : null, login: known ? String(known.login) : name, ip: from.ip, details: { ...err.details, purpose } });
      }
      throw err;
    }
    const row = name ? await this.findRow(name, true) : undefined;
    const entry = { userId: row ? Number(row.id) : null, login: row ? String(row.login) : name, ip: from.ip };
    const failures = attempt.streak + 1;
    if ((!row || !row.password_hash) && purpose === 'sign_in' && this.providers.size > 0) {
      const external = await this.signInExternally(name, secret, from, row);
      if (external.result === 'success') {
        const signed = (await this.db.write('users').where({ id: external.userId }).first(USER_COLUMNS)) as Record<string, unknown> | undefined;
        if (signed) return { row: signed, attempt, details: external.details };
      } else if (external.result !== 'pass') {
        await this.securityLog.record('login.failed', { ...entry, details: { reason: external.reason, failures, purpose } });
        throw external.result === 'unavailable' ? userErrors.LOGIN_UNAVAILABLE() : userErrors.LOGIN_FAILED();
      }
    }
    if (!row || !row.password_hash) {
      await dummyVerify(secret);
      await this.securityLog.record('login.failed', { ...entry, details: { reason: row ? 'no_local_password' : 'unknown_login', failures, purpose } });
      throw userErrors.LOGIN_FAILED();
    }
    if (!(await verifyPassword(String(row.password_hash), secret))) {
      await this.securityLog.record('login.failed', { ...entry, details: { reason: 'wrong_password', failures, purpose } });
      throw userErrors.LOGIN_FAILED();
    }
    return { row, attempt };
  }

  /** Asks the auth providers about a login without a local password (kept under the same throttle by the caller). */
  private signInExternally(name: string, password: string, from: SignInClient, row: Record<string, unknown> | undefined): Promise<AuthOutcome> {
    const account = row ? { id: Number(row.id), login: String(row.login), externalAuthId: row.external_auth_id == null ? null : String(row.external_auth_id) } : null;
    return this.providers.authenticate({ login: name, password, ip: from.ip }, account);
  }

  /** How many active users each department has (by department id). */
  countByDepartment(): Promise<Record<number, number>> {
    return departmentCounts(this.db);
  }

  /**
   * Active users whose birthday comes within `days` days from `from` (UTC calendar days,
   * today included), nearest first, with how many days are left.
   */
  async upcomingBirthdays(opts: { days: number; limit: number; from?: Date }): Promise<{ user: User; inDays: number }[]> {
    const monthDays = birthdayWindow(opts.from ?? new Date(), opts.days);
    const rows = (await birthdayRows(this.db, [...monthDays.keys()], 1000))
      .map((r) => ({ r, inDays: monthDays.get(String(r.birthday).slice(5, 10)) ?? 0 }))
      .sort((a, b) => a.inDays - b.inDays || String(a.r.last_name).localeCompare(String(b.r.last_name)) || Number(a.r.id) - Number(b.r.id))
      .slice(0, Math.max(1, Math.trunc(opts.limit)));
    const [adminId, groupIds] = await Promise.all([this.groups.byCode('administrators').then((g) => g.id), groupIdsOf(this.db, rows.map(({ r }) => Number(r.id)))]);
    return rows.map(({ r, inDays }) => ({ user: toUser({ ...r, groupIds: groupIds.get(Number(r.id)) ?? [] }, adminId), inDays }));
  }

  /** Who is acting: the user's groups plus "everyone"/"registered"; anonymous for null or blocked users. */
  async principalOf(user: User | null): Promise<Principal> {
    const everyone = (await this.groups.byCode('everyone')).id;
    if (!user || !user.active) return { userId: null, groupIds: [everyone], isAdmin: false };
    const registered = (await this.groups.byCode('registered')).id;
    const groupIds = [...new Set([...user.groupIds, everyone, registered])].sort((a, b) => a - b);
    return { userId: user.id, groupIds, isAdmin: user.isAdmin };
  }

  /** Drops sign-in attempts older than `before` and than 30 days (the addresses a login is known at). */
  purgeLoginAttempts(before = new Date()): Promise<number> {
    return this.guard.purge(before);
  }

  /** A row by login, case-insensitively; with `withSecrets` also the password hash. */
  private async findRow(login: string, withSecrets = false): Promise<Record<string, unknown> | undefined> {
    if (!login || login.length > 50) return undefined;
    const cols = withSecrets ? [...USER_COLUMNS, 'password_hash'] : USER_COLUMNS;
    const q = this.db.write('users').select(cols);
    loginMatches(q, this.db.dialect, login);
    const rows = (await q.limit(2)) as Record<string, unknown>[];
    return rows.find((r) => r.login === login) ?? rows[0];
  }

  private async loadRecord(id: number): Promise<UserRecord | null> {
    // The primary: this record is cached, and a lagging replica would cache stale data.
    const row = (await this.db.write('users').where({ id }).first(USER_COLUMNS)) as Record<string, unknown> | undefined;
    if (!row) return null;
    return { ...row, groupIds: await this.groups.groupIdsOf(id) };
  }

  /** The user who has this e-mail address (compared case-insensitively), if any. */
  async findByEmail(email: string): Promise<User | null> {
    const row = typeof email === 'string' && email.trim() ? await this.emailRow(email.trim()) : undefined;
    return row ? this.find(Number(row.id)) : null;
  }

  private async emailRow(email: string, exceptId?: number): Promise<Record<string, unknown> | undefined> {
    const q = this.db.write('users').select('id', 'login').whereRaw('lower(email) = ?', [email.toLowerCase()]);
    if (exceptId !== undefined) q.whereNot('id', exceptId);
    return (await q.first()) as Record<string, unknown> | undefined;
  }

  /** Refuses an address another user has (USER_EMAIL_TAKEN, 409, naming that user's login). */
  private async assertEmailFree(email: string, exceptId?: number): Promise<void> {
    const other = await this.emailRow(email, exceptId);
    if (other) throw userErrors.USER_EMAIL_TAKEN(`The e-mail address ${email} already belongs to user "${String(other.login)}"`, { field: 'email', email, login: String(other.login) });
  }

  private async assertDepartment(id: number): Promise<void> {
    await this.departments.get(id).catch(() => {
      throw userErrors.USER_FIELD_INVALID(`Department ${id} does not exist`, { field: 'departmentId' });
    });
  }

  /** Checks that the groups exist and adds "registered" and "everyone". */
  private async withSystemGroups(ids: number[]): Promise<number[]> {
    const all = await this.groups.list();
    const known = new Set(all.map((g) => g.id));
    for (const id of ids) if (!known.has(id)) throw userErrors.GROUP_NOT_FOUND(String(id), { field: 'groupIds' });
    const system = all.filter((g) => g.code === 'registered' || g.code === 'everyone').map((g) => g.id);
    return [...new Set([...ids, ...system])].sort((a, b) => a - b);
  }
}

/** Maps a row (snake_case, 0/1, epoch ms) to a User. */
export function toUser(r: Record<string, unknown> & { groupIds: number[] }, adminGroupId: number): User {
  return {
    id: Number(r.id),
    login: String(r.login),
    email: String(r.email),
    name: String(r.name ?? ''),
    lastName: String(r.last_name ?? ''),
    active: toBool(r.active),
    externalAuthId: r.external_auth_id == null ? null : String(r.external_auth_id),
    language: r.language == null ? null : String(r.language),
    position: String(r.position ?? ''),
    departmentId: r.department_id == null ? null : Number(r.department_id),
    phone: String(r.phone ?? ''),
    photoFileId: r.photo_file_id == null ? null : Number(r.photo_file_id),
    birthday: r.birthday == null ? null : String(r.birthday),
    employee: r.employee === undefined || r.employee === null ? true : toBool(r.employee),
    createdAt: toDate(r.created_at)!,
    lastLoginAt: toDate(r.last_login_at),
    groupIds: [...r.groupIds],
    isAdmin: r.groupIds.includes(adminGroupId),
  };
}
