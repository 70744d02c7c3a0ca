import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { forumPeople, makeForum, type ForumPeople } from './setup.js';

describeEachDb('forum flood control under concurrency', (kind) => {
  let t: TestKernel;
  let p: ForumPeople;
  let forumId: number;
  const api = () => t.kernel.api('forum');

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    forumId = await makeForum(t.kernel, p, 'Race');
  });
  after(async () => {
    await t?.close();
  });

  async function sender(login: string): Promise<Principal> {
    return t.kernel.users.principalOf(await t.kernel.users.create({ login, email: `${login}@example.com`, password: 'Racer-pass-2026' }));
  }

  const ownMessages = async (userId: number): Promise<number> =>
    Number(((await t.kernel.connections.main()('forum_messages').where({ author_id: userId }).count({ n: '*' })) as { n: unknown }[])[0]!.n);

  it('N simultaneous posts of one author, in several topics and as new topics, let exactly the limit through', async () => {
    const topics: number[] = [];
    for (const i of [1, 2, 3, 4]) topics.push((await api().createTopic(p.principals.get('mod')!, { forumId, title: `Race ${i}`, body: 'go' })).topic.id);
    const racer = await sender('racer');
    await t.kernel.options.set('forum', 'flood_posts', 3);
    try {
      const attempts = [
        ...Array.from({ length: 12 }, (_, i) => () => api().reply(racer, { topicId: topics[i % topics.length]!, body: `reply ${i}` })),
        ...Array.from({ length: 4 }, (_, i) => () => api().createTopic(racer, { forumId, title: `Mine ${i}`, body: 'x' })),
      ];
      const results = await Promise.allSettled(attempts.map((go) => go()));
      const refused = results.filter((r) => r.status === 'rejected');
      for (const r of refused) assert.equal((r.reason as { code?: string }).code, 'FORUM_FLOOD', String(r.reason));
      assert.equal(results.length - refused.length, 3, 'exactly the limit got through');
      assert.equal(await ownMessages(racer.userId!), 3);
      const profile = await api().profiles.profile(racer.userId!);
      assert.equal(profile.postCount, 3, 'the post count matches what was written');
    } finally {
      await t.kernel.options.reset('forum', 'flood_posts');
    }
  });

  it('another author is not held back by one who floods, and moderators stay exempt under concurrency', async () => {
    const { topic } = await api().createTopic(p.principals.get('mod')!, { forumId, title: 'Shared', body: 'go' });
    const [a, b] = [await sender('racer_a'), await sender('racer_b')];
    await t.kernel.options.set('forum', 'flood_posts', 2);
    try {
      const post = (who: Principal, i: number) => api().reply(who, { topicId: topic.id, body: `post ${i}` });
      const results = await Promise.allSettled([...[0, 1, 2, 3, 4].map((i) => post(a, i)), ...[0, 1, 2, 3, 4].map((i) => post(b, i)), ...[0, 1, 2, 3].map((i) => post(p.principals.get('mod')!, i))]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2 + 2 + 4);
      assert.deepEqual([await ownMessages(a.userId!), await ownMessages(b.userId!)], [2, 2]);
      assert.equal((await api().topic(p.principals.get('ann')!, topic.id)).replyCount, 8, 'the counters saw every accepted reply');
    } finally {
      await t.kernel.options.reset('forum', 'flood_posts');
    }
  });
});
