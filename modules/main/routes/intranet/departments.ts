import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { requireRight } from '../../../../core/http/guards.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { isPortalError, type PortalError } from '../../../../core/errors/portal-error.js';
import { plural } from '../../../../core/components/param-messages.js';
import type { Department, DepartmentNode } from '../../../../core/users/department-service.js';
import type { User } from '../../../../core/services.js';
import { field, type Ctx } from '../page.js';
import { intranetPage } from './render.js';
import { personCards, type PersonCard } from './people.js';
import { profileViewFor, type ProfileView } from './visibility.js';

const ID = /^[1-9][0-9]{0,9}$/;
const NOTICES: Record<string, string> = { created: 'INTRANET_DEPARTMENT_CREATED', saved: 'INTRANET_DEPARTMENT_SAVED', deleted: 'INTRANET_DEPARTMENT_DELETED' };
/** Most employees offered as heads in the select. */
const HEAD_CHOICES = 500;

interface DepartmentForm {
  name: string;
  parentId: string;
  headUserId: string;
  sort: string;
}

/** A node of the structure chart: the department, its head, and people counts (own and with sub-departments). */
export interface ChartNode extends DepartmentNode {
  head: PersonCard | null;
  own: number;
  all: number;
  children: ChartNode[];
}

/**
 * The company structure (/company/departments/): a chart of the department tree with heads and people
 * counts for everyone who may see colleagues; adding, renaming, moving, a head and deleting for those
 * who may edit users.
 */
