import type { Kernel } from '../core/kernel.js';
import { generatePassword } from './admin.js';
import { DEMO_STAFF } from './demo-users-content.js';

/**
 * Sample data for a demo portal, in the default site's language: a "demo" group with a few
 * employees, each with a position in a department (departments made when missing). Their
 * passwords are random and not shown (set one with `portal user passwd`). Safe to run twice.
 */
export async function installDemoData(kernel: Kernel): Promise<number> {
  const site = (await kernel.sites.list()).find((s) => s.isDefault) ?? (await kernel.sites.list())[0];
  const staff = DEMO_STAFF[site?.language === 'ru' ? 'ru' : 'en'];
  const group = (await kernel.groups.list()).find((g) => g.code === staff.group.code) ?? (await kernel.groups.create(staff.group));
  const departments = await ensureDepartments(kernel, staff.departments);
  let created = 0;
  for (const { department, ...u } of staff.people) {
    if (await kernel.users.findByLogin(u.login)) continue;
    await kernel.users.create({ ...u, departmentId: departments.get(department) ?? null, password: generatePassword(), groupIds: [group.id] });
    created++;
  }
  return created;
}

/** Department ids by name; top-level departments with these names are made when missing. */
async function ensureDepartments(kernel: Kernel, names: string[]): Promise<Map<string, number>> {
  const have = new Map((await kernel.users.departments.list()).filter((d) => d.parentId === null).map((d) => [d.name, d.id]));
  for (const [i, name] of names.entries()) {
    if (!have.has(name)) have.set(name, (await kernel.users.departments.create({ name, sort: (i + 1) * 10 })).id);
  }
  return have;
}
