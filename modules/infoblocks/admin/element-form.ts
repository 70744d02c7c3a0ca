import type { ModuleRouter } from '../../../core/modules/types.js';
import { done, formError, intId, query } from '../../../core/http/admin-forms.js';
import { formatBytes } from '../../../core/files/file-errors.js';
import { sniffImageFile } from '../../../core/files/image-type.js';
import { discardUploads, parseMultipart, type UploadedFile } from '../../../core/files/parse-upload.js';
import { ibErrors } from '../errors.js';
import type { Element, Property } from '../types.js';
import { choicesOf, fileInfos } from './element-choices.js';
import { blankState, fieldOf, inputOf, readPosted, stateOf, type ElementFormState, type StoredUploads } from './element-values.js';
import { demand, type Ctx, type IbKit, type IblockScreen } from './kit.js';
import { sectionOptions } from './sections.js';
import { datesFor } from '../../../core/time/date-format.js';

/** Blank inputs offered under the values of a multiple property (the script adds more on request). */
const EXTRA_INPUTS = 2;
const base = (s: IblockScreen) => `/admin/infoblocks/${s.iblock.id}/elements/`;

/** /admin/infoblocks/:ib/elements/new/ and /:eid/: the element form for every property type (multipart, with uploads); delete. */
export function elementFormRoutes(router: ModuleRouter, kit: IbKit): void {
  const E = '/admin/infoblocks/:ib/elements/';

  router.get(`${E}new/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    demand(screen.can.add);
    const properties = await kit.api().properties.list(ctx.state.principal, screen.iblock.id);
    const state = blankState(properties, datesFor(ctx.state));
    if (/^\d+$/.test(query(ctx, 'section'))) state.sectionIds = [query(ctx, 'section')];
    await renderForm(kit, ctx, screen, null, properties, state);
  });

  router.post(`${E}new/`, kit.view, async (ctx) => save(kit, ctx, await kit.screen(ctx), null));

  router.get(`${E}:eid/`, kit.view, async (ctx) => {
    const { screen, element } = await load(kit, ctx);
    const properties = await kit.api().properties.list(ctx.state.principal, screen.iblock.id);
    await renderForm(kit, ctx, screen, element, properties, await stateOf(kit.kernel, element, properties, datesFor(ctx.state)));
  });

  router.post(`${E}:eid/`, kit.view, async (ctx) => {
    const { screen, element } = await load(kit, ctx);
    await save(kit, ctx, screen, element);
  });

  router.get(`${E}:eid/delete/`, kit.view, async (ctx) => {
    const { screen, element } = await load(kit, ctx);
    demand(screen.can.write);
    const heading = kit.t(ctx, 'IBA_ELEMENT_DELETE_TITLE', { NAME: element.name });
    await kit.confirmDelete(ctx, {
      heading,
      message: kit.t(ctx, 'IBA_ELEMENT_DELETE_TEXT', { NAME: element.name }),
      action: `${base(screen)}${element.id}/delete/`,
      cancel: `${base(screen)}${element.id}/`,
      iblock: screen.iblock,
    });
  });

  router.post(`${E}:eid/delete/`, kit.view, async (ctx) => {
    const { screen, element } = await load(kit, ctx);
    await kit.api().elements.delete(ctx.state.principal, element.id);
    done(ctx, base(screen), 'deleted');
  });
}

async function load(kit: IbKit, ctx: Ctx): Promise<{ screen: IblockScreen; element: Element }> {
  const screen = await kit.screen(ctx);
  const eid = intId(ctx.params.eid, 'element');
  const element = await kit.api().elements.get(ctx.state.principal, eid);
  if (element.iblockId !== screen.iblock.id) throw ibErrors.ELEMENT_NOT_FOUND(`${eid} in infoblock ${screen.iblock.id}`);
  return { screen, element };
}

/**
 * Reads the multipart form (uploads within the kernel's size limit), checks it, stores the
 * new files, then adds or updates through the API. On any error the new files are removed
 * and the form comes back with what was typed.
 */
async function save(kit: IbKit, ctx: Ctx, screen: IblockScreen, current: Element | null): Promise<void> {
  demand(mayEdit(ctx, screen, current)); // before anything is stored; the API decides again
  const properties = await kit.api().properties.list(ctx.state.principal, screen.iblock.id);
  let files: UploadedFile[] = [];
  const dates = datesFor(ctx.state);
  let state: ElementFormState = current ? await stateOf(kit.kernel, current, properties, dates) : blankState(properties, dates);
  const stored: number[] = [];
  try {
    const upload = await parseMultipart(ctx as never, { maxBytes: kit.kernel.config.security.uploadMaxBytes, maxFiles: 50, maxFields: 2000, maxFieldBytes: 4 * 1024 * 1024 });
    files = upload.files;
    state = readPosted(bodyOf(upload.values), properties, current);
    await inputOf(kit.kernel, state, properties, new Map(), dates); // the typed values first: no file is stored for a form that fails anyway
    const uploads = await storeUploads(kit, ctx, files, properties, stored);
    const input = await inputOf(kit.kernel, state, properties, uploads, dates);
    const element = current
      ? await kit.api().elements.update(ctx.state.principal, current.id, input)
      : await kit.api().elements.add(ctx.state.principal, screen.iblock.id, input);
    done(ctx, `${base(screen)}${element.id}/`, current ? 'saved' : 'created');
  } catch (err) {
    await Promise.all(stored.map((id) => kit.kernel.files.delete(id).catch(() => undefined)));
    const e = formError(err);
    const field = e.details?.property ?? e.details?.field;
    await renderForm(kit, ctx, screen, current, properties, state, { message: e.message, status: e.status, field: typeof field === 'string' ? field : null });
  } finally {
    await discardUploads(files);
  }
}

/** W edits every element, U adds elements and edits its own (as the API rules). */
function mayEdit(ctx: Ctx, screen: IblockScreen, element: Element | null): boolean {
  if (!element) return screen.can.add;
  return screen.can.write || (screen.can.add && element.createdBy !== null && element.createdBy === ctx.state.user?.id);
}

/** Multipart values as a parsed form body: one value a string, repeated ones a list. */
function bodyOf(values: Record<string, string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/** Stores the uploads of known file fields; pictures must really be images. */
async function storeUploads(kit: IbKit, ctx: Ctx, files: UploadedFile[], properties: Property[], stored: number[]): Promise<StoredUploads> {
  const fileFields = new Set(properties.filter((p) => p.type === 'file').map(fieldOf));
  const out: StoredUploads = new Map();
  for (const f of files) {
    const picture = f.field === 'previewPicture' || f.field === 'detailPicture';
    if (!picture && !fileFields.has(f.field)) continue;
    let mimeType = f.mimeType;
    if (picture) {
      const type = await sniffImageFile(f.tmpPath);
      if (!type) throw ibErrors.ELEMENT_INPUT_INVALID(kit.t(ctx, 'IBA_PICTURE_NOT_IMAGE', { NAME: f.name.slice(0, 100) }), { field: f.field });
      mimeType = type;
    }
    const file = await kit.kernel.files.save({ module: 'infoblocks', name: f.name, mimeType, path: f.tmpPath, createdBy: ctx.state.user?.id ?? null });
    stored.push(file.id);
    out.set(f.field, [...(out.get(f.field) ?? []), file.id]);
  }
  return out;
}

interface Failure {
  message: string;
  status: number;
  /** The property code or field the error names, marked aria-invalid. */
  field: string | null;
}

async function renderForm(kit: IbKit, ctx: Ctx, screen: IblockScreen, element: Element | null, properties: Property[], state: ElementFormState, failure?: Failure): Promise<void> {
  const principal = ctx.state.principal;
  const sections = screen.iblock.sectionsEnabled ? await kit.api().sections.list(principal, screen.iblock.id) : [];
  const fileIds = [state.previewPicture, state.detailPicture, ...properties.filter((p) => p.type === 'file').flatMap((p) => state.props[p.code]!.map(Number))];
  const title = element ? kit.t(ctx, 'IBA_ELEMENT_EDIT', { NAME: element.name }) : kit.t(ctx, 'IBA_ELEMENT_NEW');
  const canSave = mayEdit(ctx, screen, element);
  await kit.render(ctx, 'element-form', title, {
    heading: title,
    ib: screen,
    tab: 'elements',
    element,
    properties,
    state,
    error: failure?.message ?? null,
    errorField: failure?.field ?? null,
    canSave,
    action: element ? `${base(screen)}${element.id}/` : `${base(screen)}new/`,
    choices: await choicesOf(kit.kernel, principal, properties),
    files: await fileInfos(kit.kernel, fileIds, ctx.state.language),
    sections: sectionOptions(sections),
    users: properties.some((p) => p.type === 'user') ? (await kit.kernel.users.list({ limit: 200 })).items.map((u) => ({ login: u.login, name: [u.name, u.lastName].filter(Boolean).join(' ') })) : [],
    extraInputs: EXTRA_INPUTS,
    maxUpload: formatBytes(kit.kernel.config.security.uploadMaxBytes, ctx.state.language),
  }, failure?.status ?? 200, { breadcrumbs: kit.crumbs(ctx, screen.iblock) });
}
