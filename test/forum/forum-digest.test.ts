import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { deliverMail, queuedCount } from '../harness/mail-delivery.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';
import { forumPeople, makeForum, type ForumPeople } from './setup.js';

const DAY = 86_400_000;

/** The calendar date of `ms` on `zone`'s clock, by Intl (independent of the forum's own date code). */
const dateIn = (ms: number, zone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

/** The first minute after `ms` at which `zone`'s calendar date changes (the next local midnight, to the minute). */
function nextMidnight(ms: number, zone: string): number {
  const day = dateIn(ms, zone);
  let m = Math.floor(ms / 60_000) * 60_000;
  while (dateIn(m, zone) === day) m += 60_000;
  return m;
}

describeEachDb('forum daily digest', (kind) => {
  let t: TestKernel;
  let smtp: TestSmtpServer;
  let p: ForumPeople;
  let forumId: number;
  const who = (login: string) => p.principals.get(login)!;
  const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
  const digests = (to: string) => queuedCount(t.kernel, 'FORUM_DIGEST', to);

  before(async () => {
    smtp = await startSmtpServer();
    t = await bootTestKernel(kind, { overrides: { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' } } });
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    forumId = await makeForum(t.kernel, p, 'Digest forum');
  });
  after(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('with the daily digest on, the burst agent sends nothing and the digest agent sends one mail per subscriber per day', async () => {
    const api = t.kernel.api('forum');
    const { topic } = await api.createTopic(who('ann'), { forumId, title: 'Old topic', body: 'start' });
    await api.subscribe(who('bob'), { topicId: topic.id });
    await api.subscribe(who('bob'), { forumId });
    await api.subscribe(who('mod'), { forumId });
    await api.subscribe(who('ann'), { forumId });
    await t.kernel.options.set('forum', 'daily_digest', true);
    try {
      await Promise.all([1, 2, 3].map((i) => api.reply(who('ann'), { topicId: topic.id, body: `reply ${i}` })));
      await api.createTopic(who('ann'), { forumId, title: 'Brand new', body: 'fresh' });
      const posted = Date.now();
      await t.kernel.agents.runNow('forum', 'notify-subscribers');
      assert.equal(await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'bob@example.com'), 0, 'no mail per burst while the digest is on');
      await t.kernel.agents.runNow('forum', 'send-digest');
      assert.equal(await digests('bob@example.com'), 0, 'the posts of today wait for tomorrow');

      const tomorrow = nextMidnight(posted, zone()) + 60_000;
      assert.equal(await api.sendDigests(tomorrow), 2, 'bob and mod; ann gets nothing about her own posts');
      const mail = await deliverMail(t.kernel, smtp, 'FORUM_DIGEST', 'bob@example.com');
      assert.equal(mail.subject.endsWith(`forum digest for ${dateIn(posted, zone())}`), true, mail.subject);
      assert.match(mail.text, /\(2 topic\(s\)\)/);
      assert.match(mail.text, /"Old topic": 3 new message\(s\)/, 'the topic is listed once though two subscriptions cover it');
      assert.match(mail.text, new RegExp(`New topic "Brand new": 1 message\\(s\\)\\s+/forum/topic/\\d+/\\?unread=1#unread`));
      assert.equal((mail.text.match(/Old topic/g) ?? []).length, 1);
      await deliverMail(t.kernel, smtp, 'FORUM_DIGEST', 'mod@example.com');
      assert.equal(await digests('ann@example.com'), 0);

      assert.equal(await api.sendDigests(tomorrow + 3_600_000), 0, 'nothing new');
      await api.reply(who('ann'), { topicId: topic.id, body: 'later' });
      await api.sendDigests(nextMidnight(Date.now(), zone()) + 60_000);
      assert.equal(await digests('bob@example.com'), 1, 'one digest a day: the new reply waits (or was posted today)');
      assert.equal(await api.sendDigests(Date.now() + 2 * DAY), 2);
      assert.equal(await digests('bob@example.com'), 2);
      const second = await deliverMail(t.kernel, smtp, 'FORUM_DIGEST', 'bob@example.com');
      assert.notEqual(second.subject, mail.subject);
      assert.match(second.text, /"Old topic": 1 new message\(s\)/);
      assert.doesNotMatch(second.text, /Brand new/);
    } finally {
      await t.kernel.options.reset('forum', 'daily_digest');
    }
  });

  it('the digest day ends at midnight on the site\'s clock, not the server\'s', async () => {
    const api = t.kernel.api('forum');
    const site = (await t.kernel.sites.list()).find((s) => s.isDefault)!;
    const siteZone = zone() === 'Asia/Tokyo' ? 'America/Sao_Paulo' : 'Asia/Tokyo';
    const { topic } = await api.createTopic(who('mod'), { forumId, title: 'Zoned', body: 'z' });
    await api.subscribe(who('reader'), { topicId: topic.id });
    await t.kernel.sites.update(site.id, { timeZone: siteZone });
    await t.kernel.options.set('forum', 'daily_digest', true);
    try {
      await api.reply(who('mod'), { topicId: topic.id, body: 'zoned reply' });
      const midnight = nextMidnight(Date.now(), siteZone);
      assert.equal(await api.sendDigests(midnight - 60_000), 0, 'a minute before the site\'s midnight: still today');
      assert.equal(await digests('reader@example.com'), 0);
      await api.sendDigests(midnight + 60_000);
      const mail = await deliverMail(t.kernel, smtp, 'FORUM_DIGEST', 'reader@example.com');
      assert.ok(mail.subject.endsWith(`forum digest for ${dateIn(midnight - 60_000, siteZone)}`), mail.subject);
    } finally {
      await t.kernel.options.reset('forum', 'daily_digest');
      await t.kernel.sites.update(site.id, { timeZone: null });
    }
  });

  it('with the digest off, the burst mail goes as before and the digest agent queues nothing', async () => {
    const api = t.kernel.api('forum');
    const { topic } = await api.createTopic(who('ann'), { forumId, title: 'Burst again', body: 'b' });
    await api.subscribe(who('reader'), { topicId: topic.id });
    await api.reply(who('ann'), { topicId: topic.id, body: 'x' });
    const before = await digests('reader@example.com');
    await t.kernel.agents.runNow('forum', 'send-digest');
    assert.equal(await digests('reader@example.com'), before);
    await t.kernel.agents.runNow('forum', 'notify-subscribers');
    assert.ok((await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'reader@example.com')) >= 1);
  });
});
