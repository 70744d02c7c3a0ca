import type { Kernel } from '../../core/kernel.js';
import { PORTAL_VIEW } from '../../core/http/guards.js';

/**
 * What visitors who are not signed in may do: nothing (`closed`, the default: they get the sign-in page), view
 * pages and files (`pages`, main's level V for the group "everyone"), or use the portal like an employee
 * (`full`: R or more for "everyone", set on the rights table, which also opens the employee directory).
 */
export type PublicAccess = 'closed' | 'pages' | 'full';

export async function publicAccessOf(kernel: Kernel): Promise<PublicAccess> {
  const anonymous = await kernel.users.principalOf(null);
  if (!(await kernel.rights.can(anonymous, PORTAL_VIEW))) return 'closed';
  return (await kernel.rights.can(anonymous, 'main.users.view')) ? 'full' : 'pages';
}

/**
 * Opens the portal's pages and files to visitors who are not signed in (each page, component and file still
 * within its own rights), or closes the portal to them again (whatever level "everyone" had).
 */
export async function setPublicAccess(kernel: Kernel, open: boolean): Promise<void> {
  const everyone = await kernel.groups.byCode('everyone');
  if (!open) return kernel.rights.clearLevel('main', everyone.id);
  if ((await publicAccessOf(kernel)) === 'closed') await kernel.rights.setLevel('main', everyone.id, 'V');
}
