import type { Kernel } from '../../../../core/kernel.js';
import type { User } from '../../../../core/services.js';

/** What templates show of a colleague: plain JSON, safe to cache. */
export interface PersonCard {
  id: number;
  /** The user's page in the employee directory. */
  href: string;
  name: string;
  /** One or two letters shown when there is no photo. */
  initials: string;
  login: string;
  position: string;
  departmentId: number | null;
  department: string;
  email: string;
  phone: string;
  /** /upload/<id>/<name> of the photo, or null. */
  photoUrl: string | null;
  birthday: string | null;
  /** ISO date the account was created. */
  joined: string;
}

export function fullName(u: Pick<User, 'name' | 'lastName' | 'login'>): string {
  return [u.name, u.lastName].filter(Boolean).join(' ') || u.login;
}

export function initialsOf(u: Pick<User, 'name' | 'lastName' | 'login'>): string {
  const first = (s: string) => Array.from(s.trim())[0] ?? '';
  const letters = u.name || u.lastName ? first(u.name) + first(u.lastName) : first(u.login);
  return letters.toUpperCase() || '?';
}

/** The photo's URL, or null when the user has none (or its file is gone). */
export async function photoUrlOf(kernel: Kernel, fileId: number | null): Promise<string | null> {
  if (!fileId) return null;
  const file = await kernel.files.get(fileId).catch(() => null);
  return file ? `/upload/${file.id}/${encodeURIComponent(file.name)}` : null;
}

/** Cards of users, with department names and photo URLs resolved. */
export async function personCards(kernel: Kernel, users: User[]): Promise<PersonCard[]> {
  const departments = new Map((await kernel.users.departments.list()).map((d) => [d.id, d.name]));
  return Promise.all(
    users.map(async (u) => ({
      id: u.id,
      href: `/company/${u.id}/`,
      name: fullName(u),
      initials: initialsOf(u),
      login: u.login,
      position: u.position,
      departmentId: u.departmentId,
      department: u.departmentId ? departments.get(u.departmentId) ?? '' : '',
      email: u.email,
      phone: u.phone,
      photoUrl: await photoUrlOf(kernel, u.photoFileId),
      birthday: u.birthday,
      joined: u.createdAt.toISOString(),
    })),
  );
}
