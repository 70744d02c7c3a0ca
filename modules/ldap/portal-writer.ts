import { createHash } from 'node:crypto';
import type { ModuleDb } from '../../core/db/module-db.js';
import type { Kernel } from '../../core/kernel.js';
import type { User, UserInput } from '../../core/services.js';
import type { UserPatch } from '../../core/users/user-service.js';
import { normalizeDn, type Person } from './person.js';
import type { GroupMap, LdapServer } from './server-types.js';

/** users.externalAuthId of the accounts this module signs in. */
export const EXTERNAL_AUTH_ID = 'ldap';

export type Outcome = 'created' | 'updated' | 'disabled' | 'unchanged' | 'skipped';

export interface LinkRow {
  id: number;
  serverId: number;
  uuid: string;
  userId: number;
  dn: string;
  dataHash: string;
  missingRuns: number;
  disabledBy: string | null;
  offlineHash: string | null;
  offlineAt: number | null;
}

export function toLink(r: Record<string, unknown>): LinkRow {
  return {
    id: Number(r.id), serverId: Number(r.server_id), uuid: String(r.uuid), userId: Number(r.user_id), dn: String(r.dn),
    dataHash: String(r.data_hash ?? ''), missingRuns: Number(r.missing_runs ?? 0), disabledBy: r.disabled_by == null ? null : String(r.disabled_by),
    offlineHash: r.offline_hash == null ? null : String(r.offline_hash), offlineAt: r.offline_at == null ? null : Number(r.offline_at),
  };
}

/** What the portal should hold for a person: mapped groups, ban, department. */
export interface Desired {
  person: Person;
  groupIds: number[];
  banned: boolean;
  departmentId: number | null;
}

/**
 * Writes directory people into portal users through the kernel's users and departments
 * services (never main's tables), and keeps the link (UUID -> user) in ldap_links.
 */
export class PortalWriter {
  private readonly managed: Set<number>;
  private readonly byDn: Map<string, GroupMap[]>;
  private departments: Promise<Map<string, number>> | undefined;

  constructor(private readonly deps: { kernel: Kernel; db: ModuleDb; server: LdapServer; maps: GroupMap[]; dryRun: boolean }) {
    this.managed = new Set(deps.maps.filter((m) => m.groupId !== null).map((m) => m.groupId!));
    this.byDn = new Map();
    for (const m of deps.maps) this.byDn.set(normalizeDn(m.ldapGroup), [...(this.byDn.get(normalizeDn(m.ldapGroup)) ?? []), m]);
  }

  /** Portal groups and ban of a set of directory groups (DNs of every group the user is in, nested included). */
  mapGroups(groupDns: Iterable<string>): { groupIds: number[]; banned: boolean } {
    const ids = new Set<number>();
    let banned = false;
    for (const dn of groupDns) {
      for (const m of this.byDn.get(normalizeDn(dn)) ?? []) {
        if (m.ban) banned = true;
        else if (m.groupId !== null) ids.add(m.groupId);
      }
    }
    return { groupIds: [...ids].sort((a, b) => a - b), banned };
  }

  /** The department for a path of names (top first), created where missing (not in a dry run). */
  async departmentId(path: string[]): Promise<number | null> {
    if (path.length === 0) return null;
    const known = await (this.departments ??= this.loadDepartments());
    let parent: number | null = null;
    for (const raw of path) {
      const name = raw.slice(0, 255);
      const key = `${parent ?? 0}/${name.toLowerCase()}`;
      let id = known.get(key);
      if (id === undefined) {
        if (this.deps.dryRun) return null;
        id = (await this.deps.kernel.users.departments.create({ name, parentId: parent })).id;
        known.set(key, id);
      }
      parent = id;
    }
    return parent;
  }

  async linkByUuid(uuid: string): Promise<LinkRow | null> {
    const row = (await this.deps.db.write('links').where({ server_id: this.deps.server.id, uuid }).first()) as Record<string, unknown> | undefined;
    return row ? toLink(row) : null;
  }

