import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { requireRight } from '../../../../core/http/guards.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { intranetPage } from './render.js';
import { allowPageCache } from '../../../../core/http/page-cache.js';
import { USERS_TAG } from '../../../../core/users/user-service.js';
import { DEPARTMENTS_TAG } from '../../../../core/users/department-service.js';
import { personCards } from './people.js';
import { FULL_VIEW, profileViewFor, searchScope, viewOf } from './visibility.js';
import { datesFor } from '../../../../core/time/date-format.js';
import { pageParam, paginate, urlWith } from './paging.js';

/** The default of the `directory_page_size` option ("Employees per page in the directory"). */
export const DIRECTORY_PAGE_SIZE = 20;
/** Optional instant search; the page works the same without it. */
const DIRECTORY_SCRIPT = '/assets/templates/.default/directory.js';
const ID = /^[1-9][0-9]{0,9}$/;

/** The site's "Employees per page in the directory" (whole, 1 to 200; the declared default otherwise). */
async function directoryPageSize(kernel: ModuleContext['kernel'], siteId: string): Promise<number> {
  const n = Number(await kernel.options.get<number>('main', 'directory_page_size', siteId));
  return Number.isFinite(n) ? Math.min(200, Math.max(1, Math.trunc(n))) : DIRECTORY_PAGE_SIZE;
}

/** The employee directory: search, department filter, paging; a page per colleague (the structure: departments.ts). */
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
    const sees = await profileViewFor(kernel, ctx.state.principal, ctx.state.site.id);
    const perPage = await directoryPageSize(kernel, ctx.state.site.id);
    const query = { search: q || undefined, searchAlso: searchScope(sees), departmentIds, active: true, employee: true, order: 'name' as const, limit: perPage };
    // The list is read from the database: the page depends on every user and department (for the page cache).
    await kernel.cache.dependOn(USERS_TAG, DEPARTMENTS_TAG);
    const { items, total } = await kernel.users.list({ ...query, offset: (current - 1) * perPage });
    const keep = { q, department: dept, view: view === 'table' ? 'table' : undefined };
    const pagination = paginate(total, current, perPage, (n) => urlWith('/company/', { ...keep, page: n }));
    // Past the last page (e.g. after people left): go to the last one.
    if (items.length === 0 && total > 0) return ctx.redirect(urlWith('/company/', { ...keep, page: pagination.pages }));
    // The same for everyone with the viewer's groups, unless the viewer's own card (seen whole) is on it.
    if (sees === FULL_VIEW || !items.some((u) => u.id === ctx.state.user?.id)) allowPageCache(ctx);
    await intranetPage(ctx, 'company', t('INTRANET_DIRECTORY', lang), {
      q,
      department,
      departments: await kernel.users.departments.flat(),
      view,
      people: await personCards(kernel, items, sees, ctx.state.user?.id),
      fields: sees,
      total,
      pagination,
      viewHref: (v: string) => urlWith('/company/', { ...keep, view: v === 'table' ? 'table' : undefined, page: current }),
    }, { breadcrumbs: department ? [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }] : [], js: [DIRECTORY_SCRIPT] });
  });

  router.get('/company/:id/', guard, async (ctx) => {
    const lang = ctx.state.language;
    const raw = ctx.params.id ?? '';
    const user = ID.test(raw) ? await kernel.users.find(Number(raw)) : null;
    if (!user || !user.active || !user.employee) throw coreErrors.NOT_FOUND(t('INTRANET_USER_UNKNOWN', lang));
    const sees = await profileViewFor(kernel, ctx.state.principal, ctx.state.site.id);
    const [person] = await personCards(kernel, [user], sees, ctx.state.user?.id);
    // Everything on it is read through the cache (the user, departments, options, rights); one's own page is one's own.
    if (ctx.state.user?.id !== user.id) allowPageCache(ctx);
    const crumbs = [{ href: '/company/', label: t('INTRANET_DIRECTORY', lang) }];
    if (person!.departmentId) crumbs.push({ href: `/company/?department=${person!.departmentId}`, label: person!.department });
    await intranetPage(ctx, 'user', person!.name, {
      person,
      birthdayText: person!.birthdayDay ? datesFor(ctx.state).day(person!.birthdayDay) : '',
      fields: viewOf(sees, ctx.state.user?.id, user.id),
      isMe: ctx.state.user?.id === user.id,
    }, { breadcrumbs: crumbs });
  });
}