export function intranetDepartmentRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const guard = requireRight(kernel, 'main.users.view');
  const edit = requireRight(kernel, 'main.users.edit');
  const departments = () => kernel.users.departments;

  router.get('/company/departments/', guard, async (ctx) => {
    await showChart(ctx, { error: null, name: '', parentId: '' });
  });

  router.post('/company/departments/', edit, async (ctx) => {
    const name = field(ctx.request.body, 'name');
    const parent = field(ctx.request.body, 'parentId');
    try {
      if (parent !== '' && !ID.test(parent)) throw coreErrors.VALIDATION_FAILED(t('INTRANET_ERR_DEPARTMENTID', ctx.state.language), { field: 'parentId' });
      await departments().create({ name, parentId: parent ? Number(parent) : null });
      ctx.redirect('/company/departments/?done=created');
    } catch (err) {
      const e = clientError(err);
      await showChart(ctx, { error: readable(e, ctx.state.language), name, parentId: parent }, e.status === 404 ? 400 : e.status);
    }
  });

  router.get('/company/departments/:id/', edit, async (ctx) => {
    const department = await departmentOf(ctx);
    await showForm(ctx, department, formOf(department));
  });

  router.post('/company/departments/:id/', edit, async (ctx) => {
    const department = await departmentOf(ctx);
    const body = ctx.request.body;
    const form: DepartmentForm = { name: field(body, 'name'), parentId: field(body, 'parentId'), headUserId: field(body, 'headUserId'), sort: field(body, 'sort').trim() };
    const lang = ctx.state.language;
    try {
      if (form.parentId !== '' && !ID.test(form.parentId)) throw coreErrors.VALIDATION_FAILED(t('INTRANET_ERR_DEPARTMENTID', lang), { field: 'parentId' });
      if (form.headUserId !== '' && !ID.test(form.headUserId)) throw coreErrors.VALIDATION_FAILED(t('INTRANET_ERR_DEPARTMENT_HEAD', lang), { field: 'headUserId' });
      if (!/^-?[0-9]{1,9}$/.test(form.sort)) throw coreErrors.VALIDATION_FAILED(t('INTRANET_ERR_SORT', lang), { field: 'sort' });
      await departments().update(department.id, {
        name: form.name,
        parentId: form.parentId ? Number(form.parentId) : null,
        headUserId: form.headUserId ? Number(form.headUserId) : null,
        sort: Number(form.sort),
      });
    } catch (err) {
      const e = clientError(err);
      return showForm(ctx, department, form, readable(e, lang), e.status === 404 ? 400 : e.status);
    }
    ctx.redirect('/company/departments/?done=saved');
  });

  router.get('/company/departments/:id/delete/', edit, async (ctx) => {
    await showDelete(ctx, await departmentOf(ctx));
  });

  router.post('/company/departments/:id/delete/', edit, async (ctx) => {
    const department = await departmentOf(ctx);
    try {
      await departments().remove(department.id);
    } catch (err) {
      const e = clientError(err);
      return showDelete(ctx, department, readable(e, ctx.state.language), e.status);
    }
    ctx.redirect('/company/departments/?done=deleted');
  });

  async function departmentOf(ctx: Ctx): Promise<Department> {
    const raw = ctx.params.id ?? '';
    const found = ID.test(raw) ? await departments().get(Number(raw)).catch(() => null) : null;
    if (!found) throw coreErrors.NOT_FOUND(t('INTRANET_DEPARTMENT_UNKNOWN', ctx.state.language));
    return found;
  }

  async function showChart(ctx: Ctx, form: { error: string | null; name: string; parentId: string }, status = 200) {
    const lang = ctx.state.language;
    const [tree, flat, counts] = await Promise.all([departments().tree(), departments().flat(), kernel.users.countByDepartment()]);
    const done = typeof ctx.query.done === 'string' && ['created', 'saved', 'deleted'].includes(ctx.query.done) ? ctx.query.done : null;
    await intranetPage(ctx, 'departments', t('INTRANET_DEPARTMENTS', lang), {
      chart: await chartOf(tree, counts, await profileViewFor(kernel, ctx.state.principal, ctx.state.site.id), ctx.state.user?.id),
      flat,
      canEdit: await kernel.rights.can(ctx.state.principal, 'main.users.edit'),
      notice: done ? t(NOTICES[done]!, lang) : null,
      ...form,
    }, { status, breadcrumbs: [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }] });
  }

  /** The tree with heads (people cards) and counts: own people, and with every sub-department. */
  async function chartOf(tree: DepartmentNode[], counts: Record<number, number>, view: ProfileView, viewerId?: number): Promise<ChartNode[]> {
    const headIds = new Set<number>();
    const collect = (nodes: DepartmentNode[]) => nodes.forEach((n) => (n.headUserId && headIds.add(n.headUserId), collect(n.children)));
    collect(tree);
    const heads = (await Promise.all([...headIds].map((id) => kernel.users.find(id)))).filter((u): u is User => !!u && u.active && u.employee);
    const cards = new Map((await personCards(kernel, heads, view, viewerId)).map((c) => [c.id, c]));
    const build = (n: DepartmentNode): ChartNode => {
      const children = n.children.map(build);
      const own = counts[n.id] ?? 0;
      return { ...n, head: n.headUserId ? cards.get(n.headUserId) ?? null : null, own, all: own + children.reduce((sum, c) => sum + c.all, 0), children };
    };
    return tree.map(build);
  }

  async function showForm(ctx: Ctx, department: Department, form: DepartmentForm, error: string | null = null, status = 200) {
    const lang = ctx.state.language;
    const below = new Set(await departments().withDescendants(department.id));
    const parents = (await departments().flat()).filter((d) => !below.has(d.id));
    const { items } = await kernel.users.list({ active: true, employee: true, order: 'name', limit: HEAD_CHOICES });
    const current = department.headUserId && !items.some((u) => u.id === department.headUserId) ? await kernel.users.find(department.headUserId) : null;
    const people = [...items, ...(current ? [current] : [])].map((u) => ({ id: u.id, label: [u.lastName, u.name].filter(Boolean).join(' ') || u.login, login: u.login }));
    const title = t('INTRANET_DEPARTMENT_EDIT_TITLE', lang, { NAME: department.name });
    await intranetPage(ctx, 'department-form', title, { department, form, parents, people, error, heading: title }, {
      status,
      breadcrumbs: [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }, { href: '/company/departments/', label: t('INTRANET_DEPARTMENTS', lang) }],
    });
  }

  async function showDelete(ctx: Ctx, department: Department, error: string | null = null, status = 200) {
    const lang = ctx.state.language;
    await intranetPage(ctx, 'department-delete', t('INTRANET_DEPARTMENT_DELETE', lang), { department, error }, {
      status,
      breadcrumbs: [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }, { href: '/company/departments/', label: t('INTRANET_DEPARTMENTS', lang) }],
    });
  }

  /** The error in the page's language. */
  function readable(err: PortalError, lang: string): string {
    switch (err.code) {
      case 'DEPARTMENT_NAME_INVALID':
        return t('INTRANET_ERR_DEPARTMENT_NAME', lang);
      case 'DEPARTMENT_MOVE_INVALID':
        return t('INTRANET_ERR_DEPARTMENT_MOVE', lang);
      case 'DEPARTMENT_NOT_FOUND':
        return t('INTRANET_ERR_DEPARTMENTID', lang);
      case 'DEPARTMENT_NOT_EMPTY': {
        const people = Number(err.details?.people ?? 0);
        const children = Number(err.details?.children ?? 0);
        const peopleKeys = ['INTRANET_N_PEOPLE_ONE', 'INTRANET_N_PEOPLE_FEW', 'INTRANET_N_PEOPLE_MANY'] as const;
        const childrenKeys = ['INTRANET_N_CHILDREN_ONE', 'INTRANET_N_CHILDREN_FEW', 'INTRANET_N_CHILDREN_MANY'] as const;
        return t('INTRANET_ERR_DEPARTMENT_NOT_EMPTY', lang, { PEOPLE: counted(peopleKeys, people, lang), CHILDREN: counted(childrenKeys, children, lang) });
      }
      case 'USER_FIELD_INVALID':
        if (err.details?.field === 'headUserId') return t('INTRANET_ERR_DEPARTMENT_HEAD', lang);
        if (err.details?.field === 'sort') return t('INTRANET_ERR_SORT', lang);
        return err.message;
      default:
        return err.message;
    }
  }

  /** "3 people" / "3 сотрудника": the count with the plural form of the language. */
  function counted(keys: readonly [string, string, string], n: number, lang: string): string {
    const key = lang === 'ru' ? plural(n, ...keys) : n === 1 ? keys[0] : keys[2];
    return t(key, lang, { N: n });
  }
}

function formOf(d: Department): DepartmentForm {
  return { name: d.name, parentId: d.parentId ? String(d.parentId) : '', headUserId: d.headUserId ? String(d.headUserId) : '', sort: String(d.sort) };
}

/** A 4xx to show on the form; anything else goes to the error page. */
function clientError(err: unknown): PortalError {
  if (isPortalError(err) && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403) return err;
  throw err;
}
