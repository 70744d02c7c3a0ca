import type { ModuleRouter } from '../../../core/modules/types.js';
import { done, str } from '../../../core/http/admin-forms.js';
import { FORUM_LEVELS, type ForumLevel } from '../levels.js';
import type { MatrixCell } from '../admin-api.js';
import { BASE, type Ctx, type ForumKit } from './kit.js';

const PATH = `${BASE}permissions/`;
const CELL = /^level_([1-9]\d{0,9})_([1-9]\d{0,9})$/;

/**
 * /admin/forum/permissions/: forums of a site × user groups, each cell a level (A deny … Y full access).
 * One POST saves every cell in one transaction; a bad cell saves nothing and shows the form again.
 */
export function permissionRoutes(router: ModuleRouter, kit: ForumKit): void {
  const manage = kit.change('forum.manage');

  router.get(PATH, ...manage, async (ctx) => {
    const { siteId } = await kit.site(ctx);
    await renderMatrix(kit, ctx, siteId);
  });

  router.post(PATH, ...manage, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const { siteId } = await kit.site(ctx, str(body, 'site'));
    const cells: MatrixCell[] = [];
    const posted = new Map<string, string>();
    for (const name of Object.keys(body)) {
      const m = CELL.exec(name);
      if (!m) continue;
      const value = str(body, name);
      posted.set(name, value);
      cells.push({ forumId: Number(m[1]), groupId: Number(m[2]), level: value as ForumLevel });
    }
    try {
      await kit.api().admin.setMatrix(ctx.state.principal, cells);
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderMatrix(kit, ctx, siteId, posted, e.message, e.status);
    }
    done(ctx, `${PATH}?site=${encodeURIComponent(siteId)}`, 'saved');
  });
}

async function renderMatrix(kit: ForumKit, ctx: Ctx, siteId: string, posted?: Map<string, string>, error: string | null = null, status = 200): Promise<void> {
  const { sites } = await kit.site(ctx);
  const { forums, levels } = await kit.api().admin.matrix(ctx.state.principal, siteId);
  // Administrators have full access everywhere whatever their cells say, so they get no column.
  const groups = (await kit.kernel.groups.list()).filter((g) => g.code !== 'administrators').map((g) => ({ id: g.id, code: g.code, name: g.name }));
  // What each select shows: the posted value after an error, else the stored level (no entry: A).
  const cell = (forumId: number, groupId: number): string => posted?.get(`level_${forumId}_${groupId}`) ?? levels.get(forumId)?.get(groupId) ?? 'A';
  const rows = forums.map((f) => ({ forum: f, cells: groups.map((g) => ({ name: `level_${f.id}_${g.id}`, group: g, value: cell(f.id, g.id) })) }));
  await kit.render(ctx, 'permissions', kit.t(ctx, 'FORUMA_PERMISSIONS'), { siteId, sites, groups, rows, levels: FORUM_LEVELS, error }, status, { breadcrumbs: kit.crumbs(ctx) });
}
