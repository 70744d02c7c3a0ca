import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { POINTS } from '../../modules/forum/profiles.js';
import { ADMIN, PASSWORD, forumPeople, makeForum, makePrivateForum, type ForumPeople } from './setup.js';

describeEachDb('forum topic moves, splits and merges', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let p: ForumPeople;
  const who = (login: string): Principal => p.principals.get(login)!;
  const api = () => t.kernel.api('forum');
  const mod = () => who('mod');

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  /** The stored counters of a forum, and what they should be counted from its rows. */
  async function forumState(id: number) {
    const f = await api().forums.get(mod(), id);
    return { topics: f.topicCount, messages: f.messageCount, lastMessageId: f.lastMessageId, lastTopicId: f.lastTopicId };
  }

  async function topicWith(forumId: number, title: string, replies: number) {
    const { topic, message } = await api().createTopic(who('ann'), { forumId, title, body: `${title} start` });
    const ids = [message.id];
    for (let i = 1; i <= replies; i++) ids.push((await api().reply(who(i % 2 ? 'bob' : 'ann'), { topicId: topic.id, body: `${title} ${i}` })).id);
    return { topicId: topic.id, ids };
  }

  it('moves a topic to another forum: both forums count it right and show the right last post', async () => {
    const a = await makeForum(t.kernel, p, 'Move from');
    const b = await makeForum(t.kernel, p, 'Move to');
    const there = await topicWith(b, 'There', 0);
    const stays = await topicWith(a, 'Stays', 1);
    const moves = await topicWith(a, 'Moves', 2);
    assert.deepEqual(await forumState(a), { topics: 2, messages: 5, lastMessageId: moves.ids.at(-1), lastTopicId: moves.topicId });
    const moved = await api().moveTopic(mod(), moves.topicId, b);
    assert.equal(moved.forumId, b);
    assert.deepEqual(await forumState(a), { topics: 1, messages: 2, lastMessageId: stays.ids.at(-1), lastTopicId: stays.topicId });
    assert.deepEqual(await forumState(b), { topics: 2, messages: 4, lastMessageId: moves.ids.at(-1), lastTopicId: moves.topicId });
    assert.deepEqual((await api().topics(who('bob'), b)).items.map((x) => x.id).sort(), [moves.topicId, there.topicId].sort());
    assert.ok((await api().messages(who('bob'), moves.topicId)).items.every((m) => m.forumId === b), 'messages follow');
    assert.equal((await api().search(who('bob'), 'Moves')).every((h) => h.message.forumId === b), true);
    await assert.rejects(api().moveTopic(mod(), moves.topicId, b), { code: 'FORUM_MOVE_SAME_FORUM' });
    await assert.rejects(api().moveTopic(mod(), moves.topicId, 999999), { code: 'FORUM_NOT_FOUND' });
    await assert.rejects(api().moveTopic(mod(), 999999, a), { code: 'FORUM_TOPIC_NOT_FOUND' });
  });

  it('needs moderate on both the source and the target forum', async () => {
    const a = await makeForum(t.kernel, p, 'Rights from');
    const priv = await makePrivateForum(t.kernel, p, 'Rights private');
    const { topicId } = await topicWith(a, 'Guarded', 0);
    await assert.rejects(api().moveTopic(who('ann'), topicId, priv), { code: 'ACCESS_DENIED' });
    await assert.rejects(api().splitTopic(who('ann'), topicId, { messageIds: [1], title: 'x' }), { code: 'ACCESS_DENIED' });
    const outsiderTarget = await makePrivateForum(t.kernel, p, 'Mod lacks Q here');
    const inTarget = (await api().createTopic(mod(), { forumId: outsiderTarget, title: 'T', body: 'b' })).topic.id;
    await api().forums.setPermission(ADMIN, outsiderTarget, p.groups.get('forum_mods')!, 'E');
    await assert.rejects(api().moveTopic(mod(), topicId, outsiderTarget), { code: 'ACCESS_DENIED' }, 'Q in the source is not enough');
    const other = await topicWith(a, 'Other', 0);
    await assert.rejects(api().mergeTopic(mod(), other.topicId, inTarget), { code: 'ACCESS_DENIED' });
    assert.equal((await api().topic(mod(), topicId)).forumId, a, 'nothing moved');
  });

  it('splits replies off into a new topic: both topics and the forum recount, the earliest becomes the first message', async () => {
    const f = await makeForum(t.kernel, p, 'Split');
    const { topicId, ids } = await topicWith(f, 'Long', 4);
    const bobBefore = await api().profiles.profile(p.ids.get('bob')!);
    const made = await api().splitTopic(mod(), topicId, { messageIds: [ids[3]!, ids[1]!], title: 'Split off' });
    assert.equal(made.forumId, f);
    assert.equal(made.title, 'Split off');
    assert.equal(made.authorId, p.ids.get('bob'), 'the author of the earliest split message');
    assert.equal(made.replyCount, 1);
    assert.equal(made.lastMessageId, ids[3]);
    const newMsgs = (await api().messages(who('ann'), made.id)).items;
    assert.deepEqual(newMsgs.map((m) => [m.id, m.isFirst]), [[ids[1], true], [ids[3], false]]);
    const old = await api().topic(who('ann'), topicId);
    assert.equal(old.replyCount, 2);
    assert.equal(old.lastMessageId, ids[4]);
    assert.deepEqual((await api().messages(who('ann'), topicId)).items.map((m) => m.id), [ids[0], ids[2], ids[4]]);
    const fs = await forumState(f);
    assert.deepEqual([fs.topics, fs.messages], [2, 5]);
    assert.deepEqual((await api().search(who('ann'), 'Split off')).map((h) => [h.message.id, h.topicTitle]), [[ids[1], 'Split off']], 'the new first message is found by the new title');
    const bobAfter = await api().profiles.profile(p.ids.get('bob')!);
    assert.deepEqual([bobAfter.postCount, bobAfter.points], [bobBefore.postCount, bobBefore.points + POINTS.topic - POINTS.reply], 'a reply turned first message earns a topic\'s points');
    await assert.rejects(api().splitTopic(mod(), topicId, { messageIds: [ids[0]!], title: 'x' }), { code: 'FORUM_SPLIT_FIRST' });
    await assert.rejects(api().splitTopic(mod(), topicId, { messageIds: [ids[1]!], title: 'x' }), { code: 'FORUM_SPLIT_FOREIGN' }, 'it left already');
    await assert.rejects(api().splitTopic(mod(), topicId, { messageIds: [], title: 'x' }), { code: 'FORUM_SPLIT_NOTHING' });
    await assert.rejects(api().splitTopic(mod(), topicId, { messageIds: [ids[2]!], title: ' ' }), { code: 'FORUM_TITLE_REQUIRED' });
  });

  it('merges a topic into another: messages join in id order, the source is gone, subscriptions follow, counters right', async () => {
    const f = await makeForum(t.kernel, p, 'Merge from');
    const g = await makeForum(t.kernel, p, 'Merge into');
    const src = await topicWith(f, 'Source', 2);
    const dst = await topicWith(g, 'Target', 1);
    await api().subscribe(who('bob'), { topicId: src.topicId });
    await api().subscribe(who('reader'), { topicId: src.topicId });
    await api().subscribe(who('reader'), { topicId: dst.topicId });
    const merged = await api().mergeTopic(mod(), src.topicId, dst.topicId);
    assert.equal(merged.id, dst.topicId);
    assert.equal(merged.replyCount, 4);
    assert.equal(merged.lastMessageId, Math.max(...src.ids, ...dst.ids));
    const msgs = (await api().messages(who('bob'), dst.topicId)).items;
    assert.deepEqual(msgs.map((m) => m.id), [...src.ids, ...dst.ids].sort((a, b) => a - b));
    assert.deepEqual(msgs.filter((m) => m.isFirst).map((m) => m.id), [dst.ids[0]]);
    await assert.rejects(api().topic(who('bob'), src.topicId), { code: 'FORUM_TOPIC_NOT_FOUND' });
    assert.deepEqual([(await forumState(f)).topics, (await forumState(f)).messages, (await forumState(f)).lastMessageId], [0, 0, null]);
    assert.deepEqual([(await forumState(g)).topics, (await forumState(g)).messages], [1, 5]);
    assert.ok((await api().subscriptions(who('bob'))).some((s) => s.topicId === dst.topicId), 'bob now follows the target');
    assert.equal((await api().subscriptions(who('reader'))).filter((s) => s.topicId === dst.topicId).length, 1, 'no duplicate');
    await assert.rejects(api().mergeTopic(mod(), dst.topicId, dst.topicId), { code: 'FORUM_MERGE_SAME_TOPIC' });
  });

  it('a reply at the same moment as a move is counted in exactly one forum', async () => {
    const a = await makeForum(t.kernel, p, 'Race from');
    const b = await makeForum(t.kernel, p, 'Race to');
    const { topicId } = await topicWith(a, 'Racing', 0);
    const other = await topicWith(a, 'Neighbour', 0);
    const [move, ...replies] = await Promise.allSettled([
      api().moveTopic(mod(), topicId, b),
      ...[1, 2, 3].map((i) => api().reply(who('bob'), { topicId, body: `r${i}` })),
      ...[1, 2].map((i) => api().reply(who('ann'), { topicId: other.topicId, body: `n${i}` })),
    ]);
    assert.equal(move.status, 'fulfilled');
    for (const r of replies) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'FORUM_TOPIC_MOVED', String(r.reason));
    const racing = replies.slice(0, 3).filter((r) => r.status === 'fulfilled').length;
    assert.equal(replies.slice(3).filter((r) => r.status === 'fulfilled').length, 2, 'replies elsewhere in the forum all pass');
    assert.deepEqual([(await forumState(a)).topics, (await forumState(a)).messages], [1, 3]);
    assert.deepEqual([(await forumState(b)).topics, (await forumState(b)).messages], [1, 1 + racing]);
    assert.equal((await api().topic(mod(), topicId)).replyCount, racing);
    assert.ok((await api().messages(mod(), topicId)).items.every((m) => m.forumId === b), 'no reply kept the old forum');
  });

  it('over HTTP: REST with coded errors, and the moderator forms on the topic page (CSRF checked)', async () => {
    const a = await makeForum(t.kernel, p, 'HTTP from');
    const b = await makeForum(t.kernel, p, 'HTTP to');
    const { topicId, ids } = await topicWith(a, 'Over HTTP', 2);
    const modClient = new HttpClient(server.url);
    assert.ok((await modClient.signIn('mod', PASSWORD)).status < 400);
    const page = await (await modClient.get(`/forum/topic/${topicId}/`)).text();
    assert.match(page, new RegExp(`<form method="post" action="/forum/post/move/${topicId}/"`));
    assert.match(page, new RegExp(`<option value="${b}">HTTP to</option>`));
    assert.match(page, new RegExp(`form="forum-split" name="messages" value="${ids[1]}"`));
    const csrf = HttpClient.csrfFrom(page);
    const annClient = new HttpClient(server.url);
    assert.ok((await annClient.signIn('ann', PASSWORD)).status < 400);
    const annPage = await (await annClient.get(`/forum/topic/${topicId}/`)).text();
    assert.doesNotMatch(annPage, /forum-moderation/, 'no moderator controls for a writer');
    const annRest = await annClient.request('POST', `/api/v1/forum/topics/${topicId}/move`, { json: { forumId: b }, headers: { 'x-csrf-token': HttpClient.csrfFrom(annPage) } });
    assert.equal(annRest.status, 403);
    const bad = await modClient.request('POST', `/api/v1/forum/topics/${topicId}/move`, { json: { forumId: 'b' }, headers: { 'x-csrf-token': csrf } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    const same = await modClient.request('POST', `/api/v1/forum/topics/${topicId}/move`, { json: { forumId: a }, headers: { 'x-csrf-token': csrf } });
    assert.equal(((await same.json()) as { error: { code: string } }).error.code, 'FORUM_MOVE_SAME_FORUM');
    const split = await modClient.request('POST', `/api/v1/forum/topics/${topicId}/split`, { json: { messageIds: [ids[2]], title: 'REST split' }, headers: { 'x-csrf-token': csrf } });
    assert.equal(split.status, 201);
    const splitId = ((await split.json()) as { result: { id: number } }).result.id;
    const noToken = await modClient.post(`/forum/post/move/${topicId}/`, { forum: String(b) });
    assert.equal(noToken.status, 403);
    const moved = await modClient.post(`/forum/post/move/${topicId}/`, { _csrf: csrf, forum: String(b) });
    assert.equal(moved.status, 303);
    assert.equal((await api().topic(mod(), topicId)).forumId, b);
    const wrong = await modClient.post(`/forum/post/merge/${splitId}/`, { _csrf: csrf, target: 'abc' });
    assert.equal(wrong.status, 303, 'bad input goes back to the topic with a message');
    assert.match(await (await modClient.get(wrong.headers.get('location')!)).text(), /role="alert"[^>]*>The topic number must be a number/);
    const merged = await modClient.post(`/forum/post/merge/${splitId}/`, { _csrf: csrf, target: String(topicId) });
    assert.equal(merged.headers.get('location'), `/forum/topic/${topicId}/`);
    assert.equal((await api().topic(mod(), topicId)).replyCount, 2);
    const formSplit = await modClient.request('POST', `/forum/post/split/${topicId}/`, { form: { _csrf: csrf, title: 'Form split', messages: String(ids[1]) } });
    assert.equal(formSplit.status, 303);
    const to = formSplit.headers.get('location')!;
    assert.match(await (await modClient.get(to)).text(), /Form split/);
  });
});
