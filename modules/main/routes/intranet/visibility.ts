import type { Kernel } from '../../../../core/kernel.js';
import type { Principal } from '../../../../core/services.js';
import { optionsTag } from '../../../../core/options/option-service.js';

/**
 * Which profile fields a viewer sees of another user. Name, position, department and photo
 * are always shown (what a directory needs); e-mail, phone and birthday (day and month) as
 * the main module's `colleagues_see_*` options say. `full` (user editors, administrators,
 * oneself) adds everything else: the year of birth, login, groups, language, active flag.
 */
export interface ProfileView {
  full: boolean;
  email: boolean;
  phone: boolean;
  birthday: boolean;
}

export const FULL_VIEW: ProfileView = Object.freeze({ full: true, email: true, phone: true, birthday: true });

/** Cache tag of results built with a colleague view (components): bumped when the options change. */
export const PROFILE_VIEW_TAG = optionsTag('main');

/** What colleagues see of each other on a site, from the options. */
export async function colleagueView(kernel: Kernel, siteId = ''): Promise<ProfileView> {
  const [email, phone, birthday] = await Promise.all(
    ['colleagues_see_email', 'colleagues_see_phone', 'colleagues_see_birthday'].map((name) => kernel.options.get<boolean>('main', name, siteId)),
  );
  return { full: false, email: Boolean(email), phone: Boolean(phone), birthday: Boolean(birthday) };
}

/** The viewer's view of other users: everything with `main.users.edit` (administrators have it), else the colleague view. */
export async function profileViewFor(kernel: Kernel, principal: Principal, siteId = ''): Promise<ProfileView> {
  if (await kernel.rights.can(principal, 'main.users.edit')) return FULL_VIEW;
  return colleagueView(kernel, siteId);
}

/** The view of one user: oneself is always seen whole. */
export function viewOf(view: ProfileView, viewerId: number | null | undefined, userId: number): ProfileView {
  return viewerId === userId ? FULL_VIEW : view;
}

/** What a search by this viewer may match besides names and positions (`UserListQuery.searchAlso`); undefined: everything. */
export function searchScope(view: ProfileView): ('login' | 'email')[] | undefined {
  if (view.full) return undefined;
  return view.email ? ['email'] : [];
}
