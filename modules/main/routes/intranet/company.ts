import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { requireRight } from '../../../../core/http/guards.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { isPortalError } from '../../../../core/errors/portal-error.js';
import { field, type Ctx } from '../page.js';
import { intranetPage } from './render.js';
import { personCards } from './people.js';
import { datesFor } from '../../../../core/time/date-format.js';
import { pageParam, paginate, urlWith } from './paging.js';

export const DIRECTORY_PAGE_SIZE = 20;
/** Optional instant search; the page works the same without it. */
const DIRECTORY_SCRIPT = '/assets/templates/.default/directory.js';
const ID = /^[1-9][0-9]{0,9}$/;

/** The employee directory: search, department filter, paging; a page per colleague; the department tree. */
export function intranetCompanyRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const guard = requireRight(kernel, 'main.users.view');

  router.get('/company/', guard, async (ctx) => {
    const lang = ctx.state.language;
    const q = (typeof ctx.query.q === 'string' ? ctx.query.q : '').trim().slice(0, 100);
    const dept = typeof ctx.query.department === 'string' ? ctx.query.department : '';
    const view = ctx.query.view === 'table' ? 'table' : 'cards';
    if (dept !== '' && !ID.test(dept)) throw coreErrors.VALIDATION_FAILED(t('INTRANET_ERR_DEPARTMENTID', lang));
    const department = dept ? await kernel.users.departments.get(Number(dept)).catch(() => null) : null;
    if (dept && !department) throw coreErrors.NOT_FOUND(t('INTRANET_DEPARTMENT_UNKNOWN', lang));
    const current = pageParam(ctx.query.page);
    const departmentIds = department ? await kernel.users.departments.withDescendants(department.id) : undefined;
    const query = { search: q || undefined, departmentIds, active: true, order: 'name' as const, limit: DIRECTORY_PAGE_SIZE };
    const { items, total } = await kernel.users.list({ ...query, offset: (current - 1) * DIRECTORY_PAGE_SIZE });
    const keep = { q, department: dept, view: view === 'table' ? 'table' : undefined };
    const pagination = paginate(total, current, DIRECTORY_PAGE_SIZE, (n) => urlWith('/company/', { ...keep, page: n }));
    // Past the last page (e.g. after people left): go to the last one.
    if (items.length === 0 && total > 0) return ctx.redirect(urlWith('/company/', { ...keep, page: pagination.pages }));
    await intranetPage(ctx, 'company', t('INTRANET_DIRECTORY', lang), {
      q,
      department,
      departments: await kernel.users.departments.flat(),
      view,
      people: await personCards(kernel, items),
      total,
      pagination,
      viewHref: (v: string) => urlWith('/company/', { ...keep, view: v === 'table' ? 'table' : undefined, page: current }),
    }, { breadcrumbs: department ? [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }] : [], js: [DIRECTORY_SCRIPT] });
  });

  router.get('/company/departments/', guard, async (ctx) => {
    await showDepartments(ctx, { error: null, name: '', parentId: '' });
  });

  router.post('/company/departments/', requireRight(kernel, 'main.users.edit'), async (ctx) => {
    const name = field(ctx.request.body, 'name');
    const parent = field(ctx.request.body, 'parentId');
    try {
      if (parent !== '' && !ID.test(parent)) throw coreErrors.VALIDATION_FAILED(t('INTRANET_ERR_DEPARTMENTID', ctx.state.language));
      await kernel.users.departments.create({ name, parentId: parent ? Number(parent) : null });
      ctx.redirect('/company/departments/?created=1');
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      const message = err.code === 'DEPARTMENT_NAME_INVALID' ? t('INTRANET_ERR_DEPARTMENT_NAME', ctx.state.language) : err.message;
      await showDepartments(ctx, { error: message, name, parentId: parent }, err.status === 404 ? 400 : err.status);
    }
  });

  async function showDepartments(ctx: Ctx, form: { error: string | null; name: string; parentId: string }, status = 200) {
    const lang = ctx.state.language;
    const [tree, flat, counts] = await Promise.all([
      kernel.users.departments.tree(),
      kernel.users.departments.flat(),
      kernel.users.countByDepartment(),
    ]);
    await intranetPage(ctx, 'departments', t('INTRANET_DEPARTMENTS', lang), {
      tree,
      flat,
      counts,
      canEdit: await kernel.rights.can(ctx.state.principal, 'main.users.edit'),
      created: ctx.query.created === '1',
      ...form,
    }, { status, breadcrumbs: [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }] });
  }

  router.get('/company/:id/', guard, async (ctx) => {
    const lang = ctx.state.language;
    const raw = ctx.params.id ?? '';
    const user = ID.test(raw) ? await kernel.users.find(Number(raw)) : null;
    if (!user || !user.active) throw coreErrors.NOT_FOUND(t('INTRANET_USER_UNKNOWN', lang));
    const [person] = await personCards(kernel, [user]);
    const crumbs = [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }];
    if (person!.departmentId) crumbs.push({ href: `/company/?department=${person!.departmentId}`, label: person!.department });
    await intranetPage(ctx, 'user', person!.name, {
      person,
      birthdayText: user.birthday ? datesFor(ctx.state).day(user.birthday) : '',
      isMe: ctx.state.user?.id === user.id,
    }, { breadcrumbs: crumbs });
  });
}
