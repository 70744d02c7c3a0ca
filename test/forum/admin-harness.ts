import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import forumModule from '../../modules/forum/module.js';
import type { ForumApi } from '../../modules/forum/api.js';
import type { DbKind } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { startAdminEnv, type AdminEnv } from '../admin/harness.js';
import { PASSWORD, forumPeople, type ForumPeople } from './setup.js';

export { ADMIN } from './setup.js';
export { alertText, assertCsrfRequired, assertDenied, page, submit } from '../admin/harness.js';

/**
 * The admin test portal (boss the administrator, vera who opens the admin area, ivan) with the forum installed and
 * the forum suites' people (ann, bob, mod in forum_mods, reader in forum_readers, outsider).
 */
export interface ForumAdminEnv extends AdminEnv {
  api: ForumApi;
  people: ForumPeople;
  /** A client signed in as one of the forum people. */
  as(login: string): Promise<HttpClient>;
}

export async function startForumAdminEnv(kind: DbKind): Promise<ForumAdminEnv> {
  const env = await startAdminEnv(kind, { definitions: [mainModule, forumModule] });
  await env.t.kernel.modules.install('forum');
  const people = await forumPeople(env.t.kernel);
  const as = async (login: string) => {
    const c = new HttpClient(env.server.url);
    assert.equal((await c.signIn(login, PASSWORD)).status, 302, `${login} signs in`);
    return c;
  };
  return Object.assign(env, { api: env.t.kernel.api('forum'), people, as });
}

/** The forum ids in the order an admin list page links them (/admin/forum/<id>/). */
export function linkedForums(html: string): number[] {
  return [...html.matchAll(/href="\/admin\/forum\/(\d+)\/"/g)].map((m) => Number(m[1])).filter((v, i, a) => a.indexOf(v) === i);
}
