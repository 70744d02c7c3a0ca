import assert from 'node:assert/strict';
import type { ForumLevel } from '../../modules/forum/levels.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { ADMIN, alertText, assertCsrfRequired, assertDenied, page, startForumAdminEnv, submit, type ForumAdminEnv } from './admin-harness.js';
import { makeForum } from './setup.js';

describeEachDb('forum admin: the moderation queue', (kind) => {
  let env: ForumAdminEnv;
  let moderated: number;
  let elsewhere: number;
  const who = (login: string) => env.people.principals.get(login)!;

  before(async function () {
    this.timeout(60_000);
    env = await startForumAdminEnv(kind);
    moderated = await makeForum(env.t.kernel, env.people, 'Moderated', { premoderation: true });
    // mod only writes here (M through "registered"): its pending posts are not his to see.
    const levels = new Map<number, ForumLevel>([[env.people.groups.get('registered')!, 'M']]);
    elsewhere = (await env.api.forums.create(ADMIN, { name: 'Elsewhere', premoderation: true, permissions: levels })).id;
  });
  after(async () => env?.close());

  it('lists only the pending posts of the forums the moderator moderates, linked to their topics', async () => {
    const { topic, message } = await env.api.createTopic(who('ann'), { forumId: moderated, title: 'Waiting topic', body: 'please [b]approve[/b]' });
    const hidden = await env.api.createTopic(who('bob'), { forumId: elsewhere, title: 'Not for mod', body: 'x' });
    assert.equal(message.approved, false);
    const mod = await env.as('mod');
    const queue = await page(mod, '/admin/forum/moderation/');
    assert.equal(queue.status, 200, 'a moderator opens the queue without the rest of the admin area');
    assert.match(queue.html, /href="\/admin\/forum\/moderation\/" aria-current="page"/, 'and finds it in the side menu');
    assert.doesNotMatch(queue.html, /href="\/admin\/users\/"/, 'but no other admin screen');
    assert.match(queue.html, new RegExp(`<a href="/forum/topic/${topic.id}/#message-${message.id}">Waiting topic</a>`));
    assert.match(queue.html, /please <strong>approve<\/strong>/);
    assert.doesNotMatch(queue.html, /Not for mod/);
    assert.doesNotMatch(queue.html, /Elsewhere/, 'only forums he moderates are offered');
    assert.match((await page(env.admin, '/admin/forum/moderation/')).html, /Not for mod/, 'the administrator moderates everywhere');
    assert.match((await page(env.admin, `/admin/forum/moderation/?forum=${moderated}`)).html, /Waiting topic/);
    assert.doesNotMatch((await page(env.admin, `/admin/forum/moderation/?forum=${moderated}`)).html, /Not for mod/);
    await env.api.deleteMessage(ADMIN, message.id);
    await env.api.deleteMessage(ADMIN, hidden.message.id);
  });

  it('approves one post: the author\'s topic and reply become visible to another reader', async () => {
    const { topic, message } = await env.api.createTopic(who('ann'), { forumId: moderated, title: 'Approve me', body: 'first' });
    const bob = await env.as('bob');
    assert.equal((await bob.get(`/api/v1/forum/topics/${topic.id}`)).status, 404, 'bob does not see it yet');
    const mod = await env.as('mod');
    const done = await submit(mod, '/admin/forum/moderation/', { approve: String(message.id), forum: '' });
    assert.deepEqual([done.status, done.location], [302, '/admin/forum/moderation/?done=approved']);
    assert.match((await page(mod, done.location!)).html, /Approved: readers see the posts now/);
    assert.equal((await bob.get(`/api/v1/forum/topics/${topic.id}`)).status, 200);
    assert.match(await (await bob.get(`/forum/topic/${topic.id}/`)).text(), /first/);
    assert.equal((await env.api.forums.get(ADMIN, moderated)).topicCount, 1, 'it counts now');
  });

  it('approves and deletes in bulk with checkboxes, checking every id before touching any', async () => {
    const { topic } = await env.api.createTopic(who('mod'), { forumId: moderated, title: 'Bulk', body: 'by a moderator, approved at once' });
    const r1 = await env.api.reply(who('ann'), { topicId: topic.id, body: 'reply one' });
    const r2 = await env.api.reply(who('bob'), { topicId: topic.id, body: 'reply two' });
    const r3 = await env.api.reply(who('ann'), { topicId: topic.id, body: 'reply three' });
    const foreign = await env.api.createTopic(who('bob'), { forumId: elsewhere, title: 'Foreign', body: 'f' });
    assert.deepEqual([r1.approved, r2.approved, r3.approved], [false, false, false]);
    const mod = await env.as('mod');

    // One id from a forum he does not moderate: refused as a whole, nothing deleted.
    const mixed = await submit(mod, '/admin/forum/moderation/', { action: 'delete', ids: [String(r1.id), String(foreign.message.id)] });
    assert.equal(mixed.status, 403);
    assert.equal((await env.api.message(ADMIN, r1.id)).deletedAt, null);

    const removed = await submit(mod, '/admin/forum/moderation/', { action: 'delete', ids: [String(r1.id), String(r2.id)] });
    assert.deepEqual([removed.status, removed.location], [302, '/admin/forum/moderation/?done=removed']);
    assert.ok((await env.api.message(ADMIN, r1.id)).deletedAt && (await env.api.message(ADMIN, r2.id)).deletedAt, 'both are deleted (softly)');
    const queue = await page(mod, '/admin/forum/moderation/');
    assert.doesNotMatch(queue.html, /reply one|reply two/);
    assert.match(queue.html, /reply three/);

    const stale = await submit(mod, '/admin/forum/moderation/', { action: 'approve', ids: [String(r3.id), String(r1.id)] });
    assert.equal(stale.status, 409, 'a deleted post is not pending any more');
    assert.match(alertText(stale.html), new RegExp(`Message ${r1.id} is not waiting`));
    assert.equal((await env.api.message(ADMIN, r3.id)).approved, false, 'and the other one was not approved either');

    const none = await submit(mod, '/admin/forum/moderation/', { action: 'approve' });
    assert.equal(none.status, 400);
    assert.match(alertText(none.html), /Select at least one message/);
    const approved = await submit(mod, '/admin/forum/moderation/', { action: 'approve', ids: [String(r3.id)] });
    assert.equal(approved.status, 302);
    const ann = await env.as('bob');
    const list = (await (await ann.get(`/api/v1/forum/topics/${topic.id}/messages`)).json()) as { result: { source: string }[] };
    assert.deepEqual(list.result.map((m) => m.source), ['by a moderator, approved at once', 'reply three']);
    await assertCsrfRequired(mod, '/admin/forum/moderation/', { action: 'approve', ids: String(foreign.message.id) });
  });

  it('is refused to someone who moderates nothing; the admin area sees an empty queue', async () => {
    await assertDenied(env, env.user, 'GET', '/admin/forum/moderation/');
    const bob = await env.as('bob');
    const pending = await env.api.createTopic(who('ann'), { forumId: moderated, title: 'Not bob', body: 'b' });
    assert.equal((await submit(bob, '/admin/forum/moderation/', { approve: String(pending.message.id) })).status, 403);
    assert.equal((await env.api.message(ADMIN, pending.message.id)).approved, false);
    const viewer = await page(env.viewer, '/admin/forum/moderation/');
    assert.equal(viewer.status, 200);
    assert.match(viewer.html, /You moderate no forum/);
    assert.equal((await submit(env.viewer, '/admin/forum/moderation/', { approve: String(pending.message.id) })).status, 403);
    assert.equal((await env.api.message(ADMIN, pending.message.id)).approved, false);
  });
});
