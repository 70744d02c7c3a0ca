import type { ModuleRouter } from '../../../core/modules/types.js';
import { done, formError, intId, query, str } from '../../../core/http/admin-forms.js';
import { ibErrors } from '../errors.js';
import { PROPERTY_TYPES, type Property } from '../types.js';
import { intField } from './fields.js';
import { demand, type Ctx, type IbKit, type IblockScreen } from './kit.js';
import { BLANK_ROWS, blankRow, defaultOf, enumsOf, propertyFormOf, readPropertyForm, typeOf, type PropertyForm } from './property-form.js';
import { datesFor } from '../../../core/time/date-format.js';

const base = (s: IblockScreen) => `/admin/infoblocks/${s.iblock.id}/properties/`;

/** /admin/infoblocks/:ib/properties/: list, add (every type, enum values), edit (type, code and multiple fixed), delete. */
export function propertyRoutes(router: ModuleRouter, kit: IbKit): void {
  const P = '/admin/infoblocks/:ib/properties/';

  router.get(P, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    const properties = await kit.api().properties.list(ctx.state.principal, screen.iblock.id);
    await kit.render(ctx, 'properties', kit.t(ctx, 'IBA_PROPERTIES_OF', { NAME: screen.iblock.name }), { ib: screen, tab: 'properties', properties }, 200, { breadcrumbs: kit.crumbs(ctx, screen.iblock) });
  });

  router.get(`${P}new/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    demand(screen.can.full);
    const type = (PROPERTY_TYPES as readonly string[]).includes(query(ctx, 'type')) ? query(ctx, 'type') : 'string';
    await renderForm(kit, ctx, screen, null, {
      code: '', name: '', type, multiple: false, required: false, searchable: false, filterable: false, sort: '500', defaultValue: '', linkIblockId: '', xmlId: '',
      enums: Array.from({ length: BLANK_ROWS }, blankRow),
    });
  });

  router.post(`${P}new/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    const form = readPropertyForm(ctx.request.body);
    if (str(ctx.request.body, 'more')) return renderForm(kit, ctx, screen, null, withMoreRows(form));
    try {
      const type = typeOf(form.type);
      await kit.api().properties.add(ctx.state.principal, screen.iblock.id, {
        code: form.code, type, multiple: form.multiple, ...flagsOf(form), defaultValue: defaultOf(form, type, datesFor(ctx.state)),
        ...(type === 'list' ? { enums: enumsOf(form) } : {}),
      });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, screen, null, form, e.message, e.status);
    }
    done(ctx, base(screen), 'created');
  });

  router.get(`${P}:pid/`, kit.view, async (ctx) => {
    const { screen, property } = await load(kit, ctx);
    await renderForm(kit, ctx, screen, property, { ...propertyFormOf(property, datesFor(ctx.state)), enums: [...propertyFormOf(property, datesFor(ctx.state)).enums, ...Array.from({ length: BLANK_ROWS }, blankRow)] });
  });

  router.post(`${P}:pid/`, kit.view, async (ctx) => {
    const { screen, property } = await load(kit, ctx);
    const form = { ...readPropertyForm(ctx.request.body), code: property.code, type: property.type, multiple: property.multiple };
    if (str(ctx.request.body, 'more')) return renderForm(kit, ctx, screen, property, withMoreRows(form));
    try {
      await kit.api().properties.update(ctx.state.principal, screen.iblock.id, property.id, {
        ...flagsOf(form), defaultValue: defaultOf(form, property.type, datesFor(ctx.state)), ...(property.type === 'list' ? { enums: enumsOf(form) } : {}),
      });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, screen, property, form, e.message, e.status);
    }
    done(ctx, `${base(screen)}${property.id}/`, 'saved');
  });

  router.get(`${P}:pid/delete/`, kit.view, async (ctx) => {
    const { screen, property } = await load(kit, ctx);
    demand(screen.can.full);
    const heading = kit.t(ctx, 'IBA_PROPERTY_DELETE_TITLE', { NAME: property.name });
    await kit.confirmDelete(ctx, {
      heading,
      message: kit.t(ctx, 'IBA_PROPERTY_DELETE_TEXT', { NAME: property.name, CODE: property.code }),
      action: `${base(screen)}${property.id}/delete/`,
      cancel: `${base(screen)}${property.id}/`,
      iblock: screen.iblock,
    });
  });

  router.post(`${P}:pid/delete/`, kit.view, async (ctx) => {
    const { screen, property } = await load(kit, ctx);
    await kit.api().properties.delete(ctx.state.principal, screen.iblock.id, property.id);
    done(ctx, base(screen), 'deleted');
  });
}

async function load(kit: IbKit, ctx: Ctx): Promise<{ screen: IblockScreen; property: Property }> {
  const screen = await kit.screen(ctx);
  const pid = intId(ctx.params.pid, 'property');
  const property = (await kit.api().properties.list(ctx.state.principal, screen.iblock.id)).find((p) => p.id === pid);
  if (!property) throw ibErrors.PROPERTY_NOT_FOUND(`${pid} of infoblock ${screen.iblock.id}`);
  return { screen, property };
}

function flagsOf(form: PropertyForm) {
  return {
    name: form.name, required: form.required, searchable: form.searchable, filterable: form.filterable, sort: intField(form.sort, 'sort'),
    xmlId: form.xmlId || null, linkIblockId: form.linkIblockId ? intField(form.linkIblockId, 'linkIblockId') : null,
  };
}

function withMoreRows(form: PropertyForm): PropertyForm {
  return { ...form, enums: [...form.enums, ...Array.from({ length: BLANK_ROWS }, blankRow)] };
}

async function renderForm(kit: IbKit, ctx: Ctx, screen: IblockScreen, property: Property | null, form: PropertyForm, error: string | null = null, status = 200): Promise<void> {
  const title = property ? kit.t(ctx, 'IBA_PROPERTY_EDIT', { NAME: property.name }) : kit.t(ctx, 'IBA_PROPERTY_NEW');
  const iblocks = await kit.api().iblocks.list(ctx.state.principal);
  await kit.render(ctx, 'property-form', title, {
    heading: title,
    ib: screen,
    tab: 'properties',
    property,
    form,
    error,
    types: PROPERTY_TYPES.map((t) => ({ value: t, label: kit.t(ctx, `IBA_PTYPE_${t.toUpperCase()}`) })),
    iblocks: iblocks.map((b) => ({ id: b.id, name: b.name })),
  }, status, { breadcrumbs: kit.crumbs(ctx, screen.iblock) });
}
