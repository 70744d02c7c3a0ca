import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { deliverMail, queuedCount } from '../harness/mail-delivery.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';
import { PASSWORD, forumPeople, makeForum, makePrivateForum, type ForumPeople } from './setup.js';

describeEachDb('forum over HTTP', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let smtp: TestSmtpServer;
  let p: ForumPeople;
  let open: number;
  let priv: number;

  before(async () => {
    smtp = await startSmtpServer();
    t = await bootTestKernel(kind, { overrides: { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' } } });
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    open = await makeForum(t.kernel, p, 'General');
    priv = await makePrivateForum(t.kernel, p, 'Board room');
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function signedIn(login: string): Promise<{ client: HttpClient; csrf: string }> {
    const client = new HttpClient(server.url);
    const res = await client.signIn(login, PASSWORD);
    assert.ok(res.status < 400, `sign-in of ${login}: ${res.status}`);
    const csrf = HttpClient.csrfFrom(await (await client.get('/')).text());
    return { client, csrf };
  }

  const json = async (res: Response) => (await res.json()) as { result?: any; error?: { code: string; message: string }; total?: number };

  it('posts a topic and a reply with the CSRF header and refuses them without it', async () => {
    const { client, csrf } = await signedIn('ann');
    const noToken = await client.request('POST', `/api/v1/forum/forums/${open}/topics`, { json: { title: 'No token', body: 'x' } });
    assert.equal(noToken.status, 403);
    const created = await client.request('POST', `/api/v1/forum/forums/${open}/topics`, { json: { title: 'Hello', body: '[b]hi[/b]' }, headers: { 'x-csrf-token': csrf } });
    assert.equal(created.status, 201);
    const topicId = (await json(created)).result.topic.id as number;
    const forged = await client.request('POST', `/api/v1/forum/topics/${topicId}/messages`, { json: { body: 'forged' }, headers: { 'x-csrf-token': 'not-the-token' } });
    assert.equal(forged.status, 403);
    const reply = await client.request('POST', `/api/v1/forum/topics/${topicId}/messages`, { json: { body: 'real' }, headers: { 'x-csrf-token': csrf } });
    assert.equal(reply.status, 201);
    const list = await json(await client.get(`/api/v1/forum/topics/${topicId}/messages`));
    assert.deepEqual(list.result.map((m: { source: string }) => m.source), ['[b]hi[/b]', 'real']);
  });

  it('answers coded errors: 403 for a forum the reader may not see, 404, 400 and 409', async () => {
    const topic = await t.kernel.api('forum').createTopic(p.principals.get('mod')!, { forumId: priv, title: 'Secret', body: 's' });
    const { client, csrf } = await signedIn('ann');
    const hidden = await client.get(`/api/v1/forum/forums/${priv}/topics`);
    assert.equal(hidden.status, 403);
    assert.equal((await json(hidden)).error?.code, 'ACCESS_DENIED');
    assert.equal((await client.get(`/api/v1/forum/topics/${topic.topic.id}/messages`)).status, 403);
    assert.equal((await json(await client.get('/api/v1/forum/topics/abc'))).error?.code, 'NOT_FOUND');
    const bad = await client.request('POST', `/api/v1/forum/forums/${open}/topics`, { json: { title: 5, body: 'x' }, headers: { 'x-csrf-token': csrf } });
    assert.deepEqual([bad.status, (await json(bad)).error?.code], [400, 'VALIDATION_FAILED']);
    const empty = await client.request('POST', `/api/v1/forum/forums/${open}/topics`, { json: { title: 'x', body: '' }, headers: { 'x-csrf-token': csrf } });
    assert.deepEqual([empty.status, (await json(empty)).error?.code], [400, 'FORUM_BODY_REQUIRED']);
    const mine = await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId: open, title: 'To close', body: 'c' });
    await t.kernel.api('forum').setTopicFlags(p.principals.get('mod')!, mine.topic.id, { closed: true });
    const closed = await client.request('POST', `/api/v1/forum/topics/${mine.topic.id}/messages`, { json: { body: 'late' }, headers: { 'x-csrf-token': csrf } });
    assert.deepEqual([closed.status, (await json(closed)).error?.code], [409, 'FORUM_TOPIC_CLOSED']);
    const anonymous = await new HttpClient(server.url).get(`/api/v1/forum/forums/${open}/topics`);
    assert.ok(anonymous.status === 401 || anonymous.status === 403, `anonymous: ${anonymous.status}`);
  });

  it('a moderator closes a topic over REST; a writer may not', async () => {
    const { topic } = await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId: open, title: 'Flags', body: 'f' });
    const ann = await signedIn('ann');
    const refused = await ann.client.request('PATCH', `/api/v1/forum/topics/${topic.id}`, { json: { closed: true }, headers: { 'x-csrf-token': ann.csrf } });
    assert.equal(refused.status, 403);
    const mod = await signedIn('mod');
    const done = await mod.client.request('PATCH', `/api/v1/forum/topics/${topic.id}`, { json: { closed: true, pinned: true }, headers: { 'x-csrf-token': mod.csrf } });
    assert.equal(done.status, 200);
    assert.deepEqual([(await json(done)).result.closed, (await json(await ann.client.get(`/api/v1/forum/topics/${topic.id}`))).result.pinned], [true, true]);
  });

  it('mails a mentioned user who may read the forum, through the real SMTP server, and nobody who may not', async () => {
    const { topic } = await t.kernel.api('forum').createTopic(p.principals.get('mod')!, { forumId: priv, title: 'Mentions here', body: 'm' });
    await t.kernel.api('forum').reply(p.principals.get('mod')!, { topicId: topic.id, body: 'ping @reader and @ann, and @mod myself' });
    const mail = await deliverMail(t.kernel, smtp, 'FORUM_MENTION', 'reader@example.com');
    assert.match(mail.subject, /mentioned you in "Mentions here"/);
    assert.match(mail.text, new RegExp(`/forum/topic/${topic.id}/`));
    assert.equal(await queuedCount(t.kernel, 'FORUM_MENTION', 'ann@example.com'), 0, 'ann may not read the forum');
    assert.equal(await queuedCount(t.kernel, 'FORUM_MENTION', 'mod@example.com'), 0, 'not the author');
  });

  it('pages: index, forum, topic; the reply form works without JS and needs the CSRF token', async () => {
    const { topic } = await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId: open, title: 'Page <b>topic</b>', body: 'first [i]post[/i]' });
    const { client } = await signedIn('bob');
    const index = await (await client.get('/forum/')).text();
    assert.match(index, new RegExp(`href="/forum/${open}/"`));
    assert.doesNotMatch(index, /Board room/, 'a forum bob may not read is not listed');
    const forumPage = await (await client.get(`/forum/${open}/`)).text();
    assert.match(forumPage, new RegExp(`href="/forum/topic/${topic.id}/"><strong>Page &lt;b&gt;topic&lt;/b&gt;</strong></a> <a class="badge forum-unread-mark"`), 'escaped, and unread for bob');
    assert.match(forumPage, new RegExp(`href="/forum/${open}/new/"`));
    const topicRes = await client.get(`/forum/topic/${topic.id}/`);
    assert.equal(topicRes.status, 200);
    const html = await topicRes.text();
    assert.match(html, /first <em>post<\/em>/);
    const noToken = await client.post(`/forum/post/reply/${topic.id}/`, { body: 'no token', back: `/forum/topic/${topic.id}/` });
    assert.equal(noToken.status, 403);
    const posted = await client.post(`/forum/post/reply/${topic.id}/`, { _csrf: HttpClient.csrfFrom(html), body: 'from the [b]form[/b]', back: `/forum/topic/${topic.id}/` });
    assert.equal(posted.status, 303);
    const to = posted.headers.get('location')!;
    assert.match(to, new RegExp(`^/forum/topic/${topic.id}/#message-\\d+$`));
    const after = await (await client.get(to)).text();
    assert.match(after, /from the <strong>form<\/strong>/);
    assert.match(after, /role="status"/, 'the flash shows once');
    const empty = await client.post(`/forum/post/reply/${topic.id}/`, { _csrf: HttpClient.csrfFrom(after), body: ' ', back: `/forum/topic/${topic.id}/` });
    assert.equal(empty.status, 303);
    assert.match(await (await client.get(empty.headers.get('location')!)).text(), /role="alert"[^>]*>A message needs a text/);
  });

  it('pages: after a reply the form goes to the page the reply is on, with the topic page\'s own page size', async () => {
    const api = t.kernel.api('forum');
    const ann = p.principals.get('ann')!;
    const { topic } = await api.createTopic(ann, { forumId: open, title: 'Paged replies', body: 'one' });
    for (const body of ['two', 'three']) await api.reply(ann, { topicId: topic.id, body });
    const { client } = await signedIn('bob');
    const html = await (await client.get(`/forum/topic/${topic.id}/`)).text();
    assert.match(html, new RegExp(`action="/forum/post/reply/${topic.id}/\\?per_page=20"`), 'the form carries the page size of the page it is on');
    const posted = await client.post(`/forum/post/reply/${topic.id}/?per_page=2`, { _csrf: HttpClient.csrfFrom(html), body: 'four', back: `/forum/topic/${topic.id}/` });
    assert.match(posted.headers.get('location')!, new RegExp(`^/forum/topic/${topic.id}/\\?page=2#message-\\d+$`), '4 messages at 2 a page: page 2');
    const odd = await client.post(`/forum/post/reply/${topic.id}/?per_page=abc`, { _csrf: HttpClient.csrfFrom(html), body: 'five', back: `/forum/topic/${topic.id}/` });
    assert.match(odd.headers.get('location')!, new RegExp(`^/forum/topic/${topic.id}/#message-\\d+$`), 'a bad size falls back to 20 a page');
  });

  it('pages: a new topic through the form; a forum the visitor may not read is refused; a bad page number is a 400', async () => {
    const { client } = await signedIn('bob');
    const form = await (await client.get(`/forum/${open}/new/`)).text();
    const posted = await client.post(`/forum/post/topic/${open}/`, { _csrf: HttpClient.csrfFrom(form), title: 'Made by form', body: 'body', back: `/forum/${open}/new/` });
    assert.equal(posted.status, 303);
    assert.match(posted.headers.get('location')!, /^\/forum\/topic\/\d+\/$/);
    assert.match(await (await client.get(posted.headers.get('location')!)).text(), /Made by form/);
    assert.equal((await client.get(`/forum/${priv}/`)).status, 403);
    assert.equal((await client.get(`/forum/${priv}/new/`)).status, 403);
    assert.equal((await client.get(`/forum/${open}/?page=0`)).status, 400);
    assert.equal((await client.get('/forum/topic/999999/')).status, 404);
    const reader = await signedIn('reader');
    const { topic } = await t.kernel.api('forum').createTopic(p.principals.get('mod')!, { forumId: priv, title: 'Read only', body: 'r' });
    const readOnly = await (await reader.client.get(`/forum/topic/${topic.id}/`)).text();
    assert.match(readOnly, /Read only/);
    assert.doesNotMatch(readOnly, /forum-reply/, 'E (read) gets no reply form');
  });

  it('pages: a topic page clears its unread mark, ?unread=1 jumps to the first unread, "mark all read" works without JS', async () => {
    const forumId = await makeForum(t.kernel, p, 'Unread pages');
    const { topic } = await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId, title: 'Fresh', body: 'one' });
    await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId, title: 'Other', body: 'two' });
    const { client } = await signedIn('bob');
    const unreadRows = async () => [...(await (await client.get(`/forum/${forumId}/`)).text()).matchAll(/forum-topic-row forum-unread[\s\S]*?<strong>([^<]+)<\/strong>/g)].map((m) => m[1]).sort();
    assert.deepEqual(await unreadRows(), ['Fresh', 'Other']);
    await client.get(`/forum/topic/${topic.id}/`);
    assert.deepEqual(await unreadRows(), ['Other']);
    const reply = await t.kernel.api('forum').reply(p.principals.get('ann')!, { topicId: topic.id, body: 'three' });
    const jumped = await (await client.get(`/forum/topic/${topic.id}/?unread=1`)).text();
    assert.match(jumped, new RegExp(`id="unread">[^<]+</p>\\s*<section class="forum-message" id="message-${reply.id}"`));
    const list = await (await client.get(`/forum/${forumId}/`)).text();
    const marked = await client.post(`/forum/post/read/${forumId}/`, { _csrf: HttpClient.csrfFrom(list) });
    assert.equal(marked.status, 303);
    assert.deepEqual(await unreadRows(), []);
  });

  it('subscriptions: a burst of replies makes one mail per subscriber through the agent, received by the SMTP server', async () => {
    const api = t.kernel.api('forum');
    const who = (login: string) => p.principals.get(login)!;
    const { topic } = await api.createTopic(who('ann'), { forumId: open, title: 'Subscribed topic', body: 'start' });
    await api.subscribe(who('bob'), { topicId: topic.id });
    await api.subscribe(who('mod'), { forumId: open });
    await api.subscribe(who('ann'), { topicId: topic.id });
    await assert.rejects(api.subscribe(who('ann'), { forumId: priv }), { code: 'ACCESS_DENIED' });
    await Promise.all([1, 2, 3, 4, 5].map((i) => api.reply(who('ann'), { topicId: topic.id, body: `burst ${i}` })));
    await t.kernel.agents.runNow('forum', 'notify-subscribers');
    assert.equal(await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'bob@example.com'), 1);
    assert.equal(await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'mod@example.com'), 1);
    assert.equal(await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'ann@example.com'), 0, 'not for their own posts');
    const mail = await deliverMail(t.kernel, smtp, 'FORUM_NEW_POSTS', 'bob@example.com');
    assert.match(mail.subject, /new posts in "Subscribed topic"/);
    assert.match(mail.text, /5 new message\(s\)/);
    await t.kernel.agents.runNow('forum', 'notify-subscribers');
    assert.equal(await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'bob@example.com'), 1, 'nothing new, nothing sent');
    await api.reply(who('ann'), { topicId: topic.id, body: 'later' });
    await t.kernel.agents.runNow('forum', 'notify-subscribers');
    assert.equal(await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'bob@example.com'), 2);
  });

  it('subscriptions: no mail to a subscriber who lost the right to read the forum', async () => {
    const api = t.kernel.api('forum');
    const forumId = await makePrivateForum(t.kernel, p, 'Revoked');
    await api.subscribe(p.principals.get('reader')!, { forumId });
    await t.kernel.api('forum').forums.setPermission({ userId: null, groupIds: [], isAdmin: true }, forumId, p.groups.get('forum_readers')!, null);
    const { topic } = await api.createTopic(p.principals.get('mod')!, { forumId, title: 'After revoke', body: 'x' });
    await api.reply(p.principals.get('mod')!, { topicId: topic.id, body: 'y' });
    const before = await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'reader@example.com');
    await t.kernel.agents.runNow('forum', 'notify-subscribers');
    assert.equal(await queuedCount(t.kernel, 'FORUM_NEW_POSTS', 'reader@example.com'), before);
  });

  it('pages: the topic page subscribes and unsubscribes without JS', async () => {
    const { topic } = await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId: open, title: 'Follow me', body: 'f' });
    const { client } = await signedIn('reader');
    const subscribed = async () => (await t.kernel.api('forum').subscriptions(p.principals.get('reader')!)).some((x) => x.topicId === topic.id);
    const page = await (await client.get(`/forum/topic/${topic.id}/`)).text();
    assert.match(page, /name="subscribe" value="1"/);
    const on = await client.post(`/forum/post/subscription/${topic.id}/`, { _csrf: HttpClient.csrfFrom(page), subscribe: '1', back: `/forum/topic/${topic.id}/` });
    assert.deepEqual([on.status, on.headers.get('location'), await subscribed()], [303, `/forum/topic/${topic.id}/`, true]);
    const again = await (await client.get(`/forum/topic/${topic.id}/`)).text();
    assert.match(again, /name="subscribe" value="0"/);
    await client.post(`/forum/post/subscription/${topic.id}/`, { _csrf: HttpClient.csrfFrom(again), subscribe: '0', back: '//evil.example/' });
    assert.equal(await subscribed(), false);
  });
});
