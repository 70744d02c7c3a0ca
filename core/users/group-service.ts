import type { ModuleDb } from '../db/module-db.js';
import { toBool } from '../db/module-db.js';
import type { EventBus } from '../events/event-bus.js';
import type { Cache, Group } from '../services.js';
import { coreErrors } from '../errors/codes.js';
import { userErrors } from './errors.js';
import './events.js';

export const SYSTEM_GROUPS = {
  administrators: { name: 'Administrators', description: 'Full access to the portal', sort: 1 },
  everyone: { name: 'Everyone', description: 'Every visitor, signed in or not', sort: 2 },
  registered: { name: 'Registered users', description: 'Every signed-in user', sort: 3 },
} as const;

/** The system groups' names as a Russian portal is installed with (they are data: an admin may rename them). */
const SYSTEM_GROUPS_RU: Record<SystemGroupCode, { name: string; description: string }> = {
  administrators: { name: 'Администраторы', description: 'Полный доступ к порталу' },
  everyone: { name: 'Все', description: 'Все посетители, вошедшие и нет' },
  registered: { name: 'Зарегистрированные пользователи', description: 'Все, кто вошёл на портал' },
};
export type SystemGroupCode = keyof typeof SYSTEM_GROUPS;

const CODE_PATTERN = /^[a-z0-9_]{2,50}$/;
/** Cache tag of every group lookup. */
export const GROUPS_TAG = 'main:groups';
/** Cache tag of one user's cached record (their group list lives there too). */
export const userTag = (userId: number): string => `main:user:${userId}`;

/** User groups: the system ones (administrators, everyone, registered) and custom ones. */
export class GroupService {
  private readonly db: ModuleDb;
  private readonly events: EventBus;
  private readonly cache: Cache;

  constructor({ db, events, cache }: { db: ModuleDb; events: EventBus; cache: Cache }) {
    this.db = db;
    this.events = events;
    this.cache = cache;
  }

  /**
   * Creates the system groups that are missing (safe to run any number of times), named in
   * `language` (the default site's: `en` or `ru`); existing ones keep their names.
   */
  async ensureSystemGroups(language = 'en'): Promise<void> {
    const now = Date.now();
    for (const [code, g] of Object.entries(SYSTEM_GROUPS) as [SystemGroupCode, (typeof SYSTEM_GROUPS)[SystemGroupCode]][]) {
      const { name, description } = language === 'ru' ? SYSTEM_GROUPS_RU[code] : g;
      await this.db
        .write('groups')
        .insert({ code, name, description, system: true, sort: g.sort, created_at: now })
        .onConflict('code')
        .ignore();
    }
    await this.cache.invalidateTags(GROUPS_TAG);
  }

  async create(input: { code: string; name: string; description?: string }): Promise<Group> {
    const code = typeof input?.code === 'string' ? input.code.trim() : '';
    if (!CODE_PATTERN.test(code)) throw userErrors.GROUP_CODE_INVALID(String(input?.code ?? ''), { field: 'code' });
    const name = checkName(input.name);
    const description = checkDescription(input.description);
    if (await this.db.write('groups').where({ code }).first('id')) throw userErrors.GROUP_CODE_TAKEN(code);
    let id: number;
    try {
      [id] = (await this.db.write('groups').insert({ code, name, description, system: false, sort: 100, created_at: Date.now() })) as number[];
    } catch (err) {
      if (await this.db.write('groups').where({ code }).first('id')) throw userErrors.GROUP_CODE_TAKEN(code);
      throw err;
    }
    await this.cache.invalidateTags(GROUPS_TAG);
    const group = await this.get(Number(id!));
    await this.events.emitAfter('main.group.created', group);
    return group;
  }

  /** Every group, system ones first. */
  list(): Promise<Group[]> {
    return this.cache.remember('main:groups:all', { tags: [GROUPS_TAG] }, async () => {
      const rows = await this.db.write('groups').select('*').orderBy([{ column: 'sort' }, { column: 'id' }]);
      return rows.map(toGroup);
    });
  }

  async get(id: number): Promise<Group> {
    const group = (await this.list()).find((g) => g.id === id);
    if (!group) throw userErrors.GROUP_NOT_FOUND(String(id));
    return group;
  }

