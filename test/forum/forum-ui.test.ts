import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { PASSWORD, forumPeople, makeForum, makePrivateForum, type ForumPeople } from './setup.js';

const decode = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describeEachDb('forum pages: subscriptions, preview and quotes', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let p: ForumPeople;
  let open: number;
  let priv: number;
  const who = (login: string) => p.principals.get(login)!;

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    open = await makeForum(t.kernel, p, 'Open forum');
    priv = await makePrivateForum(t.kernel, p, 'Private forum');
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  async function signedIn(login: string): Promise<{ client: HttpClient; csrf: string }> {
    const client = new HttpClient(server.url);
    const res = await client.signIn(login, PASSWORD);
    assert.ok(res.status < 400, `sign-in of ${login}: ${res.status}`);
    return { client, csrf: HttpClient.csrfFrom(await (await client.get('/')).text()) };
  }

  it('the subscriptions page lists what the reader follows and may read, and unsubscribes without JS', async () => {
    const api = t.kernel.api('forum');
    const { topic } = await api.createTopic(who('ann'), { forumId: open, title: 'Followed <topic>', body: 'x' });
    const { topic: secret } = await api.createTopic(who('mod'), { forumId: priv, title: 'Secret topic', body: 's' });
    await api.subscribe(who('reader'), { topicId: topic.id });
    await api.subscribe(who('reader'), { forumId: open });
    await api.subscribe(who('reader'), { topicId: secret.id });
    await t.kernel.api('forum').forums.setPermission({ userId: null, groupIds: [], isAdmin: true }, priv, p.groups.get('forum_readers')!, null);
    try {
      const { client } = await signedIn('reader');
      const index = await (await client.get('/forum/')).text();
      assert.match(index, /href="\/forum\/subscriptions\/"/, 'the index links to the page');
      const res = await client.get('/forum/subscriptions/');
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, new RegExp(`href="/forum/topic/${topic.id}/">Followed &lt;topic&gt;</a>`));
      assert.match(html, new RegExp(`name="forum" value="${open}"`));
      assert.doesNotMatch(html, /Secret topic/, 'a topic of a forum the reader may no longer read is not shown');
      const noToken = await client.post('/forum/post/unsubscribe/', { topic: String(topic.id), back: '/forum/subscriptions/' });
      assert.equal(noToken.status, 403);
      const done = await client.post('/forum/post/unsubscribe/', { _csrf: HttpClient.csrfFrom(html), topic: String(topic.id), back: '/forum/subscriptions/' });
      assert.deepEqual([done.status, done.headers.get('location')], [303, '/forum/subscriptions/']);
      const after = await (await client.get('/forum/subscriptions/')).text();
      assert.match(after, /The subscription is cancelled/);
      assert.doesNotMatch(after, /Followed &lt;topic&gt;/);
      assert.deepEqual((await api.subscriptions(who('reader'))).map((s) => [s.forumId, s.topicId]).sort(), [[open, null], [priv, secret.id]].sort());
      const bad = await client.post('/forum/post/unsubscribe/', { _csrf: HttpClient.csrfFrom(after), topic: 'abc', back: '/forum/subscriptions/' });
      assert.equal(bad.status, 303);
      assert.match(await (await client.get('/forum/subscriptions/')).text(), /role="alert"[^>]*>[^<]*must be a positive integer/);
    } finally {
      await t.kernel.api('forum').forums.setPermission({ userId: null, groupIds: [], isAdmin: true }, priv, p.groups.get('forum_readers')!, 'E');
    }
    const anonymous = await new HttpClient(server.url).get('/forum/subscriptions/');
    assert.ok([302, 303, 401, 403].includes(anonymous.status), `anonymous: ${anonymous.status}`);
  });

  it('the forum page subscribes to the whole forum and back without JS', async () => {
    const { client } = await signedIn('bob');
    const forumSubscribed = async () => (await t.kernel.api('forum').subscriptions(who('bob'))).some((s) => s.forumId === open && s.topicId === null);
    const page = await (await client.get(`/forum/${open}/`)).text();
    assert.match(page, new RegExp(`action="/forum/post/forum-subscription/${open}/"[\\s\\S]*?name="subscribe" value="1"`));
    const on = await client.post(`/forum/post/forum-subscription/${open}/`, { _csrf: HttpClient.csrfFrom(page), subscribe: '1', back: `/forum/${open}/` });
    assert.deepEqual([on.status, on.headers.get('location'), await forumSubscribed()], [303, `/forum/${open}/`, true]);
    const again = await (await client.get(`/forum/${open}/`)).text();
    assert.match(again, /Stop the e-mails about this forum/);
    await client.post(`/forum/post/forum-subscription/${open}/`, { _csrf: HttpClient.csrfFrom(again), subscribe: '0', back: `/forum/${open}/` });
    assert.equal(await forumSubscribed(), false);
    const denied = await client.post(`/forum/post/forum-subscription/${priv}/`, { _csrf: HttpClient.csrfFrom(again), subscribe: '1', back: `/forum/${open}/` });
    assert.equal(denied.status, 403, 'bob may not read the private forum');
  });

  it('the preview renders with the posting renderer, needs the CSRF header and the reply level, and writes nothing', async () => {
    const api = t.kernel.api('forum');
    const { topic } = await api.createTopic(who('ann'), { forumId: open, title: 'Preview here', body: 'p' });
    const body = '[b]bold[/b] [quote="Ann"]q[/quote] <script>window.__xss=1</script> [url=javascript:alert(1)]x[/url] @bob';
    const { client, csrf } = await signedIn('bob');
    const noToken = await client.request('POST', '/api/v1/forum/preview', { json: { topicId: topic.id, body } });
    assert.equal(noToken.status, 403);
    const res = await client.request('POST', '/api/v1/forum/preview', { json: { topicId: topic.id, body }, headers: { 'x-csrf-token': csrf } });
    assert.equal(res.status, 200);
    const { html } = ((await res.json()) as { result: { html: string } }).result;
    const before = (await api.messages(who('ann'), topic.id)).total;
    const posted = await api.reply(who('bob'), { topicId: topic.id, body });
    assert.equal(html, posted.html, 'the preview is what posting stores');
    assert.doesNotMatch(html, /<script|javascript:/);
    const count = (await api.messages(who('ann'), topic.id)).total;
    assert.equal(count, before + 1, 'only the reply was written, not the preview');
    const forNewTopic = await client.request('POST', '/api/v1/forum/preview', { json: { forumId: open, body: '[i]x[/i]' }, headers: { 'x-csrf-token': csrf } });
    assert.deepEqual(await forNewTopic.json(), { result: { html: '<em>x</em>' } });

    const reader = await signedIn('reader');
    const { topic: readOnly } = await api.createTopic(who('mod'), { forumId: priv, title: 'Read only', body: 'r' });
    const refused = await reader.client.request('POST', '/api/v1/forum/preview', { json: { topicId: readOnly.id, body: 'x' }, headers: { 'x-csrf-token': reader.csrf } });
    assert.deepEqual([refused.status, ((await refused.json()) as { error: { code: string } }).error.code], [403, 'ACCESS_DENIED']);
    const hidden = await client.request('POST', '/api/v1/forum/preview', { json: { topicId: readOnly.id, body: 'x' }, headers: { 'x-csrf-token': csrf } });
    assert.equal(hidden.status, 403, 'bob may not even read it');
    const cases: [unknown, number, string][] = [
      [{ topicId: 99999999, body: 'x' }, 404, 'FORUM_TOPIC_NOT_FOUND'],
      [{ topicId: topic.id }, 400, 'VALIDATION_FAILED'],
      [{ topicId: 'one', body: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ body: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ topicId: topic.id, body: 'x'.repeat(20001) }, 400, 'FORUM_BODY_TOO_LONG'],
    ];
    for (const [json, status, code] of cases) {
      const r = await client.request('POST', '/api/v1/forum/preview', { json, headers: { 'x-csrf-token': csrf } });
      assert.deepEqual([r.status, ((await r.json()) as { error: { code: string } }).error.code], [status, code], JSON.stringify(json).slice(0, 80));
    }
  });

  it('?quote=<id> fills the reply form server-side under the reader\'s rights; the quote endpoint does the same for the script', async () => {
    const api = t.kernel.api('forum');
    const { topic, message } = await api.createTopic(who('ann'), { forumId: open, title: 'Quote me', body: 'He said "</textarea><script>x</script>"' });
    const { topic: other } = await api.createTopic(who('ann'), { forumId: open, title: 'Elsewhere', body: 'other topic text' });
    const elsewhere = (await api.messages(who('ann'), other.id)).items[0]!;
    const { client } = await signedIn('bob');
    const page = await (await client.get(`/forum/topic/${topic.id}/`)).text();
    assert.match(page, new RegExp(`class="forum-quote-link" href="/forum/topic/${topic.id}/\\?quote=${message.id}#forum-reply-body"`));
    const quoted = await (await client.get(`/forum/topic/${topic.id}/?quote=${message.id}`)).text();
    const draft = /<textarea id="forum-reply-body"[^>]*>([^<]*)<\/textarea>/.exec(quoted);
    assert.ok(draft, 'the textarea holds the quote, escaped (no tag inside)');
    assert.equal(decode(draft[1]!), '[quote="Ann Test"]He said "</textarea><script>x</script>"[/quote]\n');
    const fromOther = await (await client.get(`/forum/topic/${topic.id}/?quote=${elsewhere.id}`)).text();
    assert.match(fromOther, /<textarea id="forum-reply-body"[^>]*><\/textarea>/, 'a message of another topic is not quoted');
    const { topic: secret } = await api.createTopic(who('mod'), { forumId: priv, title: 'Secret', body: 'board secret' });
    const secretMessage = (await api.messages(who('mod'), secret.id)).items[0]!;
    const denied = await client.get(`/forum/topic/${topic.id}/?quote=${secretMessage.id}`);
    assert.equal(denied.status, 403, 'a message of a forum bob may not read');
    assert.doesNotMatch(await denied.text(), /board secret/);
    assert.equal((await client.get(`/forum/topic/${topic.id}/?quote=abc`)).status, 400);

    const json = await client.get(`/api/v1/forum/messages/${message.id}/quote`);
    assert.deepEqual(await json.json(), { result: { text: '[quote="Ann Test"]He said "</textarea><script>x</script>"[/quote]\n' } });
    assert.equal((await client.get(`/api/v1/forum/messages/${secretMessage.id}/quote`)).status, 403);

    const reader = await signedIn('reader');
    const readOnly = await (await reader.client.get(`/forum/topic/${secret.id}/?quote=${secretMessage.id}`)).text();
    assert.doesNotMatch(readOnly, /forum-quote-link|forum-reply-body/, 'read level: no quote links and no form');
  });
});
