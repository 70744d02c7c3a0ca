import type { ModuleRouter } from '../../../core/modules/types.js';
import { checked, done, formError, intId, str } from '../../../core/http/admin-forms.js';
import type { IblockType } from '../types.js';
import { intField } from './fields.js';
import type { Ctx, IbKit } from './kit.js';

interface TypeForm {
  code: string;
  en: string;
  ru: string;
  sort: string;
  sections: boolean;
}

const BLANK: TypeForm = { code: '', en: '', ru: '', sort: '500', sections: true };
const LIST = '/admin/infoblocks/types/';

/** /admin/infoblocks/types/: list, add, rename (en/ru), delete (refused while infoblocks use the type). */
export function typeRoutes(router: ModuleRouter, kit: IbKit): void {
  router.get(LIST, kit.view, (ctx) => renderList(kit, ctx, BLANK));

  router.post(LIST, kit.view, async (ctx) => {
    const form = readForm(ctx.request.body);
    try {
      await kit.api().iblocks.addType(ctx.state.principal, { code: form.code, names: { en: form.en, ru: form.ru }, sort: intField(form.sort, 'sort'), sections: form.sections });
    } catch (err) {
      const e = formError(err);
      return renderList(kit, ctx, form, e.message, e.status);
    }
    done(ctx, LIST, 'created');
  });

  router.get(`${LIST}:id/`, kit.view, async (ctx) => {
    const type = await kit.api().types.get(intId(ctx.params.id, 'infoblock type'));
    await renderForm(kit, ctx, type, formOf(type));
  });

  router.post(`${LIST}:id/`, kit.view, async (ctx) => {
    const type = await kit.api().types.get(intId(ctx.params.id, 'infoblock type'));
    const form = { ...readForm(ctx.request.body), code: type.code };
    try {
      await kit.api().types.update(ctx.state.principal, type.id, { names: { en: form.en, ru: form.ru }, sort: intField(form.sort, 'sort'), sections: form.sections });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, type, form, e.message, e.status);
    }
    done(ctx, `${LIST}${type.id}/`, 'saved');
  });

  router.get(`${LIST}:id/delete/`, kit.view, async (ctx) => {
    await renderDelete(kit, ctx, await kit.api().types.get(intId(ctx.params.id, 'infoblock type')));
  });

  router.post(`${LIST}:id/delete/`, kit.view, async (ctx) => {
    const type = await kit.api().types.get(intId(ctx.params.id, 'infoblock type'));
    try {
      await kit.api().iblocks.deleteType(ctx.state.principal, type.id);
    } catch (err) {
      const e = formError(err);
      const message = e.code === 'IBLOCK_TYPE_IN_USE' ? kit.t(ctx, 'IBA_TYPE_IN_USE', { NAME: type.code }) : e.message;
      return renderDelete(kit, ctx, type, message, e.status);
    }
    done(ctx, LIST, 'deleted');
  });
}

function readForm(body: unknown): TypeForm {
  return { code: str(body, 'code').trim(), en: str(body, 'nameEn'), ru: str(body, 'nameRu'), sort: str(body, 'sort').trim(), sections: checked(body, 'sections') };
}

function formOf(type: IblockType): TypeForm {
  return { code: type.code, en: type.names.en, ru: type.names.ru, sort: String(type.sort), sections: type.sections };
}

async function renderList(kit: IbKit, ctx: Ctx, form: TypeForm, error: string | null = null, status = 200): Promise<void> {
  const principal = ctx.state.principal;
  const types = await kit.api().iblocks.listTypes();
  const iblocks = await kit.api().iblocks.list(principal);
  const rows = types.map((t) => ({ ...t, count: iblocks.filter((b) => b.typeId === t.id).length }));
  await kit.render(ctx, 'types', kit.t(ctx, 'IBA_TYPES'), { types: rows, form, error, canManage: await kit.can(ctx, 'infoblocks.manage') }, status, { breadcrumbs: kit.crumbs(ctx) });
}

async function renderForm(kit: IbKit, ctx: Ctx, type: IblockType, form: TypeForm, error: string | null = null, status = 200): Promise<void> {
  const title = kit.t(ctx, 'IBA_TYPE_EDIT', { NAME: type.code });
  await kit.render(ctx, 'type-form', title, { heading: title, type, form, error, canManage: await kit.can(ctx, 'infoblocks.manage') }, status, {
    breadcrumbs: [...kit.crumbs(ctx), { href: LIST, label: kit.t(ctx, 'IBA_TYPES') }],
  });
}

function renderDelete(kit: IbKit, ctx: Ctx, type: IblockType, error: string | null = null, status = 200): Promise<void> {
  const heading = kit.t(ctx, 'IBA_TYPE_DELETE_TITLE', { NAME: type.code });
  return kit.confirmDelete(ctx, {
    heading,
    message: kit.t(ctx, 'IBA_TYPE_DELETE_TEXT', { NAME: type.code }),
    action: `${LIST}${type.id}/delete/`,
    cancel: `${LIST}${type.id}/`,
    error,
    status,
  });
}
