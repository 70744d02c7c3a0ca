import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { ADMIN, alertText, assertCsrfRequired, page, startForumAdminEnv, submit, type ForumAdminEnv } from './admin-harness.js';
import { makeForum } from './setup.js';

describeEachDb('forum admin: the permissions matrix', (kind) => {
  let env: ForumAdminEnv;
  let forum: number;
  let other: number;
  const g = (code: string) => env.people.groups.get(code)!;

  before(async function () {
    this.timeout(60_000);
    env = await startForumAdminEnv(kind);
    forum = await makeForum(env.t.kernel, env.people, 'Announcements');
    other = await makeForum(env.t.kernel, env.people, 'Other');
  });
  after(async () => env?.close());

  it('shows every forum × group with its level, and a denied cell stops a reader over HTTP', async () => {
    const reader = await env.as('reader');
    assert.equal((await reader.get(`/api/v1/forum/forums/${forum}/topics`)).status, 200, 'the reader may read first');
    assert.equal((await reader.get(`/forum/${forum}/`)).status, 200);

    const matrix = await page(env.admin, '/admin/forum/permissions/');
    assert.equal(matrix.status, 200);
    const cell = (f: number, group: string) => new RegExp(`<select name="level_${f}_${g(group)}"[^>]*>[\\s\\S]*?<option value="([A-Z])" selected>`).exec(matrix.html)?.[1];
    assert.deepEqual([cell(forum, 'forum_readers'), cell(forum, 'forum_mods'), cell(forum, 'registered'), cell(forum, 'forum_outsiders')], ['E', 'Q', 'M', 'A']);

    const saved = await submit(env.admin, '/admin/forum/permissions/', {
      site: 's1',
      [`level_${forum}_${g('forum_readers')}`]: 'A',
      [`level_${forum}_${g('registered')}`]: 'A',
      [`level_${forum}_${g('forum_outsiders')}`]: 'I',
      [`level_${other}_${g('forum_readers')}`]: 'Y',
    });
    assert.deepEqual([saved.status, saved.location], [302, '/admin/forum/permissions/?site=s1&done=saved']);
    const levels = await env.api.forums.permissions(ADMIN, forum);
    assert.deepEqual([levels.get(g('forum_readers')), levels.get(g('registered')), levels.get(g('forum_outsiders')), levels.get(g('forum_mods'))], [undefined, undefined, 'I', 'Q'], 'deny is no entry');
    assert.equal((await env.api.forums.permissions(ADMIN, other)).get(g('forum_readers')), 'Y');

    const denied = await reader.get(`/api/v1/forum/forums/${forum}/topics`);
    assert.equal(denied.status, 403, 'the change applies at once');
    assert.equal((await reader.get(`/forum/${forum}/`)).status, 403);
    assert.doesNotMatch(await (await reader.get('/forum/')).text(), /Announcements/, 'the forum is no longer listed for the reader');
    const outsider = await env.as('outsider');
    assert.equal((await outsider.get(`/api/v1/forum/forums/${forum}/topics`)).status, 200, 'the outsider got reply');
    assert.match((await page(env.admin, '/admin/forum/permissions/')).html, new RegExp(`name="level_${forum}_${g('forum_outsiders')}"[^>]*>[\\s\\S]*?<option value="I" selected>`));
  });

  it('refuses a bad cell, a missing group or forum, and a post without CSRF, saving none of the cells', async () => {
    const before = await env.api.forums.permissions(ADMIN, other);
    const bad = await submit(env.admin, '/admin/forum/permissions/', { site: 's1', [`level_${other}_${g('forum_mods')}`]: 'A', [`level_${other}_${g('registered')}`]: 'Z' });
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /"Z" is not a forum permission|&quot;Z&quot; is not a forum permission/);
    assert.match(bad.html, new RegExp(`name="level_${other}_${g('forum_mods')}"[^>]*>[\\s\\S]*?<option value="A" selected>`), 'the form shows what was posted');
    const noGroup = await submit(env.admin, '/admin/forum/permissions/', { site: 's1', [`level_${other}_${g('forum_mods')}`]: 'A', [`level_${other}_999999`]: 'E' });
    assert.equal(noGroup.status, 404);
    assert.match(alertText(noGroup.html), /Group 999999 does not exist/);
    const noForum = await submit(env.admin, '/admin/forum/permissions/', { site: 's1', [`level_${other}_${g('forum_mods')}`]: 'A', [`level_999999_${g('forum_mods')}`]: 'E' });
    assert.equal(noForum.status, 404);
    await assertCsrfRequired(env.admin, '/admin/forum/permissions/', { site: 's1', [`level_${other}_${g('forum_mods')}`]: 'A' });
    assert.deepEqual([...(await env.api.forums.permissions(ADMIN, other))].sort(), [...before].sort(), 'nothing changed');
    assert.equal((await submit(env.viewer, '/admin/forum/permissions/', { site: 's1', [`level_${other}_${g('forum_mods')}`]: 'A' })).status, 403);
    assert.equal((await env.api.forums.permissions(ADMIN, other)).get(g('forum_mods')), 'Q');
  });
});
