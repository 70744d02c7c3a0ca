import mainModule from '../../modules/main/module.js';
import infoblocksModule from '../../modules/infoblocks/module.js';
import workflowModule from '../../modules/workflow/module.js';
import type { Kernel } from '../../core/kernel.js';
import type { PortalConfigInput } from '../../core/config/types.js';
import type { Principal } from '../../core/services.js';
import type { DbKind } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { TemplateInput } from '../../modules/workflow/schema.js';

export const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };
export const ELEMENT = 'infoblocks.element';
export const PASSWORD = 'workflow test 42';
export const definitions = [mainModule, infoblocksModule, workflowModule];

export interface People {
  author: number;
  boss: number;
  ed1: number;
  ed2: number;
  outsider: number;
}

export interface WfFixture {
  t: TestKernel;
  kernel: Kernel;
  people: People;
  /** Infoblock "news" (workflow on: statuses, drafts, publish-on-approve) and "memos" (workflow off). */
  news: number;
  memos: number;
  principal(userId: number): Promise<Principal>;
}

/**
 * A kernel with main, infoblocks and workflow; an author in a department whose head is "boss"; two members of
 * "content_editors" (W on news); an outsider. Registered users edit news through the workflow (U).
 */
export async function bootWorkflow(kind: DbKind, overrides?: PortalConfigInput): Promise<WfFixture> {
  const t = await bootTestKernel(kind, { definitions, overrides });
  const { kernel } = t;
  await kernel.modules.install('infoblocks');
  await kernel.modules.install('workflow');
  const editors = await kernel.groups.create({ code: 'content_editors', name: 'Content editors' });
  const user = async (login: string, extra: Record<string, unknown> = {}) =>
    (await kernel.users.create({ login, email: `${login}@example.com`, password: PASSWORD, name: login[0]!.toUpperCase() + login.slice(1), ...extra })).id;
  const boss = await user('boss');
  const dep = await kernel.users.departments.create({ name: 'Sales', headUserId: boss });
  const people: People = {
    author: await user('author', { departmentId: dep.id }),
    boss,
    ed1: await user('ed1', { groupIds: [editors.id] }),
    ed2: await user('ed2', { groupIds: [editors.id] }),
    outsider: await user('outsider'),
  };
  const ib = kernel.api('infoblocks');
  const registered = (await kernel.groups.list()).find((g) => g.code === 'registered')!;
  const type = await ib.iblocks.addType(ADMIN, { code: 'content', names: { en: 'Content', ru: 'Контент' } });
  const rights = { [registered.id]: 'U' as const, [editors.id]: 'W' as const };
  const news = (await ib.iblocks.add(ADMIN, { typeId: type.id, code: 'news', name: 'News', workflow: true, rights })).id;
  const memos = (await ib.iblocks.add(ADMIN, { typeId: type.id, code: 'memos', name: 'Memos', workflow: false, rights })).id;
  return {
    t, kernel, people, news, memos,
    principal: async (id) => kernel.users.principalOf(await kernel.users.find(id)),
  };
}

/** A memo approval template on infoblock "memos" (started by hand). */
export function memoTemplate(code: string, activities: unknown[]): TemplateInput {
  return { code, name: code, document: { type: ELEMENT, scope: 'memos' }, root: { type: 'sequence', activities: activities as never } };
}

/** The ids of the open tasks of an instance, by assignee. */
export async function openTasks(kernel: Kernel, instanceId: number): Promise<Map<number, number>> {
  const tasks = await kernel.api('workflow').instances.tasks(ADMIN, instanceId);
  return new Map(tasks.filter((x) => x.status === 'open').map((x) => [x.userId, x.id]));
}
