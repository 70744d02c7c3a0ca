import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { ADMIN, forumPeople, makeForum, makePrivateForum, type ForumPeople } from './setup.js';

describeEachDb('forum API', (kind) => {
  let t: TestKernel;
  let p: ForumPeople;
  let open: number;
  let priv: number;
  let premod: number;
  const who = (login: string): Principal => p.principals.get(login)!;
  const api = () => t.kernel.api('forum');
  const denied = { code: 'ACCESS_DENIED' };

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    open = await makeForum(t.kernel, p, 'General');
    priv = await makePrivateForum(t.kernel, p, 'Board room');
    premod = await makeForum(t.kernel, p, 'Ideas', { premoderation: true });
  });
  after(async () => {
    await t?.close();
  });

  it('lists only the forums a principal may read', async () => {
    const names = async (login: string) => (await api().forums.list(who(login))).map((f) => f.name);
    assert.deepEqual(await names('ann'), ['General', 'Ideas']);
    assert.deepEqual(await names('reader'), ['General', 'Board room', 'Ideas']);
    assert.deepEqual(await names('anonymous'), []);
    assert.equal((await api().forums.list(who('mod'))).find((f) => f.id === priv)?.level, 'Q');
  });

  it('checks the level on every read and write of a forum it denies', async () => {
    const { topic, message } = await api().createTopic(who('mod'), { forumId: priv, title: 'Budget', body: 'Numbers' });
    const ann = who('ann');
    await assert.rejects(api().forums.get(ann, priv), denied);
    await assert.rejects(api().topics(ann, priv), denied);
    await assert.rejects(api().topic(ann, topic.id), denied);
    await assert.rejects(api().messages(ann, topic.id), denied);
    await assert.rejects(api().message(ann, message.id), denied);
    await assert.rejects(api().reply(ann, { topicId: topic.id, body: 'let me in' }), denied);
    await assert.rejects(api().createTopic(ann, { forumId: priv, title: 'x', body: 'y' }), denied);
    await assert.rejects(api().editMessage(ann, message.id, 'changed'), denied);
    await assert.rejects(api().deleteMessage(ann, message.id), denied);
    await assert.rejects(api().setTopicFlags(ann, topic.id, { closed: true }), denied);
    await assert.rejects(api().topics(who('anonymous'), priv), denied);
    assert.equal((await api().messages(who('reader'), topic.id)).items[0]?.source, 'Numbers');
  });

  it('follows the Bitrix ladder: read cannot reply, reply cannot start a topic, only moderators moderate', async () => {
    const { topic, message } = await api().createTopic(who('mod'), { forumId: priv, title: 'Ladder', body: 'start' });
    await assert.rejects(api().reply(who('reader'), { topicId: topic.id, body: 'E may not reply' }), denied);
    const reply = await api().reply(who('outsider'), { topicId: topic.id, body: 'I may reply' });
    await assert.rejects(api().createTopic(who('outsider'), { forumId: priv, title: 'I may not', body: 'start topics' }), denied);
    await assert.rejects(api().deleteMessage(who('outsider'), message.id), denied);
    await assert.rejects(api().editMessage(who('outsider'), message.id, 'not mine'), denied, 'I edits only its own posts');
    assert.equal((await api().editMessage(who('outsider'), reply.id, 'my own, edited')).source, 'my own, edited');
    await assert.rejects(api().editMessage(who('mod'), reply.id, 'Q does not edit others'), denied);
    await api().forums.setPermission(ADMIN, priv, p.groups.get('forum_mods')!, 'U');
    assert.equal((await api().editMessage(who('mod'), reply.id, 'U edits others')).editedBy, p.ids.get('mod'));
    await api().forums.setPermission(ADMIN, priv, p.groups.get('forum_mods')!, 'Q');
  });

  it('refuses forum management to anyone without forum.manage and validates levels', async () => {
    await assert.rejects(api().forums.create(who('mod'), { name: 'Mine' }), denied);
    await assert.rejects(api().forums.setPermission(who('mod'), open, p.groups.get('forum_mods')!, 'Y'), denied);
    await assert.rejects(api().forums.setPermission(ADMIN, open, p.groups.get('forum_mods')!, 'Z' as never), { code: 'FORUM_BAD_LEVEL' });
    await assert.rejects(api().forums.setPermission(ADMIN, open, 999999, 'E'), { code: 'FORUM_GROUP_NOT_FOUND' });
    await assert.rejects(api().forums.create(ADMIN, { name: '  ' }), { code: 'FORUM_NAME_REQUIRED' });
    const before = (await api().forums.list(ADMIN)).length;
    await assert.rejects(api().forums.create(ADMIN, { name: 'Half', permissions: new Map([[424242, 'E']]) }), { code: 'FORUM_GROUP_NOT_FOUND' });
    assert.equal((await api().forums.list(ADMIN)).length, before, 'nothing half-made');
  });

  it('keeps the BB-code source and the sanitized HTML of a message', async () => {
    const body = '[b]bold[/b] [quote="Ann"]said[/quote] [url=https://example.com/]site[/url] <script>alert(1)</script>';
    const { message } = await api().createTopic(who('ann'), { forumId: open, title: 'Markup', body });
    const stored = await api().message(who('bob'), message.id);
    assert.equal(stored.source, body);
    assert.match(stored.html, /<strong>bold<\/strong>/);
    assert.match(stored.html, /<blockquote class="forum-quote"><cite>Ann<\/cite>said<\/blockquote>/);
    assert.match(stored.html, /<a href="https:\/\/example.com\/" rel="nofollow noopener ugc">site<\/a>/);
    assert.doesNotMatch(stored.html, /<script/);
  });

  it('premoderation: an unapproved post shows only to its author and moderators until approved', async () => {
    const { topic, message } = await api().createTopic(who('ann'), { forumId: premod, title: 'Pending idea', body: 'wait' });
    assert.equal(message.approved, false);
    assert.deepEqual((await api().topics(who('bob'), premod)).items.map((x) => x.id), []);
    await assert.rejects(api().topic(who('bob'), topic.id), { code: 'FORUM_TOPIC_NOT_FOUND' });
    await assert.rejects(api().message(who('bob'), message.id), { code: 'FORUM_TOPIC_NOT_FOUND' }, 'its topic is hidden too');
    assert.equal((await api().topic(who('ann'), topic.id)).id, topic.id, 'the author sees it');
    assert.equal((await api().forums.get(ADMIN, premod)).messageCount, 0, 'not counted yet');
    assert.deepEqual((await api().moderationQueue(who('mod'))).map((m) => m.id), [message.id]);
    assert.deepEqual(await api().moderationQueue(who('bob')), []);
    await assert.rejects(api().approveMessage(who('bob'), message.id), denied);

    await api().approveMessage(who('mod'), message.id);
    assert.deepEqual((await api().topics(who('bob'), premod)).items.map((x) => x.id), [topic.id]);
    const forum = await api().forums.get(ADMIN, premod);
    assert.deepEqual([forum.topicCount, forum.messageCount, forum.lastTopicId], [1, 1, topic.id]);

    const reply = await api().reply(who('bob'), { topicId: topic.id, body: 'me too' });
    assert.equal(reply.approved, false);
    assert.deepEqual((await api().messages(who('ann'), topic.id)).items.map((m) => m.id), [message.id], 'ann does not see bob\'s pending reply');
    assert.equal((await api().messages(who('bob'), topic.id)).total, 2);
    assert.equal((await api().messages(who('mod'), topic.id)).total, 2);
    const modReply = await api().reply(who('mod'), { topicId: topic.id, body: 'moderators skip the queue' });
    assert.equal(modReply.approved, true);
    assert.equal((await api().topic(who('ann'), topic.id)).replyCount, 1);
  });

  it('page totals (from the counters) and pages read from either end match what each reader sees through premoderation, delete, restore and approve', async () => {
    const forum = await makeForum(t.kernel, p, 'Totals', { premoderation: true });
    const readers = ['ann', 'bob', 'mod', 'reader'];
    const check = async (step: string) => {
      for (const login of readers) {
        const topics = await api().topics(who(login), forum, { pageSize: 100 });
        assert.equal(topics.total, topics.items.length, `${step}: topics total for ${login}`);
        for (const topic of topics.items) {
          const messages = await api().messages(who(login), topic.id, { pageSize: 100 });
          assert.equal(messages.total, messages.items.length, `${step}: messages total of "${topic.title}" for ${login}`);
          const paged: number[] = [];
          for (let page = 1; page <= Math.ceil(messages.total / 2) + 1; page++) paged.push(...(await api().messages(who(login), topic.id, { page, pageSize: 2 })).items.map((m) => m.id));
          assert.deepEqual(paged, messages.items.map((m) => m.id), `${step}: pages of 2 of "${topic.title}" for ${login}`);
        }
      }
    };
    const pending = await api().createTopic(who('ann'), { forumId: forum, title: 'Pending', body: 'waits' });
    const shown = await api().createTopic(who('mod'), { forumId: forum, title: 'Shown', body: 'by a moderator' });
    const bobs = await api().reply(who('bob'), { topicId: shown.topic.id, body: 'pending reply' });
    await api().reply(who('ann'), { topicId: pending.topic.id, body: 'her own second' });
    const modReply = await api().reply(who('mod'), { topicId: pending.topic.id, body: 'a moderator answers the pending topic' });
    for (let i = 0; i < 6; i++) await api().reply(who(i % 2 ? 'mod' : 'bob'), { topicId: shown.topic.id, body: `reply ${i}` });
    await check('posted');
    await api().deleteMessage(who('mod'), modReply.id);
    await api().deleteMessage(who('mod'), bobs.id);
    await check('deleted');
    await api().approveMessage(who('mod'), bobs.id);
    await api().restoreMessage(who('mod'), bobs.id);
    await api().approveMessage(who('mod'), pending.message.id);
    await check('approved and restored');
    await api().deleteMessage(who('mod'), shown.message.id);
    await check('topic deleted');
    assert.equal((await api().topics(who('mod'), forum)).total, 2, 'moderators count deleted topics too');
  });

  it('soft delete keeps who and when, hides the post, fixes the counters, and a moderator undoes it', async () => {
    const { topic } = await api().createTopic(who('ann'), { forumId: open, title: 'Delete me', body: 'first' });
    const r1 = await api().reply(who('bob'), { topicId: topic.id, body: 'one' });
    const r2 = await api().reply(who('bob'), { topicId: topic.id, body: 'two' });
    const before = await api().forums.get(ADMIN, open);
    const deleted = await api().deleteMessage(who('mod'), r2.id);
    assert.equal(deleted.deletedBy, p.ids.get('mod'));
    assert.ok(deleted.deletedAt instanceof Date);
    assert.deepEqual((await api().messages(who('ann'), topic.id)).items.map((m) => m.id), [topic.lastMessageId!, r1.id]);
    const shown = await api().topic(who('ann'), topic.id);
    assert.deepEqual([shown.replyCount, shown.lastMessageId], [1, r1.id]);
    assert.equal((await api().forums.get(ADMIN, open)).messageCount, before.messageCount - 1);
    assert.equal((await api().messages(who('mod'), topic.id)).total, 3, 'moderators still see it');

    await api().restoreMessage(who('mod'), r2.id);
    const back = await api().topic(who('ann'), topic.id);
    assert.deepEqual([back.replyCount, back.lastMessageId], [2, r2.id]);
    assert.equal((await api().forums.get(ADMIN, open)).messageCount, before.messageCount);
  });

  it('deleting and restoring while others reply in the same topic: no deadlock, the counters stay right', async () => {
    const { topic } = await api().createTopic(who('ann'), { forumId: open, title: 'Busy moderation', body: 'go' });
    const old = await Promise.all([1, 2, 3, 4].map((i) => api().reply(who('bob'), { topicId: topic.id, body: `old ${i}` })));
    const before = await api().forums.get(ADMIN, open);
    await Promise.all([
      ...old.map((m) => api().deleteMessage(who('mod'), m.id)),
      ...Array.from({ length: 6 }, (_, i) => api().reply(who('ann'), { topicId: topic.id, body: `new ${i}` })),
    ]);
    await Promise.all([api().restoreMessage(who('mod'), old[0]!.id), api().reply(who('bob'), { topicId: topic.id, body: 'last' })]);
    const after = await api().topic(who('ann'), topic.id);
    assert.equal(after.replyCount, 4 - 4 + 6 + 1 + 1);
    assert.equal((await api().forums.get(ADMIN, open)).messageCount, before.messageCount - 4 + 6 + 1 + 1);
  });

  it('two people replying at once both succeed and the counters stay right', async () => {
    const { topic } = await api().createTopic(who('ann'), { forumId: open, title: 'Busy', body: 'go' });
    const before = await api().forums.get(ADMIN, open);
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api().reply(who(i % 2 ? 'ann' : 'bob'), { topicId: topic.id, body: `reply ${i}` })),
    );
    assert.equal(new Set(replies.map((r) => r.id)).size, 12);
    const after = await api().topic(who('ann'), topic.id);
    assert.equal(after.replyCount, 12);
    assert.equal(after.lastMessageId, Math.max(...replies.map((r) => r.id)));
    assert.equal((await api().messages(who('ann'), topic.id, { pageSize: 100 })).total, 13);
    const forum = await api().forums.get(ADMIN, open);
    assert.equal(forum.messageCount, before.messageCount + 12);
    assert.equal(forum.lastMessageId, after.lastMessageId);
  });

  it('a reply racing a moderator who closes the topic is either in before the close or refused cleanly', async () => {
    const { topic } = await api().createTopic(who('ann'), { forumId: open, title: 'Closing', body: 'soon closed' });
    const replies = Array.from({ length: 6 }, (_, i) => api().reply(who('bob'), { topicId: topic.id, body: `race ${i}` }));
    const close = api().setTopicFlags(who('mod'), topic.id, { closed: true });
    const settled = await Promise.allSettled([...replies, close]);
    for (const s of settled) {
      if (s.status === 'rejected') assert.equal((s.reason as { code?: string }).code, 'FORUM_TOPIC_CLOSED');
    }
    const ok = settled.slice(0, 6).filter((s) => s.status === 'fulfilled').length;
    const after = await api().topic(who('ann'), topic.id);
    assert.equal(after.closed, true);
    assert.equal(after.replyCount, ok, 'the counter matches the replies that got in');
    assert.equal((await api().messages(who('ann'), topic.id)).total, ok + 1);
    await assert.rejects(api().reply(who('bob'), { topicId: topic.id, body: 'too late' }), { code: 'FORUM_TOPIC_CLOSED' });
  });

  it('validates input before writing anything', async () => {
    const { topic } = await api().createTopic(who('ann'), { forumId: open, title: 'Valid', body: 'ok' });
    await assert.rejects(api().createTopic(who('ann'), { forumId: open, title: ' ', body: 'x' }), { code: 'FORUM_TITLE_REQUIRED' });
    await assert.rejects(api().createTopic(who('ann'), { forumId: open, title: 'x'.repeat(256), body: 'x' }), { code: 'FORUM_TITLE_TOO_LONG' });
    await assert.rejects(api().reply(who('ann'), { topicId: topic.id, body: '   ' }), { code: 'FORUM_BODY_REQUIRED' });
    await assert.rejects(api().reply(who('ann'), { topicId: topic.id, body: 'x'.repeat(20001) }), { code: 'FORUM_BODY_TOO_LONG' });
    await assert.rejects(api().reply(who('ann'), { topicId: 987654, body: 'x' }), { code: 'FORUM_TOPIC_NOT_FOUND' });
    await assert.rejects(api().createTopic(who('ann'), { forumId: 987654, title: 'x', body: 'y' }), { code: 'FORUM_NOT_FOUND' });
    assert.equal((await api().topic(who('ann'), topic.id)).replyCount, 0);
  });

  it('counts views atomically and fires its events through the kernel bus', async () => {
    const seen: string[] = [];
    t.kernel.events.onAfter('forum.message.created', ({ message }) => void seen.push(message.source));
    const { topic } = await api().createTopic(who('ann'), { forumId: open, title: 'Views', body: 'v' });
    await Promise.all([1, 2, 3].map(() => api().topic(who('bob'), topic.id, { countView: true })));
    assert.equal((await api().topic(who('bob'), topic.id)).viewCount, 3);
    await api().reply(who('bob'), { topicId: topic.id, body: 'evented' });
    assert.deepEqual(seen, ['evented']);
  });

  it('unread marks: per topic up to a message, "mark all read" as one watermark, nothing for what is read', async () => {
    const forumId = await makeForum(t.kernel, p, 'Unread');
    const a = await api().createTopic(who('ann'), { forumId, title: 'A', body: 'a1' });
    const b = await api().createTopic(who('ann'), { forumId, title: 'B', body: 'b1' });
    const unread = async (login: string) => (await api().topics(who(login), forumId)).items.filter((x) => x.unread).map((x) => x.title).sort();
    assert.deepEqual(await unread('bob'), ['A', 'B']);
    await api().markTopicRead(who('bob'), a.topic.id);
    assert.deepEqual(await unread('bob'), ['B']);
    const r = await api().reply(who('ann'), { topicId: a.topic.id, body: 'a2' });
    assert.deepEqual(await unread('bob'), ['A', 'B']);
    assert.equal(await api().firstUnread(who('bob'), a.topic.id), r.id, 'the jump goes to the first new message');
    assert.deepEqual(await unread('reader'), ['A', 'B'], 'marks are per user');
    await api().markForumRead(who('bob'), forumId);
    assert.deepEqual(await unread('bob'), []);
    assert.equal(await api().firstUnread(who('bob'), a.topic.id), null);
    const rows = await t.kernel.connections.main()('forum_topic_reads').where({ user_id: p.ids.get('bob'), forum_id: forumId }).count({ n: '*' });
    assert.equal(Number((rows[0] as { n: unknown }).n), 0, 'the watermark replaced the topic rows');
    await api().reply(who('ann'), { topicId: b.topic.id, body: 'b2' });
    assert.deepEqual(await unread('bob'), ['B']);
    await assert.rejects(api().markForumRead(who('ann'), priv), denied);
  });

  it('flood control (an option) refuses the post over the limit with a coded 429; moderators are exempt; once the window has passed the author may post again', async () => {
    const forumId = await makeForum(t.kernel, p, 'Flood');
    const { topic } = await api().createTopic(who('mod'), { forumId, title: 'Fast', body: 'go' });
    await t.kernel.options.set('forum', 'flood_posts', 2);
    try {
      const sender = await t.kernel.users.principalOf(await t.kernel.users.create({ login: 'flooder', email: 'flooder@example.com', password: 'Flooder-pass-1' }));
      await api().reply(sender, { topicId: topic.id, body: 'one' });
      await api().reply(sender, { topicId: topic.id, body: 'two' });
      await assert.rejects(api().reply(sender, { topicId: topic.id, body: 'three' }), { code: 'FORUM_FLOOD', status: 429 });
      await assert.rejects(api().createTopic(sender, { forumId, title: 'more', body: 'x' }), { code: 'FORUM_FLOOD' });
      for (const i of [1, 2, 3]) await api().reply(who('mod'), { topicId: topic.id, body: `mod ${i}` });
      assert.equal((await api().topic(who('ann'), topic.id)).replyCount, 5);
      await t.kernel.options.set('forum', 'flood_window', 1);
      await new Promise((r) => setTimeout(r, 1100));
      await api().reply(sender, { topicId: topic.id, body: 'after the window' });
    } finally {
      await t.kernel.options.reset('forum', 'flood_posts');
      await t.kernel.options.reset('forum', 'flood_window');
    }
    await api().reply(await t.kernel.users.principalOf(await t.kernel.users.findByLogin('flooder')), { topicId: topic.id, body: 'off again' });
  });

  it('the bad-words option masks whole words in any case and script; the source stays as written', async () => {
    await t.kernel.options.set('forum', 'bad_words', 'darn,\nДурак');
    try {
      const body = 'You Darn дурак! darned, endarn';
      const { topic, message } = await api().createTopic(who('ann'), { forumId: open, title: 'darn title', body });
      assert.equal(message.source, body);
      assert.equal(message.html, 'You **** *****! darned, endarn');
      assert.equal(topic.title, '**** title');
    } finally {
      await t.kernel.options.reset('forum', 'bad_words');
    }
  });

  it('search finds word forms in Russian and English, only in forums the reader may read, never pending or deleted posts', async () => {
    const { topic } = await api().createTopic(who('ann'), { forumId: open, title: 'Квартальные отчёты', body: 'Отчёты готовы, see the [b]Reports[/b]' });
    const secret = await api().createTopic(who('mod'), { forumId: priv, title: 'Секретные отчеты', body: 'reporting in private' });
    const pending = await api().createTopic(who('bob'), { forumId: premod, title: 'Pending отчет', body: 'waits for a moderator' });
    const gone = await api().reply(who('bob'), { topicId: topic.id, body: 'удалённый отчет' });
    await api().deleteMessage(who('mod'), gone.id);
    const hits = async (login: string, q: string) => (await api().search(who(login), q)).map((h) => h.message.id).sort((a, b) => a - b);
    const first = topic.lastMessageId!;
    assert.deepEqual(await hits('ann', 'отчетов'), [first], 'another form, ё or е; not the private, pending or deleted ones');
    assert.deepEqual(await hits('ann', 'REPORT'), [first]);
    assert.deepEqual(await hits('reader', 'отчет'), [first, secret.message.id], 'the reader may read the private forum');
    assert.deepEqual(await hits('ann', 'квартальный отчёт'), [first], 'every word must match');
    assert.deepEqual(await hits('ann', 'квартальный секретный'), []);
    assert.deepEqual(await hits('anonymous', 'отчет'), []);
    assert.ok((await hits('mod', 'отчет')).includes(secret.message.id));
    assert.ok(!(await hits('ann', 'moderator')).includes(pending.message.id));
    await api().editMessage(who('ann'), first, 'теперь про бюджет');
    assert.deepEqual(await hits('ann', 'бюджета'), [first], 'an edit re-indexes');
    await assert.rejects(api().search(who('ann'), ' ! '), { code: 'VALIDATION_FAILED' });
  });
});
