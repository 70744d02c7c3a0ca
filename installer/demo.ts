import type { Kernel } from '../core/kernel.js';
import { generatePassword } from './admin.js';

const DEMO_GROUP = { code: 'demo', name: 'Demo employees', description: 'Sample accounts added by `portal install --demo`' };

const DEMO_USERS = [
  { login: 'anna.smirnova', email: 'anna.smirnova@example.com', name: 'Anna', lastName: 'Smirnova' },
  { login: 'ivan.petrov', email: 'ivan.petrov@example.com', name: 'Ivan', lastName: 'Petrov' },
  { login: 'maria.garcia', email: 'maria.garcia@example.com', name: 'Maria', lastName: 'Garcia' },
  { login: 'john.doe', email: 'john.doe@example.com', name: 'John', lastName: 'Doe' },
];

/**
 * Sample data for a demo portal: a "demo" group with a few employees. Their passwords
 * are random and not shown (set one with `portal user passwd`). Safe to run twice.
 */
export async function installDemoData(kernel: Kernel): Promise<number> {
  const group = (await kernel.groups.list()).find((g) => g.code === DEMO_GROUP.code) ?? (await kernel.groups.create(DEMO_GROUP));
  let created = 0;
  for (const u of DEMO_USERS) {
    if (await kernel.users.findByLogin(u.login)) continue;
    await kernel.users.create({ ...u, password: generatePassword(), groupIds: [group.id] });
    created++;
  }
  return created;
}