  /**
   * Creates or updates the person's portal user. `create: false` leaves unknown people
   * out (sign-in without "create on first sign-in"). Returns what happened and the user id.
   */
  async apply(d: Desired, opts: { create: boolean; link?: LinkRow | null }): Promise<{ outcome: Outcome; userId: number | null }> {
    const link = opts.link === undefined ? await this.linkByUuid(d.person.uuid) : opts.link;
    const active = !d.person.disabled && !d.banned;
    const hash = dataHash(d, active);
    if (!link) return this.create(d, active, hash, opts.create);
    if (link.dataHash === hash && link.missingRuns === 0 && link.dn === d.person.dn) return { outcome: 'unchanged', userId: link.userId };
    const user = await this.deps.kernel.users.find(link.userId);
    if (!user) {
      if (!this.deps.dryRun) await this.deps.db.write('links').where({ id: link.id }).delete();
      return this.create(d, active, hash, opts.create);
    }
    const patch = this.patchFor(user, d);
    let disabledBy = link.disabledBy;
    let outcome: Outcome = Object.keys(patch).length > 0 ? 'updated' : 'unchanged';
    if (!active && user.active) {
      patch.active = false;
      disabledBy = d.banned ? 'ban' : 'directory';
      outcome = 'disabled';
    } else if (active && !user.active && link.disabledBy) {
      // The sync disabled them (directory, ban, gone); an administrator's own block stays.
      patch.active = true;
      disabledBy = null;
      outcome = 'updated';
    } else if (active) disabledBy = null;
    if (this.deps.dryRun) return { outcome, userId: user.id };
    if (Object.keys(patch).length > 0) await this.deps.kernel.users.update(user.id, patch);
    await this.deps.db.write('links').where({ id: link.id }).update({ dn: d.person.dn.slice(0, 1000), data_hash: hash, missing_runs: 0, disabled_by: disabledBy, updated_at: Date.now() });
    return { outcome, userId: user.id };
  }

  /**
   * Creates many new (unlinked, active) people at once through users.createMany; a login
   * that is taken goes the one-by-one way (an unlinked directory account is taken over,
   * a local one never). One outcome or error per person, in order.
   */
  async createMany(list: Desired[]): Promise<({ outcome: Outcome } | { error: Error })[]> {
    const { kernel } = this.deps;
    const out: ({ outcome: Outcome } | { error: Error })[] = new Array(list.length);
    const one = async (i: number) => {
      try {
        out[i] = { outcome: (await this.apply(list[i]!, { create: true, link: null })).outcome };
      } catch (err) {
        if (!(err as { status?: number }).status || (err as { status: number }).status >= 500) throw err;
        out[i] = { error: err as Error };
      }
    };
    if (this.deps.dryRun) {
      const taken = await kernel.users.idsOfLogins(list.map((d) => d.person.login));
      for (let i = 0; i < list.length; i++) {
        if (taken.has(list[i]!.person.login.toLowerCase())) await one(i);
        else out[i] = { outcome: 'created' };
      }
      return out;
    }
    const results = await kernel.users.createMany(list.map((d) => this.inputOf(d)));
    const links: Record<string, unknown>[] = [];
    const now = Date.now();
    for (let i = 0; i < list.length; i++) {
      const r = results[i]!;
      if ('user' in r) {
        const d = list[i]!;
        links.push({ server_id: this.deps.server.id, uuid: d.person.uuid, user_id: r.user.id, dn: d.person.dn.slice(0, 1000), data_hash: dataHash(d, true), missing_runs: 0, created_at: now, updated_at: now });
        out[i] = { outcome: 'created' };
      } else if (r.error.code === 'USER_LOGIN_TAKEN') await one(i);
      else out[i] = { error: r.error };
    }
    for (let i = 0; i < links.length; i += 200) await this.deps.db.write('links').insert(links.slice(i, i + 200));
    return out;
  }

  /** Disables a linked user gone from the directory (the caller decides when). */
  async disableMissing(link: LinkRow): Promise<boolean> {
    const user = await this.deps.kernel.users.find(link.userId);
    if (!user || !user.active) return false;
    if (this.deps.dryRun) return true;
    await this.deps.kernel.users.update(user.id, { active: false });
    await this.deps.db.write('links').where({ id: link.id }).update({ disabled_by: 'missing', data_hash: '', updated_at: Date.now() });
    return true;
  }

