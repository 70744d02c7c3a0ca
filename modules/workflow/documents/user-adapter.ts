import type { ModuleContext } from '../../../core/modules/types.js';
import type { DocumentAdapter, WorkflowDocument } from './adapter.js';

export const USER = 'main.user';

/**
 * Users as workflow documents (onboarding: a new hire acknowledges documents). The author is the user themself, so
 * `{ author: true }` assigns the new hire and `{ departmentHead: true }` their head. Fields: LOGIN, EMAIL, NAME,
 * LAST_NAME, POSITION, DEPARTMENT_ID, ACTIVE (Y/N), EMPLOYEE (Y/N); setField writes NAME, LAST_NAME, POSITION, PHONE.
 */
export function userAdapter(ctx: ModuleContext): DocumentAdapter {
  const { kernel } = ctx;
  return {
    type: USER,
    module: 'main',
    title: { en: 'User', ru: 'Пользователь' },
    async load(id): Promise<WorkflowDocument | null> {
      const u = /^\d+$/.test(id) ? await kernel.users.find(Number(id)) : null;
      if (!u) return null;
      return {
        type: USER, id: String(u.id), title: [u.name, u.lastName].filter(Boolean).join(' ') || u.login, authorId: u.id, scope: null, url: `/company/${u.id}/`,
        fields: { ID: u.id, LOGIN: u.login, EMAIL: u.email, NAME: u.name, LAST_NAME: u.lastName, POSITION: u.position, DEPARTMENT_ID: u.departmentId, ACTIVE: u.active ? 'Y' : 'N', EMPLOYEE: u.employee ? 'Y' : 'N' },
      };
    },
    async canRead(principal, id) {
      return principal.userId === Number(id) || principal.isAdmin || kernel.rights.can(principal, 'main.users.view');
    },
    async canStart(principal) {
      return kernel.rights.can(principal, 'workflow.manage');
    },
    async setFields(id, fields) {
      const names: Record<string, string> = { NAME: 'name', LAST_NAME: 'lastName', POSITION: 'position', PHONE: 'phone' };
      const patch: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) {
        if (!Object.hasOwn(names, k)) throw new Error(`setField: "${k}" is not a field of users`);
        patch[names[k]!] = String(v ?? '');
      }
      await kernel.users.update(Number(id), patch);
    },
  };
}
