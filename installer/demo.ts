import type { Kernel } from '../core/kernel.js';
import { generatePassword } from './admin.js';

const DEMO_GROUP = { code: 'demo', name: 'Demo employees', description: 'Sample accounts added by `portal install --demo`' };

const DEMO_USERS = [
  { login: 'anna.smirnova', email: 'anna.smirnova@example.com', name: 'Anna', lastName: 'Smirnova' },
  { login: 'ivan.petrov', email: 'ivan.petrov@example.com', name: 'Ivan', lastName: 'Petrov' },
  { login: 'maria.garcia', email: 'maria.garcia@example.com', name: 'Maria', lastName: 'Garcia' },
  { login: 'john.doe', email: 'john.doe@example.com', name: 'John', lastName: 'Doe' },
];

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
 * Sample data for a demo portal: a "demo" group with a few employees. The ones created
 * now share one generated password, returned so the installer can show it once; those
 * that existed keep theirs. Safe to run twice.
 */
export async function installDemoData(kernel: Kernel): Promise<DemoUsers> {
  const group = (await kernel.groups.list()).find((g) => g.code === DEMO_GROUP.code) ?? (await kernel.groups.create(DEMO_GROUP));
  const password = generatePassword();
  const out: DemoUsers = { created: [], existing: [] };
  for (const u of DEMO_USERS) {
    if (await kernel.users.findByLogin(u.login)) {
      out.existing.push(u.login);
      continue;
    }
    await kernel.users.create({ ...u, password, groupIds: [group.id] });
    out.created.push(u.login);
  }
  return out.created.length ? { ...out, password } : out;
}