  async byCode(code: string): Promise<Group> {
    const group = (await this.list()).find((g) => g.code === code);
    if (!group) throw userErrors.GROUP_NOT_FOUND(code);
    return group;
  }

  /** Renames or re-describes a group; the code is stable. */
  async update(id: number, patch: { name?: string; description?: string }): Promise<Group> {
    await this.get(id);
    const row: Record<string, unknown> = {};
    if (patch.name !== undefined) row.name = checkName(patch.name);
    if (patch.description !== undefined) row.description = checkDescription(patch.description);
    if (Object.keys(row).length > 0) await this.db.write('groups').where({ id }).update(row);
    await this.cache.invalidateTags(GROUPS_TAG);
    return this.get(id);
  }

  /** Deletes a custom group with its memberships and rights. */
  async delete(id: number): Promise<void> {
    const group = await this.get(id);
    if (group.system) throw userErrors.GROUP_SYSTEM(group.code);
    const members = await this.members(id);
    await this.db.transaction(async (tx) => {
      await tx.table('user_groups').where({ group_id: id }).delete();
      await tx.table('module_rights').where({ group_id: id }).delete();
      await tx.table('groups').where({ id }).delete();
    });
    await this.cache.invalidateTags(GROUPS_TAG, 'rights', ...members.map(userTag));
    await this.events.emitAfter('main.group.deleted', { id, code: group.code });
  }

  async addUser(groupId: number, userId: number): Promise<void> {
    await this.get(groupId);
    if (!(await this.db.write('users').where({ id: userId }).first('id'))) throw userErrors.USER_NOT_FOUND(String(userId));
    await this.db.write('user_groups').insert({ user_id: userId, group_id: groupId }).onConflict(['user_id', 'group_id']).ignore();
    await this.cache.invalidateTags(userTag(userId));
  }

  /** Removes a membership; refuses to remove the last active administrator. */
  async removeUser(groupId: number, userId: number): Promise<void> {
    const group = await this.get(groupId);
    if (group.code === 'administrators') await this.assertOtherActiveAdmin(userId);
    await this.db.write('user_groups').where({ user_id: userId, group_id: groupId }).delete();
    await this.cache.invalidateTags(userTag(userId));
  }

  async groupIdsOf(userId: number): Promise<number[]> {
    const rows = await this.db.write('user_groups').where({ user_id: userId }).select('group_id').orderBy('group_id');
    return rows.map((r: { group_id: unknown }) => Number(r.group_id));
  }

  /** Ids of the group's members. */
  async members(groupId: number): Promise<number[]> {
    const rows = await this.db.write('user_groups').where({ group_id: groupId }).select('user_id').orderBy('user_id');
    return rows.map((r: { user_id: unknown }) => Number(r.user_id));
  }

  /** Throws USER_LAST_ADMIN unless an active administrator other than `userId` exists. */
  async assertOtherActiveAdmin(userId: number): Promise<void> {
    const admins = await this.byCode('administrators');
    const other = await this.db
      .write('user_groups as ug')
      .join(`${this.db.table('users')} as u`, 'u.id', 'ug.user_id')
      .where('ug.group_id', admins.id)
      .andWhere('u.active', true)
      .andWhereNot('u.id', userId)
      .first('u.id');
    if (!other) throw userErrors.USER_LAST_ADMIN();
  }
}

function checkName(name: unknown): string {
  const v = typeof name === 'string' ? name.trim() : '';
  if (v.length < 1 || v.length > 255) throw userErrors.GROUP_NAME_INVALID('', { field: 'name' });
  return v;
}

function checkDescription(description: unknown): string {
  if (description === undefined || description === null) return '';
  if (typeof description !== 'string') throw coreErrors.VALIDATION_FAILED('Group description must be a string', { field: 'description' });
  return description.trim().slice(0, 10_000);
}

function toGroup(row: Record<string, unknown>): Group {
  return {
    id: Number(row.id),
    code: String(row.code),
    name: String(row.name),
    description: String(row.description ?? ''),
    system: toBool(row.system),
  };
}
