import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import type { Group } from '../../../../core/services.js';
import { done, formError, intId, str, type AdminKit, type Ctx } from './http.js';

interface GroupForm {
  code: string;
  name: string;
  description: string;
}

/** /admin/groups/: list, create, rename, delete (system groups are protected). */
export function groupRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  const edit = kit.change('main.users.edit');

  router.get('/admin/groups/', kit.view, (ctx) => renderList(kit, ctx));

  router.get('/admin/groups/new/', kit.view, (ctx) => renderForm(kit, ctx, null, { code: '', name: '', description: '' }));

  router.post('/admin/groups/new/', ...edit, async (ctx) => {
    const form = readForm(ctx.request.body);
    let group: Group;
    try {
      group = await kernel.groups.create(form);
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, null, form, e.message, e.status);
    }
    done(ctx, `/admin/groups/${group.id}/`, 'created');
  });

  router.get('/admin/groups/:id/', kit.view, async (ctx) => {
    const group = await kernel.groups.get(intId(ctx.params.id, 'group'));
    await renderForm(kit, ctx, group, group);
  });

  router.post('/admin/groups/:id/', ...edit, async (ctx) => {
    const group = await kernel.groups.get(intId(ctx.params.id, 'group'));
    const form = { ...readForm(ctx.request.body), code: group.code };
    try {
      await kernel.groups.update(group.id, { name: form.name, description: form.description });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, group, form, e.message, e.status);
    }
    done(ctx, `/admin/groups/${group.id}/`, 'saved');
  });

  router.get('/admin/groups/:id/delete/', kit.view, async (ctx) => {
    const group = await kernel.groups.get(intId(ctx.params.id, 'group'));
    await renderDelete(kit, ctx, group);
  });

  router.post('/admin/groups/:id/delete/', ...edit, async (ctx) => {
    const group = await kernel.groups.get(intId(ctx.params.id, 'group'));
    try {
      await kernel.groups.delete(group.id);
    } catch (err) {
      const e = formError(err);
      return renderDelete(kit, ctx, group, e.message, e.status);
    }
    done(ctx, '/admin/groups/', 'deleted');
  });
}

function readForm(body: unknown): GroupForm {
  return { code: str(body, 'code').trim(), name: str(body, 'name'), description: str(body, 'description') };
}

async function renderList(kit: AdminKit, ctx: Ctx): Promise<void> {
  const groups = await kit.kernel.groups.list();
  const rows = await Promise.all(groups.map(async (g) => ({ ...g, members: (await kit.kernel.groups.members(g.id)).length })));
  await kit.render(ctx, 'groups', kit.t(ctx, 'ADM_GROUPS'), { groups: rows, canEdit: await kit.can(ctx, 'main.users.edit') });
}

async function renderForm(kit: AdminKit, ctx: Ctx, group: Group | null, form: GroupForm, error: string | null = null, status = 200): Promise<void> {
  const title = group ? kit.t(ctx, 'ADM_GROUP_EDIT', { NAME: group.name }) : kit.t(ctx, 'ADM_GROUP_NEW');
  await kit.render(ctx, 'group-form', title, { heading: title, editing: group, form, error, canEdit: await kit.can(ctx, 'main.users.edit') }, status);
}

function renderDelete(kit: AdminKit, ctx: Ctx, group: Group, error: string | null = null, status = 200): Promise<void> {
  const heading = kit.t(ctx, 'ADM_GROUP_DELETE_TITLE', { NAME: group.name });
  return kit.render(ctx, '@admin/confirm', heading, {
    heading,
    message: kit.t(ctx, 'ADM_GROUP_DELETE_TEXT', { NAME: group.name }),
    action: `/admin/groups/${group.id}/delete/`,
    button: kit.t(ctx, 'ADM_DELETE'),
    cancel: `/admin/groups/${group.id}/`,
    error,
  }, status);
}