  private async create(d: Desired, active: boolean, hash: string, allowed: boolean): Promise<{ outcome: Outcome; userId: number | null }> {
    if (!allowed || !active) return { outcome: 'skipped', userId: null };
    const { kernel, db, server } = this.deps;
    const existing = await kernel.users.findByLogin(d.person.login);
    if (existing) {
      // A local account of the same login is never taken over; only an unlinked directory account is.
      if (existing.externalAuthId !== EXTERNAL_AUTH_ID || (await db.write('links').where({ user_id: existing.id }).first('id'))) {
        throw Object.assign(new Error(`login "${d.person.login}" belongs to another portal account`), { code: 'LDAP_LOGIN_TAKEN', status: 409 });
      }
      if (this.deps.dryRun) return { outcome: 'updated', userId: existing.id };
      await this.insertLink(d, existing.id, hash);
      const patch = this.patchFor(existing, d);
      if (Object.keys(patch).length > 0) await kernel.users.update(existing.id, patch);
      return { outcome: 'updated', userId: existing.id };
    }
    if (this.deps.dryRun) return { outcome: 'created', userId: null };
    const user = await kernel.users.create(this.inputOf(d));
    await this.insertLink(d, user.id, hash, server.id);
    return { outcome: 'created', userId: user.id };
  }

  private inputOf(d: Desired): UserInput {
    return {
      login: d.person.login,
      email: emailOf(d.person),
      name: d.person.name.slice(0, 100),
      lastName: d.person.lastName.slice(0, 100),
      position: d.person.position.slice(0, 255),
      phone: d.person.phone.slice(0, 50),
      departmentId: d.departmentId,
      externalAuthId: EXTERNAL_AUTH_ID,
      groupIds: d.groupIds,
    };
  }

  private async insertLink(d: Desired, userId: number, hash: string, serverId = this.deps.server.id): Promise<void> {
    const now = Date.now();
    await this.deps.db.write('links').insert({ server_id: serverId, uuid: d.person.uuid, user_id: userId, dn: d.person.dn.slice(0, 1000), data_hash: hash, missing_runs: 0, created_at: now, updated_at: now });
  }

  private patchFor(user: User, d: Desired): UserPatch {
    const p = d.person;
    const patch: UserPatch = {};
    const email = emailOf(p);
    if (user.email.toLowerCase() !== email.toLowerCase()) patch.email = email;
    if (user.name !== p.name.slice(0, 100)) patch.name = p.name.slice(0, 100);
    if (user.lastName !== p.lastName.slice(0, 100)) patch.lastName = p.lastName.slice(0, 100);
    if (user.position !== p.position.slice(0, 255)) patch.position = p.position.slice(0, 255);
    if (user.phone !== p.phone.slice(0, 50)) patch.phone = p.phone.slice(0, 50);
    if (this.deps.server.departments !== 'none' && user.departmentId !== d.departmentId && (d.departmentId !== null || p.departmentPath.length === 0)) patch.departmentId = d.departmentId;
    const groups = [...new Set([...user.groupIds.filter((g) => !this.managed.has(g)), ...d.groupIds])].sort((a, b) => a - b);
    const have = [...user.groupIds].sort((a, b) => a - b);
    // registered/everyone are added by the kernel whatever is sent; compare only what the sync manages.
    const managedNow = have.filter((g) => this.managed.has(g));
    if (managedNow.join(',') !== d.groupIds.join(',')) patch.groupIds = groups;
    return patch;
  }

  private async loadDepartments(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const dep of await this.deps.kernel.users.departments.list()) out.set(`${dep.parentId ?? 0}/${dep.name.toLowerCase()}`, dep.id);
    return out;
  }
}

/** The directory's address, or a placeholder the portal accepts (an e-mail is required there). */
export function emailOf(p: Person): string {
  return p.email || `${p.login.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}@ldap.invalid`;
}

function dataHash(d: Desired, active: boolean): string {
  const p = d.person;
  const data = [p.login, p.email, p.name, p.lastName, p.position, p.phone, d.departmentId, d.groupIds.join(','), active];
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}
