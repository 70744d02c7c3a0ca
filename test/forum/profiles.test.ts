import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { DEFAULT_RANKS } from '../../modules/forum/migrations/2026-12-03-11-add-profiles.js';
import { POINTS } from '../../modules/forum/profiles.js';
import { ADMIN, PASSWORD, forumPeople, makeForum, type ForumPeople } from './setup.js';

describeEachDb('forum profiles and ranks', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let p: ForumPeople;
  let forumId: number;
  const who = (login: string): Principal => p.principals.get(login)!;
  const api = () => t.kernel.api('forum');

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    forumId = await makeForum(t.kernel, p, 'Profiles');
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  async function newUser(login: string): Promise<Principal> {
    return t.kernel.users.principalOf(await t.kernel.users.create({ login, email: `${login}@example.com`, password: PASSWORD, name: login, lastName: 'P' }));
  }

  it('counts posts and points per author; a soft delete takes them back and a restore gives them again', async () => {
    const author = await newUser('counted');
    const { topic } = await api().createTopic(author, { forumId, title: 'Counting', body: 'first' });
    const r1 = await api().reply(author, { topicId: topic.id, body: 'two' });
    await api().reply(author, { topicId: topic.id, body: 'three' });
    const profile = () => api().profiles.profile(author.userId!);
    assert.deepEqual([(await profile()).postCount, (await profile()).points], [3, POINTS.topic + 2 * POINTS.reply]);
    await api().deleteMessage(who('mod'), r1.id);
    await api().deleteMessage(who('mod'), r1.id);
    assert.deepEqual([(await profile()).postCount, (await profile()).points], [2, POINTS.topic + POINTS.reply], 'deleting twice takes once');
    await api().restoreMessage(who('mod'), r1.id);
    await api().restoreMessage(who('mod'), r1.id);
    assert.deepEqual([(await profile()).postCount, (await profile()).points], [3, POINTS.topic + 2 * POINTS.reply]);
  });

  it('a premoderated post counts once a moderator approves it, not before', async () => {
    const premod = await makeForum(t.kernel, p, 'Premod profiles', { premoderation: true });
    const author = await newUser('waiting');
    const { message } = await api().createTopic(author, { forumId: premod, title: 'Wait', body: 'x' });
    assert.equal((await api().profiles.profile(author.userId!)).postCount, 0);
    await api().approveMessage(who('mod'), message.id);
    assert.equal((await api().profiles.profile(author.userId!)).postCount, 1);
  });

  it('deleting a whole forum takes its counted posts off their authors, and only those', async () => {
    const doomed = await makeForum(t.kernel, p, 'Doomed profiles', { premoderation: true });
    const author = await newUser('leaving');
    const elsewhere = await api().createTopic(author, { forumId, title: 'Stays', body: 'kept' });
    const { topic, message } = await api().createTopic(author, { forumId: doomed, title: 'Goes', body: 'first' });
    await api().approveMessage(who('mod'), message.id);
    const counted = await api().reply(author, { topicId: topic.id, body: 'second' });
    await api().approveMessage(who('mod'), counted.id);
    const removed = await api().reply(author, { topicId: topic.id, body: 'deleted' });
    await api().approveMessage(who('mod'), removed.id);
    await api().deleteMessage(who('mod'), removed.id);
    await api().reply(author, { topicId: topic.id, body: 'never approved' });
    const profile = () => api().profiles.profile(author.userId!);
    assert.deepEqual([(await profile()).postCount, (await profile()).points], [3, 2 * POINTS.topic + POINTS.reply]);
    await api().admin.deleteForum(ADMIN, doomed, { withTopics: true });
    assert.deepEqual([(await profile()).postCount, (await profile()).points], [1, POINTS.topic], 'what is left is the topic in the other forum');
    assert.equal((await api().topic(author, elsewhere.topic.id)).id, elsewhere.topic.id);
  });

  it('keeps the counts right under concurrent posting by several authors (atomic increments)', async () => {
    const { topic } = await api().createTopic(who('mod'), { forumId, title: 'Busy', body: 'go' });
    const authors = [await newUser('busy1'), await newUser('busy2'), await newUser('busy3')];
    await Promise.all(authors.flatMap((a) => [1, 2, 3, 4, 5, 6].map((i) => api().reply(a, { topicId: topic.id, body: `r${i}` }))));
    for (const a of authors) {
      const pr = await api().profiles.profile(a.userId!);
      assert.deepEqual([pr.postCount, pr.points], [6, 6 * POINTS.reply]);
    }
    assert.equal((await api().topic(who('ann'), topic.id)).replyCount, 18);
  });

  it('ranks: sensible defaults in en and ru, the highest one reached wins, managers replace them with validation', async () => {
    const ranks = await api().profiles.ranks();
    assert.deepEqual(ranks.map((r) => r.minPoints), DEFAULT_RANKS.map((r) => r.minPoints));
    assert.ok(ranks.every((r) => r.title.en && /[а-яё]/i.test(r.title.ru)), 'Russian titles are Russian');
    const author = await newUser('ranked');
    assert.equal((await api().profiles.profile(author.userId!, 'en')).rank, DEFAULT_RANKS[0]!.en);
    await api().profiles.award(ADMIN, author.userId!, 60);
    assert.equal((await api().profiles.profile(author.userId!, 'ru')).rank, DEFAULT_RANKS.filter((r) => r.minPoints <= 60).at(-1)!.ru);
    await assert.rejects(api().profiles.award(who('mod'), author.userId!, 5), { code: 'ACCESS_DENIED' });
    await assert.rejects(api().profiles.award(ADMIN, author.userId!, 1.5), { code: 'FORUM_POINTS_INVALID' });
    await assert.rejects(api().profiles.setRanks(who('mod'), [{ minPoints: 0, title: { en: 'A', ru: 'А' } }]), { code: 'ACCESS_DENIED' });
    await assert.rejects(api().profiles.setRanks(ADMIN, [{ minPoints: 0, title: { en: 'A', ru: '' } }]), { code: 'FORUM_RANKS_INVALID' });
    await assert.rejects(api().profiles.setRanks(ADMIN, [{ minPoints: 5, title: { en: 'A', ru: 'А' } }, { minPoints: 5, title: { en: 'B', ru: 'Б' } }]), { code: 'FORUM_RANKS_INVALID' });
    assert.equal((await api().profiles.ranks()).length, DEFAULT_RANKS.length, 'a refused table changes nothing');
    try {
      await api().profiles.setRanks(ADMIN, [{ minPoints: 0, title: { en: 'Rookie', ru: 'Салага' } }, { minPoints: 50, title: { en: 'Veteran', ru: 'Ветеран' } }]);
      assert.equal((await api().profiles.profile(author.userId!, 'en')).rank, 'Veteran');
      assert.equal((await api().profiles.profile(who('bob').userId!, 'ru')).rank, 'Салага');
    } finally {
      await api().profiles.setRanks(ADMIN, DEFAULT_RANKS.map((r) => ({ minPoints: r.minPoints, title: { en: r.en, ru: r.ru } })));
    }
  });

  it('the topic page shows the rank and the post count next to the author; REST gives profiles and ranks', async () => {
    const author = await newUser('shown');
    await api().profiles.award(ADMIN, author.userId!, 250);
    const { topic } = await api().createTopic(author, { forumId, title: 'Ranked page', body: 'hello' });
    const client = new HttpClient(server.url);
    assert.ok((await client.signIn('bob', PASSWORD)).status < 400);
    const html = await (await client.get(`/forum/topic/${topic.id}/`)).text();
    const expert = DEFAULT_RANKS.filter((r) => r.minPoints <= 250 + POINTS.topic).at(-1)!;
    assert.match(html, new RegExp(`<strong>shown P</strong> <span class="forum-rank">${expert.en}</span> <span class="forum-post-count">Posts: 1</span>`));
    const res = await client.get(`/api/v1/forum/users/${author.userId}/profile`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { result: unknown }).result, { userId: author.userId, postCount: 1, points: 250 + POINTS.topic, rank: expert.en });
    assert.equal((await client.get('/api/v1/forum/users/999999/profile')).status, 404);
    const csrf = HttpClient.csrfFrom(html);
    const put = await client.request('PUT', '/api/v1/forum/ranks', { json: { ranks: [{ minPoints: 0, title: { en: 'x', ru: 'х' } }] }, headers: { 'x-csrf-token': csrf } });
    assert.equal(put.status, 403, 'only forum managers set ranks');
    assert.equal(((await (await client.get('/api/v1/forum/ranks')).json()) as { result: unknown[] }).result.length, DEFAULT_RANKS.length);
  });
});
