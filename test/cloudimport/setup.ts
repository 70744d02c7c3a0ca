import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import type { Kernel } from '../../core/kernel.js';
import { SYSTEM } from '../../modules/cloudimport/import/handler.js';

export const FIXTURES = path.join(projectRoot, 'test/fixtures/cloudimport');

/** A copy of the hand-made dump (test/fixtures/cloudimport/dump) that a test may change. */
export function dumpCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cloudimport-dump-'));
  cpSync(path.join(FIXTURES, 'dump'), dir, { recursive: true });
  return dir;
}

/** The modules the import lands in, and an administrator (as every installed portal has; BBCode renders for one). */
export async function installTargets(kernel: Kernel): Promise<void> {
  const admins = (await kernel.groups.byCode('administrators')).id;
  if (!(await kernel.users.findByLogin('admin'))) await kernel.users.create({ login: 'admin', email: 'admin@box.example', password: 'Admin-pass-123', groupIds: [admins] });
  for (const id of ['infoblocks', 'forum', 'cloudimport']) if (!kernel.modules.isInstalled(id)) await kernel.modules.install(id);
}

/** Everything the import made, in a form two portals can be compared by (box ids replaced by cloud ids). */
export async function snapshot(kernel: Kernel): Promise<unknown> {
  const api = kernel.api('cloudimport');
  const depts = await kernel.users.departments.list();
  const users = (await kernel.users.list({ limit: 500 })).items;
  const groups = await kernel.groups.list();
  const ib = kernel.api('infoblocks');
  const iblocks = (await ib.iblocks.list(SYSTEM)).filter((b) => b.code.startsWith('b24_'));
  const elements: unknown[] = [];
  for (const b of iblocks) {
    const list = await ib.elements.list(SYSTEM, b.id, { pageSize: 500, order: { ID: 'asc' } });
    for (const e of list.items) elements.push({ iblock: b.code, xmlId: e.xmlId, name: e.name, detail: e.detailText, props: Object.keys(e.properties).length });
  }
  return {
    departments: depts.map((d) => ({ name: d.name, parent: depts.find((p) => p.id === d.parentId)?.name ?? null, head: users.find((u) => u.id === d.headUserId)?.login ?? null })).sort((a, b) => a.name.localeCompare(b.name)),
    users: users.map((u) => ({ login: u.login, active: u.active, name: u.name, dept: depts.find((d) => d.id === u.departmentId)?.name ?? null })).sort((a, b) => a.login.localeCompare(b.login)),
    groups: await Promise.all(groups.filter((g) => g.code.startsWith('b24_') || g.code === 'extranet').map(async (g) => ({ code: g.code, name: g.name, members: (await kernel.groups.members(g.id)).length }))),
    elements: elements.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    mapped: await api.mappedCount('users'),
  };
}
