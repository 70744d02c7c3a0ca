import type { Kernel } from '../../../../core/kernel.js';
import type { PortalState } from '../../../../core/http/state.js';
import type { User } from '../../../../core/services.js';
import { PROFILE_VIEW_TAG, viewOf, type ProfileView } from './visibility.js';
import { USERS_TAG } from '../../../../core/users/user-service.js';
import { DEPARTMENTS_TAG } from '../../../../core/users/department-service.js';

/**
 * What templates show of a colleague: plain JSON, safe to cache. Fields the view hides
 * are empty ('' or null), so a template override cannot show them either.
 */
export interface PersonCard {
  id: number;
  /** The user's page in the employee directory. */
  href: string;
  name: string;
  /** One or two letters shown when there is no photo. */
  initials: string;
  /** '' unless the view is full. */
  login: string;
  position: string;
  departmentId: number | null;
  department: string;
  email: string;
  phone: string;
  /** The photo's URL (kernel.files.url), or null. */
  photoUrl: string | null;
  /** "YYYY-MM-DD", only in a full view. */
  birthday: string | null;
  /** "MM-DD" when birthdays are shown. */
  birthdayDay: string | null;
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
  return kernel.files.urlOf(fileId);
}

/**
 * Cache tags of a component that shows colleagues. It runs on every render, so it refuses (403) visitors who may
 * not see the employee directory, cached result or not: a portal opened to anonymous visitors shows them no people.
 */
export async function peopleTags(kernel: Kernel, state: PortalState): Promise<string[]> {
  await kernel.rights.assert(state.principal, 'main.users.view');
  return [USERS_TAG, DEPARTMENTS_TAG, PROFILE_VIEW_TAG];
}

/**
 * Cards of users as `view` lets the viewer see them (the viewer's own card whole), with
 * department names and photo URLs resolved.
 */
export async function personCards(kernel: Kernel, users: User[], view: ProfileView, viewerId?: number | null): Promise<PersonCard[]> {
  const departments = new Map((await kernel.users.departments.list()).map((d) => [d.id, d.name]));
  return Promise.all(
    users.map(async (u) => {
      const sees = viewOf(view, viewerId, u.id);
      return {
        id: u.id,
        href: `/company/${u.id}/`,
        name: fullName(u),
        initials: initialsOf(u),
        login: sees.full ? u.login : '',
        position: u.position,
        departmentId: u.departmentId,
        department: u.departmentId ? departments.get(u.departmentId) ?? '' : '',
        email: sees.email ? u.email : '',
        phone: sees.phone ? u.phone : '',
        photoUrl: await photoUrlOf(kernel, u.photoFileId),
        birthday: sees.full ? u.birthday : null,
        birthdayDay: sees.birthday && u.birthday ? u.birthday.slice(5, 10) : null,
        joined: u.createdAt.toISOString(),
      };
    }),
  );
}
