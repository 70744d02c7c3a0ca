import { cloudErrors } from '../../errors.js';
import { bool, ref, text } from '../../read/values.js';
import type { Handler, RunContext } from '../handler.js';
import { idOf, required } from './common.js';

interface Workgroup {
  name: string;
  description: string;
  active: boolean;
  project: boolean;
  extranet: boolean;
}

/** The box group a workgroup becomes (code b24_group_<id>); its owners and moderators also join <code>_moderators. */
export const groupCode = (cloudId: string): string => `b24_group_${cloudId}`;
export const moderatorsCode = (cloudId: string): string => `${groupCode(cloudId)}_mods`;

async function ensureGroup(run: RunContext, code: string, name: string, description: string): Promise<number> {
  const existing = (await run.kernel.groups.list()).find((g) => g.code === code);
  if (existing) return (await run.kernel.groups.update(existing.id, { name, description })).id;
  return (await run.kernel.groups.create({ code, name, description })).id;
}

/** Workgroups and projects → groups; the code is stable, so a group made just before a kill is found again. */
export const workgroups: Handler<Workgroup> = {
  entity: 'workgroups',
  batch: 100,
  prepare(row, run) {
    void run;
    const id = idOf(row, 'workgroups');
    const data = {
      name: required(text(row.NAME), 'NAME').slice(0, 100),
      description: (text(row.DESCRIPTION) ?? '').slice(0, 1000),
      active: bool(row.ACTIVE, true),
      project: bool(row.PROJECT),
      extranet: bool(row.IS_EXTRANET),
    };
    return { id, data, refs: [] };
  },
  async write(items, run) {
    const out = [];
    for (const it of items) {
      const note = [it.data.project ? 'Project' : 'Workgroup', 'imported from Bitrix24', it.data.extranet ? '(extranet)' : '', it.data.active ? '' : '(archived)'].filter(Boolean).join(' ');
      const description = [it.data.description, note].filter(Boolean).join('\n').slice(0, 1000);
      const id = await ensureGroup(run, groupCode(it.id), it.data.name, description);
      await ensureGroup(run, moderatorsCode(it.id), `${it.data.name}: moderators`.slice(0, 100), `Owners and moderators of the workgroup "${it.data.name}"`.slice(0, 1000));
      out.push({ boxId: String(id) });
    }
    return out;
  },
};

interface Membership {
  group: string;
  user: string;
  role: string;
}

const ROLES: Record<string, string> = { A: 'owner', E: 'moderator', K: 'member' };

/** Members of workgroups (sonet_group.user.get rows with their GROUP_ID): owners (A), moderators (E), members (K). */
export const workgroupMembers: Handler<Membership> = {
  entity: 'workgroup_members',
  prepare(row) {
    const group = ref(row.GROUP_ID);
    const user = ref(row.USER_ID);
    if (!group || !user) throw cloudErrors.CLOUD_BAD_ROW('workgroup_members: a row needs GROUP_ID and USER_ID');
    const role = text(row.ROLE) ?? 'K';
    if (!ROLES[role]) throw cloudErrors.CLOUD_BAD_ROW(`ROLE: "${role}" is not A, E or K`);
    return { id: `${group}:${user}`, data: { group, user, role }, refs: [{ entity: 'workgroups', id: group }, { entity: 'users', id: user }] };
  },
  async write(items, run) {
    const out = [];
    for (const it of items) {
      const groupId = it.box('workgroups', it.data.group);
      const userId = it.box('users', it.data.user);
      if (!groupId || !userId) {
        out.push({ error: `${groupId ? `user ${it.data.user}` : `workgroup ${it.data.group}`} is not imported` });
        continue;
      }
      await run.kernel.groups.addUser(Number(groupId), Number(userId));
      const mods = (await run.kernel.groups.list()).find((g) => g.code === moderatorsCode(it.data.group));
      if (mods && it.data.role !== 'K') await run.kernel.groups.addUser(mods.id, Number(userId));
      else if (mods) await run.kernel.groups.removeUser(mods.id, Number(userId));
      out.push({ boxId: `${groupId}:${userId}` });
    }
    return out;
  },
};
