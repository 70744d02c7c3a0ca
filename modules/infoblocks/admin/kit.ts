import type { ParameterizedContext } from 'koa';
import type { Kernel } from '../../../core/kernel.js';
import { adminKit, type AdminPageExtras } from '../../../core/http/admin-kit.js';
import { intId } from '../../../core/http/admin-forms.js';
import { coreErrors } from '../../../core/errors/codes.js';
import type { PortalState } from '../../../core/http/state.js';
import type { Breadcrumb } from '../../../core/menus/types.js';
import { rank } from '../access.js';
import type { Iblock, IblockLevel } from '../types.js';

export type Ctx = ParameterizedContext<PortalState>;

const CSS = '/assets/modules/infoblocks/admin.css';
const JS = '/assets/modules/infoblocks/admin.js';

/** The infoblock a screen works on, with what the signed-in user may do there. */
export interface IblockScreen {
  iblock: Iblock;
  level: IblockLevel;
  /** U: add and edit own elements (saved inactive); W: elements and sections; X: settings, properties, rights. */
  can: { add: boolean; write: boolean; full: boolean };
}

export type IbKit = ReturnType<typeof ibAdminKit>;

/** The kernel's admin kit for the infoblocks screens, with the module API and the current infoblock. */
export function ibAdminKit(kernel: Kernel) {
  const kit = adminKit(kernel, 'infoblocks', {
    notices: {
      activated: { key: 'IBA_DONE_ACTIVATED', kind: 'ok' },
      deactivated: { key: 'IBA_DONE_DEACTIVATED', kind: 'ok' },
    },
  });
  const api = () => kernel.api('infoblocks');
  /** Renders views/admin/<view>.eta (or a shared @admin/ view) with the module's stylesheet and script. */
  const render = (ctx: Ctx, view: string, title: string, data: Record<string, unknown> = {}, status = 200, extras: AdminPageExtras = {}): Promise<void> =>
    kit.render(ctx, view.startsWith('@') ? view : `admin/${view}`, title, data, status, { css: [CSS], js: [JS], ...extras });
  return {
    ...kit,
    api,
    render,
    /** The infoblock named by :ib (404 when missing, 403 without R) and the user's level on it. */
    async screen(ctx: Ctx): Promise<IblockScreen> {
      const id = intId(ctx.params.ib, 'infoblock');
      const iblock = await api().iblocks.get(ctx.state.principal, id);
      const level = await api().iblocks.levelOf(ctx.state.principal, id);
      return { iblock, level, can: { add: rank(level) >= rank('U'), write: rank(level) >= rank('W'), full: level === 'X' } };
    },
    /** A "Delete …?" page (the shared @admin/confirm view) with the infoblock's crumbs. */
    confirmDelete(ctx: Ctx, page: DeletePage): Promise<void> {
      const { heading, iblock, status = 200, ...rest } = page;
      return render(ctx, '@admin/confirm', heading, { heading, button: kit.t(ctx, 'ADM_DELETE'), error: null, ...rest }, status, { breadcrumbs: crumbsOf(ctx, iblock) });
    },
    /** Crumbs from the infoblock list to the infoblock's elements. */
    crumbs: (ctx: Ctx, iblock?: Iblock): Breadcrumb[] => crumbsOf(ctx, iblock),
  };

  function crumbsOf(ctx: Ctx, iblock?: Iblock): Breadcrumb[] {
    const list = { href: '/admin/infoblocks/', label: kit.t(ctx, 'IBA_INFOBLOCKS') };
    return iblock ? [list, { href: `/admin/infoblocks/${iblock.id}/elements/`, label: iblock.name }] : [list];
  }
}

export interface DeletePage {
  heading: string;
  message: string;
  /** Where the confirmed POST goes, and where "Cancel" leads. */
  action: string;
  cancel: string;
  /** Names of what goes, listed under the message. */
  items?: string[];
  /** Extra hidden fields as [name, value] pairs. */
  hidden?: [string, string][];
  error?: string | null;
  status?: number;
  iblock?: Iblock;
}

/** ACCESS_DENIED unless the level allows it (the API checks again on every write). */
export function demand(allowed: boolean): void {
  if (!allowed) throw coreErrors.ACCESS_DENIED();
}
