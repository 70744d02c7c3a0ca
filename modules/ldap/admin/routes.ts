import type { ParameterizedContext } from 'koa';
import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { adminKit } from '../../../core/http/admin-kit.js';
import { checked, done, formError, intId, pageNumber, pager, query, str } from '../../../core/http/admin-forms.js';
import type { PortalState } from '../../../core/http/state.js';
import { isPortalError, type PortalError } from '../../../core/errors/portal-error.js';
import { MANAGE, type TestResult } from '../api.js';
import type { LdapServer, SyncRun } from '../server-types.js';
import { directoryCause, ldapErrorText, runMessageText } from './error-text.js';
import { ATTRIBUTE_FIELDS, blankForm, formOf, inputOf, readForm, type ServerForm } from './form.js';

type Ctx = ParameterizedContext<PortalState>;
const LIST = '/admin/ldap/';
const RUNS = '/admin/ldap/runs/';
const RUNS_PER_PAGE = 30;

/** Admin screens: servers (add, edit, test, sync, remove), the group mapping editor and the sync log. */
export function ldapAdminRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const kit = adminKit(kernel, 'ldap', { notices: { mapped: { key: 'LDAP_SAVED', kind: 'ok' } } });
  const manage = kit.change(MANAGE);
  const api = () => kernel.api('ldap');
  const crumbs = (ctx: Ctx) => [{ href: LIST, label: kit.t(ctx, 'LDAP_SERVERS') }];

  const renderForm = async (ctx: Ctx, server: LdapServer | null, form: ServerForm, extra: { error?: string | null; result?: { ok: boolean; text: string } | null; status?: number } = {}) => {
    const principal = ctx.state.principal;
    const title = server ? `${kit.t(ctx, 'LDAP_SERVER')} ${server.code}` : kit.t(ctx, 'LDAP_NEW_SERVER');
    const maps = server ? await api().groupMaps(principal, server.id) : [];
    const groups = await kernel.groups.list();
    await kit.render(ctx, 'admin/server-form', title, {
      heading: title, server, form, maps, groups: groups.filter((g) => g.code !== 'everyone' && g.code !== 'registered'),
      groupName: new Map(groups.map((g) => [g.id, g.name])), attributeFields: ATTRIBUTE_FIELDS, error: extra.error ?? null, result: extra.result ?? null,
    }, extra.status ?? 200, { breadcrumbs: crumbs(ctx) });
  };
  const message = (ctx: Ctx, err: PortalError) => ldapErrorText(kernel.i18n, err, ctx.state.language);
  /** Why a test failed: the directory's own text stays as it wrote it; the rest in the page's language. */
  const testFailure = (ctx: Ctx, r: TestResult) => {
    if (ctx.state.language !== 'ru') return r.message;
    return r.code === 'LDAP_PASSWORD_EMPTY' ? kit.t(ctx, 'ERR_LDAP_PASSWORD_EMPTY') : kit.t(ctx, 'LDAP_DIRECTORY_SAID', { CAUSE: directoryCause(kernel.i18n, r.cause ?? r.message, r.resultCode, 'ru') });
  };
  const serverOf = (ctx: Ctx) => api().getServer(ctx.state.principal, intId(ctx.params.id, 'LDAP server'));

  router.get(LIST, ...manage, async (ctx) => {
    await kit.render(ctx, 'admin/servers', kit.t(ctx, 'LDAP_SERVERS'), { servers: await api().listServers(ctx.state.principal) });
  });

  router.get(RUNS, ...manage, async (ctx) => {
    const principal = ctx.state.principal;
    const servers = await api().listServers(principal);
    const wanted = query(ctx, 'server');
    const server = servers.find((s) => String(s.id) === wanted);
    const pageNo = pageNumber(ctx);
    const { items, total } = await api().runs(principal, { serverId: server?.id, limit: RUNS_PER_PAGE, offset: (pageNo - 1) * RUNS_PER_PAGE });
    await kit.render(ctx, 'admin/runs', kit.t(ctx, 'LDAP_SYNC_LOG'), {
      runs: items, runMessage: (r: SyncRun) => runMessageText(kernel.i18n, r, ctx.state.language), servers, server: server ?? null, codes: new Map(servers.map((s) => [s.id, s.code])), pager: pager(ctx, total, RUNS_PER_PAGE, pageNo),
    }, 200, { breadcrumbs: crumbs(ctx) });
  });

  router.get(`${LIST}new/`, ...manage, async (ctx) => renderForm(ctx, null, blankForm()));

  router.post(LIST, ...manage, async (ctx) => {
    const form = readForm(ctx.request.body);
    let created: LdapServer;
    try {
      created = await api().addServer(ctx.state.principal, inputOf(form, true));
    } catch (err) {
      const e = formError(err);
      return renderForm(ctx, null, form, { error: message(ctx, e), status: e.status });
    }
    done(ctx, `${LIST}${created.id}/`, 'created');
  });

  router.get(`${LIST}:id/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    await renderForm(ctx, server, formOf(server));
  });

  router.post(`${LIST}:id/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    const form = { ...readForm(ctx.request.body), code: server.code };
    try {
      await api().updateServer(ctx.state.principal, server.id, inputOf(form, false));
    } catch (err) {
      const e = formError(err);
      return renderForm(ctx, server, form, { error: message(ctx, e), status: e.status });
    }
    done(ctx, `${LIST}${server.id}/`, 'saved');
  });

  router.post(`${LIST}:id/test/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    const r = await api().testServer(ctx.state.principal, server.id);
    const text = r.ok
      ? kit.t(ctx, 'LDAP_TEST_OK', { URL: server.url, BIND: server.bindDn || kit.t(ctx, 'LDAP_ANONYMOUS'), SAMPLE: r.sample.join(', ') || '—' })
      : kit.t(ctx, 'LDAP_TEST_FAILED', { MESSAGE: testFailure(ctx, r) });
    await renderForm(ctx, server, formOf(server), { result: { ok: r.ok, text } });
  });

  router.post(`${LIST}:id/sync/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    let result: { ok: boolean; text: string };
    try {
      const run = await api().sync(ctx.state.principal, server.id, { trigger: 'admin', dryRun: checked(ctx.request.body, 'dryRun') });
      result = { ok: true, text: kit.t(ctx, 'LDAP_SYNC_DONE', { CREATED: run.created, UPDATED: run.updated, DISABLED: run.disabled, UNCHANGED: run.unchanged, ERRORS: run.errors }) + (run.dryRun ? ` (${kit.t(ctx, 'LDAP_DRY_RUN')})` : '') };
    } catch (err) {
      if (!isPortalError(err) || !err.code.startsWith('LDAP_')) throw err;
      result = { ok: false, text: kit.t(ctx, 'LDAP_SYNC_FAILED', { MESSAGE: message(ctx, err) }) };
    }
    await renderForm(ctx, server, formOf(server), { result, status: result.ok ? 200 : 502 });
  });

  router.post(`${LIST}:id/maps/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    const body = ctx.request.body;
    const ban = checked(body, 'ban');
    const group = str(body, 'groupId').trim();
    try {
      await api().addGroupMap(ctx.state.principal, server.id, { ldapGroup: str(body, 'ldapGroup'), ban, groupId: ban || !group ? null : intId(group, 'group') });
    } catch (err) {
      const e = formError(err);
      return renderForm(ctx, server, formOf(server), { error: message(ctx, e), status: e.status });
    }
    done(ctx, `${LIST}${server.id}/#maps`, 'mapped');
  });

  router.post(`${LIST}:id/maps/:map/delete/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    await api().removeGroupMap(ctx.state.principal, server.id, intId(ctx.params.map, 'group mapping'));
    done(ctx, `${LIST}${server.id}/#maps`, 'deleted');
  });

  router.get(`${LIST}:id/delete/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    const heading = `${kit.t(ctx, 'LDAP_REMOVE_SERVER')} ${server.code}`;
    await kit.render(ctx, '@admin/confirm', heading, {
      heading, message: kit.t(ctx, 'LDAP_REMOVE_CONFIRM', { NAME: server.name }), action: `${LIST}${server.id}/delete/`, cancel: `${LIST}${server.id}/`, button: kit.t(ctx, 'ADM_DELETE'), error: null,
    }, 200, { breadcrumbs: crumbs(ctx) });
  });

  router.post(`${LIST}:id/delete/`, ...manage, async (ctx) => {
    const server = await serverOf(ctx);
    await api().removeServer(ctx.state.principal, server.id);
    done(ctx, LIST, 'deleted');
  });

}
