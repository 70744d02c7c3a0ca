import { randomInt } from 'node:crypto';
import type { Kernel } from '../core/kernel.js';

export interface AdminInput {
  login: string;
  email: string;
  /** Absent: a new admin gets a generated password; an existing one keeps theirs. */
  password?: string;
  /** First and last name shown in the header; a new admin without one is named "Administrator". */
  name?: string;
  lastName?: string;
}

/** No look-alike characters (0/O, 1/l/I), so the password can be typed from a screen. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A strong random password: 20 characters, about 117 bits. */
export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/**
 * Makes sure `login` exists, is active, has a name and belongs to "administrators". Creates it
 * when missing (named in the site's language unless a name is given); an existing account keeps
 * its password and name unless new ones are given.
 * Returns the generated password, if one was made up.
 */
export async function ensureAdmin(kernel: Kernel, input: AdminInput): Promise<{ userId: number; generatedPassword?: string }> {
  const admins = await kernel.groups.byCode('administrators');
  const existing = await kernel.users.findByLogin(input.login);
  if (!existing) {
    const generatedPassword = input.password ? undefined : generatePassword();
    const user = await kernel.users.create({
      login: input.login,
      email: input.email,
      password: input.password ?? generatedPassword,
      name: input.name || (kernel.config.site.language === 'ru' ? 'Администратор' : 'Administrator'),
      lastName: input.lastName ?? '',
      groupIds: [admins.id],
      // A service account until an administrator says it is a person (the admin user form).
      employee: false,
    });
    return { userId: user.id, ...(generatedPassword ? { generatedPassword } : {}) };
  }
  if (!existing.groupIds.includes(admins.id)) await kernel.groups.addUser(admins.id, existing.id);
  if (!existing.active) await kernel.users.setActive(existing.id, true);
  if (input.password) await kernel.users.setPassword(existing.id, input.password);
  // A name given now, or one for an account that has none (the header never shows the login).
  if (input.name || input.lastName) await kernel.users.update(existing.id, { ...(input.name ? { name: input.name } : {}), ...(input.lastName ? { lastName: input.lastName } : {}) });
  else if (!existing.name.trim() && !existing.lastName.trim()) await kernel.users.update(existing.id, { name: 'Administrator' });
  return { userId: existing.id };
}
