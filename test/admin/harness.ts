import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import type { ModuleDefinition } from '../../core/modules/types.js';
import type { PortalConfigInput } from '../../core/config/types.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import type { DbKind } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

export const PASSWORD = 'correct horse 42';

/** A running portal with three signed-in clients: an administrator, a viewer and a plain user. */
export interface AdminEnv {
  t: TestKernel;
  server: RunningServer;
  /** boss: in "administrators". */
  admin: HttpClient;
  /** vera: level A of main (opens the admin area, changes nothing). */
  viewer: HttpClient;
  /** ivan: a registered user without the admin area. */
  user: HttpClient;
  close(): Promise<void>;
}

export async function startAdminEnv(kind: DbKind, opts: { definitions?: ModuleDefinition[]; overrides?: PortalConfigInput } = {}): Promise<AdminEnv> {
  const t = await bootTestKernel(kind, { definitions: opts.definitions ?? [mainModule], overrides: opts.overrides });
  const { kernel } = t;
  const admins = await kernel.groups.byCode('administrators');
  const viewers = await kernel.groups.create({ code: 'admin_viewers', name: 'Admin viewers' });
  await kernel.rights.setLevel('main', viewers.id, 'A');
  await kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id], name: 'Big', lastName: 'Boss' });
  await kernel.users.create({ login: 'vera', email: 'vera@example.com', password: PASSWORD, groupIds: [viewers.id], name: 'Vera' });
  await kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Ivan' });
  const server = await startServer(kernel, { host: '127.0.0.1', port: 0 });
  const signedIn = async (login: string) => {
    const c = new HttpClient(server.url);
    const res = await c.signIn(login, PASSWORD);
    assert.equal(res.status, 302, `${login} signs in`);
    return c;
  };
  return {
    t,
    server,
    admin: await signedIn('boss'),
    viewer: await signedIn('vera'),
    user: await signedIn('ivan'),
    close: async () => {
      await server.close();
      await t.close();
    },
  };
}

/** The CSRF token of the client's session (every page's layout carries one). */
export async function csrfOf(c: HttpClient): Promise<string> {
  return HttpClient.csrfFrom(await (await c.get('/profile/password/')).text());
}

/** GET a page and return status and HTML. */
export async function page(c: HttpClient, path: string): Promise<{ status: number; html: string; location: string | null }> {
  const res = await c.get(path);
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

/** POST a form with the session's CSRF token. */
export async function submit(c: HttpClient, path: string, form: Record<string, string | string[]> = {}): Promise<{ status: number; html: string; location: string | null }> {
  const body = new URLSearchParams();
  body.append('_csrf', await csrfOf(c));
  for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const res = await c.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

/** A 403 page for the client, with the denial written to the security log. */
export async function assertDenied(env: AdminEnv, c: HttpClient, method: 'GET' | 'POST', path: string, form: Record<string, string> = {}): Promise<void> {
  const res = method === 'GET' ? await page(c, path) : await submit(c, path, form);
  assert.equal(res.status, 403, `${method} ${path} is forbidden`);
  const log = await env.t.kernel.users.securityLog.list({ event: 'access.denied', limit: 20 });
  assert.ok(log.items.some((e) => e.details?.path === path.split('?')[0]), `denial of ${path} is in the security log`);
}

/** A POST without the CSRF token is refused with 403. */
export async function assertCsrfRequired(c: HttpClient, path: string, form: Record<string, string> = {}): Promise<void> {
  const res = await c.post(path, form);
  assert.equal(res.status, 403, `POST ${path} without CSRF token`);
  assert.match(await res.text(), /reload the page/);
}

/** The text of the role="alert" box on a page. */
export function alertText(html: string): string {
  const m = /role="alert">([\s\S]*?)<\/div>/.exec(html);
  assert.ok(m, 'the page shows a role="alert" message');
  return m[1]!.trim();
}
