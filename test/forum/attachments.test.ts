import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { ADMIN, PASSWORD, forumPeople, makeForum, makePrivateForum, type ForumPeople } from './setup.js';

const text = (s: string) => Buffer.from(s, 'utf8');

function multipart(fields: [string, string][], files: { name: string; type: string; data: Buffer }[]): FormData {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  return form;
}

describeEachDb('forum attachments', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let p: ForumPeople;
  let open: number;
  let priv: number;
  let premod: number;
  const who = (login: string): Principal => p.principals.get(login)!;
  const api = () => t.kernel.api('forum');

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    open = await makeForum(t.kernel, p, 'Files');
    priv = await makePrivateForum(t.kernel, p, 'Secret files');
    premod = await makeForum(t.kernel, p, 'Checked files', { premoderation: true });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  async function client(login: string | null): Promise<HttpClient> {
    const c = new HttpClient(server.url);
    if (login) assert.ok((await c.signIn(login, PASSWORD)).status < 400, `sign-in of ${login}`);
    return c;
  }

  const fileCount = async (): Promise<number> => (await t.kernel.files.listByModule('forum')).length;
  const messageCount = async (): Promise<number> => Number(((await t.kernel.connections.main()('forum_messages').count({ n: '*' })) as { n: unknown }[])[0]!.n);

  it('stores attached files as kernel files and lists them with the message', async () => {
    const { topic, message } = await api().createTopic(who('ann'), { forumId: open, title: 'With files', body: 'see', files: [{ name: 'notes.txt', mimeType: 'text/plain', buffer: text('hello notes') }] });
    const reply = await api().reply(who('bob'), { topicId: topic.id, body: 'two', files: [{ name: 'a.pdf', mimeType: 'application/pdf', buffer: text('%PDF-1.4') }, { name: 'b.png', mimeType: 'image/png', buffer: text('png') }] });
    const [first] = await api().attachments.list(who('bob'), message.id);
    assert.equal(first?.name, 'notes.txt');
    const file = await t.kernel.files.get(first!.fileId);
    assert.deepEqual([file.module, file.size, file.createdBy], ['forum', 11, p.ids.get('ann')]);
    assert.deepEqual((await api().attachments.list(who('ann'), reply.id)).map((a) => a.name), ['a.pdf', 'b.png']);
  });

  it('downloads through the forum route only for readers of the forum, whatever the id or the file URL', async () => {
    const { message } = await api().createTopic(who('mod'), { forumId: priv, title: 'Secret', body: 's', files: [{ name: 'plan.txt', mimeType: 'text/plain', buffer: text('the plan') }] });
    const [a] = await api().attachments.list(who('mod'), message.id);
    const reader = await client('reader');
    const ok = await reader.get(a!.url);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'the plan');
    assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
    const ann = await client('ann');
    assert.equal((await ann.get(a!.url)).status, 403, 'a signed-in user without the read level');
    const fileUrl = t.kernel.files.url(await t.kernel.files.get(a!.fileId));
    assert.equal((await ann.get(fileUrl)).status, 403, 'the kernel /upload/ URL with the right key is refused too');
    assert.equal((await reader.get(fileUrl)).status, 200);
    const anonymous = await (await client(null)).get(a!.url);
    assert.ok([302, 303, 401, 403].includes(anonymous.status), `anonymous: ${anonymous.status}`);
    assert.notEqual(anonymous.status, 200);
    assert.equal((await reader.get('/forum/attachment/999999/')).status, 404);
    assert.equal((await reader.get('/forum/attachment/abc/')).status, 404);
    await assert.rejects(api().attachments.forDownload(who('ann'), a!.id), { code: 'ACCESS_DENIED' });
    await assert.rejects(api().attachments.list(who('ann'), message.id), { code: 'ACCESS_DENIED' });
  });

  it('files of unapproved or deleted messages go to their author and moderators only', async () => {
    const { message: pending } = await api().createTopic(who('ann'), { forumId: premod, title: 'Waiting', body: 'w', files: [{ name: 'wait.txt', mimeType: 'text/plain', buffer: text('pending') }] });
    const [pa] = await api().attachments.list(who('ann'), pending.id);
    assert.equal((await (await client('ann')).get(pa!.url)).status, 200, 'the author');
    assert.equal((await (await client('mod')).get(pa!.url)).status, 200, 'a moderator');
    assert.equal((await (await client('bob')).get(pa!.url)).status, 404, 'another reader');
    const { topic } = await api().createTopic(who('mod'), { forumId: open, title: 'Deleting', body: 'd' });
    const doomed = await api().reply(who('ann'), { topicId: topic.id, body: 'x', files: [{ name: 'gone.txt', mimeType: 'text/plain', buffer: text('gone') }] });
    const [da] = await api().attachments.list(who('ann'), doomed.id);
    await api().deleteMessage(who('mod'), doomed.id);
    const bob = await client('bob');
    assert.equal((await bob.get(da!.url)).status, 404);
    assert.equal((await bob.get(t.kernel.files.url(await t.kernel.files.get(da!.fileId)))).status, 403);
    assert.equal((await (await client('mod')).get(da!.url)).status, 200);
  });

  it('the size option attach_max_kb takes effect (0 turns attachments off); a refused file leaves no message and no file', async () => {
    const { topic } = await api().createTopic(who('mod'), { forumId: open, title: 'Limits', body: 'l' });
    const [files, messages] = [await fileCount(), await messageCount()];
    const filesBefore = await fileCount();
    await t.kernel.options.set('forum', 'attach_max_kb', 1);
    try {
      await api().reply(who('bob'), { topicId: topic.id, body: 'small', files: [{ name: 'ok.txt', buffer: Buffer.alloc(1024, 97) }] });
      await assert.rejects(api().reply(who('bob'), { topicId: topic.id, body: 'big', files: [{ name: 'ok.txt', buffer: Buffer.alloc(1025, 97) }] }), { code: 'FORUM_ATTACHMENT_TOO_LARGE', status: 413 });
      await t.kernel.options.set('forum', 'attach_max_kb', 0);
      await assert.rejects(api().reply(who('bob'), { topicId: topic.id, body: 'off', files: [{ name: 'ok.txt', buffer: text('x') }] }), { code: 'FORUM_ATTACHMENTS_OFF' });
    } finally {
      await t.kernel.options.reset('forum', 'attach_max_kb');
    }
    const tooMany = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, buffer: text('x') }));
    await assert.rejects(api().reply(who('bob'), { topicId: topic.id, body: 'many', files: tooMany }), { code: 'FORUM_TOO_MANY_ATTACHMENTS' });
    assert.deepEqual([await fileCount(), await messageCount()], [files + 1, messages + 1], 'only the accepted reply and its file');
    const quick = await t.kernel.users.principalOf(await t.kernel.users.create({ login: 'quick', email: 'quick@example.com', password: PASSWORD }));
    await t.kernel.options.set('forum', 'flood_posts', 1);
    try {
      await api().reply(quick, { topicId: topic.id, body: 'one' });
      await assert.rejects(api().reply(quick, { topicId: topic.id, body: 'flood', files: [{ name: 'ok.txt', buffer: text('x') }] }), { code: 'FORUM_FLOOD' });
      assert.equal(await fileCount(), filesBefore + 1, 'the file of a refused post is removed again');
    } finally {
      await t.kernel.options.reset('forum', 'flood_posts');
    }
  });

  it('deleting a forum for good in the admin takes its attachments and their files along', async () => {
    const doomed = await makeForum(t.kernel, p, 'Doomed');
    const { message } = await api().createTopic(who('ann'), { forumId: doomed, title: 'Going away', body: 'x', files: [{ name: 'gone.txt', mimeType: 'text/plain', buffer: text('gone') }] });
    const [attachment] = await api().attachments.list(who('ann'), message.id);
    const before = await fileCount();
    await api().admin.deleteForum(ADMIN, doomed, { withTopics: true });
    assert.equal(await fileCount(), before - 1, 'the kernel file is deleted');
    await assert.rejects(t.kernel.files.get(attachment!.fileId));
    const rows = await t.kernel.connections.main()('forum_attachments').where({ message_id: message.id }).count({ n: '*' });
    assert.equal(Number((rows as { n: unknown }[])[0]!.n), 0, 'no attachment row is left');
  });

  it('the type option attach_types takes effect: only the listed extensions, any case; empty allows any', async () => {
    const { topic } = await api().createTopic(who('mod'), { forumId: open, title: 'Types', body: 't' });
    await t.kernel.options.set('forum', 'attach_types', 'txt, .PDF');
    try {
      await api().reply(who('bob'), { topicId: topic.id, body: 'pdf', files: [{ name: 'Report.Pdf', buffer: text('%PDF') }] });
      await assert.rejects(api().reply(who('bob'), { topicId: topic.id, body: 'exe', files: [{ name: 'setup.exe', buffer: text('MZ') }] }), { code: 'FORUM_ATTACHMENT_TYPE', status: 415 });
      await assert.rejects(api().reply(who('bob'), { topicId: topic.id, body: 'none', files: [{ name: 'noext', buffer: text('x') }] }), { code: 'FORUM_ATTACHMENT_TYPE' });
      await t.kernel.options.set('forum', 'attach_types', '');
      await api().reply(who('bob'), { topicId: topic.id, body: 'exe ok', files: [{ name: 'setup.exe', buffer: text('MZ') }] });
    } finally {
      await t.kernel.options.reset('forum', 'attach_types');
    }
    await assert.rejects(api().reply(who('bob'), { topicId: topic.id, body: 'exe', files: [{ name: 'setup.exe', buffer: text('MZ') }] }), { code: 'FORUM_ATTACHMENT_TYPE' }, 'not in the default list');
  });

  it('the reply form without JS uploads files as multipart, checks the CSRF token, and shows the names escaped', async () => {
    const { topic } = await api().createTopic(who('mod'), { forumId: open, title: 'Form upload', body: 'f' });
    const bob = await client('bob');
    const page = await (await bob.get(`/forum/topic/${topic.id}/`)).text();
    assert.match(page, /<form method="post" action="[^"]+" class="forum-reply" enctype="multipart\/form-data"/);
    assert.match(page, /<input type="file" id="forum-reply-files" name="files" multiple>/);
    const csrf = HttpClient.csrfFrom(page);
    const [files, messages] = [await fileCount(), await messageCount()];
    const evil = `a'&<b>x.txt`; // FormData sends a double quote in a file name as %22
    const noToken = await bob.request('POST', `/forum/post/reply/${topic.id}/`, { body: multipart([['body', 'no token']], [{ name: 'x.txt', type: 'text/plain', data: text('x') }]) });
    assert.equal(noToken.status, 403);
    assert.deepEqual([await fileCount(), await messageCount()], [files, messages]);
    const back = `/forum/topic/${topic.id}/`;
    const posted = await bob.request('POST', `/forum/post/reply/${topic.id}/`, {
      body: multipart([['_csrf', csrf], ['back', back], ['body', 'with a file']], [{ name: evil, type: 'text/plain', data: text('form file') }]),
    });
    assert.equal(posted.status, 303);
    const after = await (await bob.get(posted.headers.get('location')!)).text();
    const list = /<ul class="forum-attachments"[^>]*>([\s\S]*?)<\/ul>/.exec(after)?.[1] ?? '';
    assert.match(list, /<a href="\/forum\/attachment\/(\d+)\/">a&#39;&amp;&lt;b&gt;x.txt<\/a>/);
    const href = /href="(\/forum\/attachment\/\d+\/)"/.exec(list)![1]!;
    const download = await bob.get(href);
    assert.equal(await download.text(), 'form file');
    assert.doesNotMatch(download.headers.get('content-disposition') ?? '', /[<>"]b/, 'the download name is the safe one');
    const big = await bob.request('POST', `/forum/post/reply/${topic.id}/`, {
      body: multipart([['_csrf', csrf], ['back', back], ['body', 'bad type']], [{ name: 'run.exe', type: 'application/octet-stream', data: text('MZ') }]),
    });
    assert.equal(big.status, 303, 'a refused file goes back to the form');
    assert.match(await (await bob.get(big.headers.get('location')!)).text(), /role="alert"[^>]*>This type of file cannot be attached/);
  });
  it('the new-topic form takes files too: multipart with the CSRF token, and the topic opens with them', async () => {
    const bob = await client('bob');
    const page = await (await bob.get(`/forum/${open}/new/`)).text();
    assert.match(page, /class="forum-new-topic-form" enctype="multipart\/form-data"/);
    assert.match(page, /<input type="file" id="forum-topic-files" name="files" multiple>/);
    const posted = await bob.request('POST', `/forum/post/topic/${open}/`, {
      body: multipart([['_csrf', HttpClient.csrfFrom(page)], ['back', `/forum/${open}/new/`], ['title', 'Topic with a file'], ['body', 'see the file']], [{ name: 'notes.txt', type: 'text/plain', data: text('topic file') }]),
    });
    assert.equal(posted.status, 303);
    const topicPage = await (await bob.get(posted.headers.get('location')!)).text();
    assert.match(topicPage, /Topic with a file/);
    const href = /<ul class="forum-attachments"[^>]*>[\s\S]*?href="(\/forum\/attachment\/\d+\/)">notes\.txt<\/a>/.exec(topicPage)?.[1];
    assert.ok(href, 'the first message lists its file');
    assert.equal(await (await bob.get(href)).text(), 'topic file');
    await t.kernel.options.set('forum', 'attach_max_kb', 0);
    try {
      assert.doesNotMatch(await (await bob.get(`/forum/${open}/new/`)).text(), /forum-topic-files|multipart/, 'no file field when attachments are off');
    } finally {
      await t.kernel.options.reset('forum', 'attach_max_kb');
    }
  });
});
