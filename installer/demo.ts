import type { Kernel } from '../core/kernel.js';
import { generatePassword } from './admin.js';
import { DEMO_STAFF } from './demo-users-content.js';

/** How the demo employees sign in: the accounts this run created share one generated password. */
export interface DemoUsers {
  /** Logins created now; they sign in with `password`. */
  created: string[];
  /** Set when `created` is not empty; shown once by the CLI. */
  password?: string;
  /** Logins that existed already and keep their passwords. */
  existing: string[];
}

/**
 * Sample data for a demo portal, in the default site's language: a "demo" group with a few
 * employees, each with a position in a department (departments made when missing). The ones
 * created now share one generated password, returned so the installer can show it once;
 * those that existed keep theirs. Safe to run twice.
 */
export async function installDemoData(kernel: Kernel): Promise<DemoUsers> {
  const site = (await kernel.sites.list()).find((s) => s.isDefault) ?? (await kernel.sites.list())[0];
  const staff = DEMO_STAFF[site?.language === 'ru' ? 'ru' : 'en'];
  const group = (await kernel.groups.list()).find((g) => g.code === staff.group.code) ?? (await kernel.groups.create(staff.group));
  const departments = await ensureDepartments(kernel, staff.departments);
  const password = generatePassword();
  const out: DemoUsers = { created: [], existing: [] };
  for (const { department, ...u } of staff.people) {
    if (await kernel.users.findByLogin(u.login)) {
      out.existing.push(u.login);
      continue;
    }
    await kernel.users.create({ ...u, departmentId: departments.get(department) ?? null, password, groupIds: [group.id] });
    out.created.push(u.login);
  }
  return out.created.length ? { ...out, password } : out;
}

/** Department ids by name; top-level departments with these names are made when missing. */
async function ensureDepartments(kernel: Kernel, names: string[]): Promise<Map<string, number>> {
  const have = new Map((await kernel.users.departments.list()).filter((d) => d.parentId === null).map((d) => [d.name, d.id]));
  for (const [i, name] of names.entries()) {
    if (!have.has(name)) have.set(name, (await kernel.users.departments.create({ name, sort: (i + 1) * 10 })).id);
  }
  return have;
}
