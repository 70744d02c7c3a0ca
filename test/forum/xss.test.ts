import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { forumPeople, makeForum, type ForumPeople } from './setup.js';
import { attachmentNameVectors, executable, xssVectors } from './xss-corpus.js';
import { startServer } from '../../core/http/server.js';
import { HttpClient } from '../harness/http-client.js';
import { PASSWORD } from './setup.js';

describeEachDb('forum XSS corpus', (kind) => {
  let t: TestKernel;
  let p: ForumPeople;
  let forumId: number;
  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('forum');
    p = await forumPeople(t.kernel);
    forumId = await makeForum(t.kernel, p, 'XSS');
  });
  after(async () => {
    await t?.close();
  });

  it('the checker itself catches markup that runs', () => {
    for (const bad of ['<script>x</script>', '<img src="x" onerror="y">', '<a href="javascript:x">', '<a href="java&#115;cript:x">', '<a href="//evil">', '<iframe>', '<span style="x">', '<img src=x>']) {
      assert.notEqual(executable(bad), null, bad);
    }
    assert.equal(executable('<a href="https://e.com/?a=1&amp;b=2" rel="x">t</a><img src="https://e.com/i.png" alt="">'), null);
  });

  it('stores no executable markup for any of at least 150 vectors', async () => {
    const vectors = xssVectors();
    assert.ok(vectors.length >= 150, `${vectors.length} vectors`);
    const { topic } = await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId, title: '<script>alert(1)</script>', body: 'corpus' });
    const failures: string[] = [];
    for (const body of vectors) {
      const m = await t.kernel.api('forum').reply(p.principals.get('bob')!, { topicId: topic.id, body });
      const stored = await t.kernel.api('forum').message(p.principals.get('ann')!, m.id);
      assert.equal(stored.source, body, 'the source is kept as written');
      const problem = executable(stored.html);
      if (problem) failures.push(`${JSON.stringify(body)} -> ${problem}: ${stored.html}`);
    }
    assert.deepEqual(failures, []);
  });

  it('keeps the markup that is safe: links, images, quotes with author, code, lists, mentions', async () => {
    const body = '[url=https://example.com/a?b=1]l[/url] [url=/local/]r[/url] [url]mailto:x@example.com[/url] [img]https://example.com/i.png[/img] [quote="Ann"]q[/quote] [code]<b>[/code] [list][*]1[*]2[/list] @bob';
    const { message } = await t.kernel.api('forum').createTopic(p.principals.get('ann')!, { forumId, title: 'Safe', body });
    const html = (await t.kernel.api('forum').message(p.principals.get('bob')!, message.id)).html;
    assert.equal(executable(html), null);
    for (const piece of ['href="https://example.com/a?b=1"', 'href="/local/"', 'href="mailto:x@example.com"', 'src="https://example.com/i.png"', '<cite>Ann</cite>', '<code>&lt;b&gt;</code>', '<li>1</li><li>2</li>', '<span class="forum-mention">@bob</span>']) {
      assert.ok(html.includes(piece), `${piece} in ${html}`);
    }
  });

  it('prints every attachment-name vector escaped on the topic page, as the author gave it', async () => {
    const names = attachmentNameVectors();
    const api = t.kernel.api('forum');
    const { topic } = await api.createTopic(p.principals.get('ann')!, { forumId, title: 'Attachment names', body: 'files' });
    // Any type: a name like '<base href="x//">.txt' keeps no extension once made safe for the disk.
    await t.kernel.options.set('forum', 'attach_types', '');
    try {
      for (let i = 0; i < names.length; i += 5) {
        const files = names.slice(i, i + 5).map((name) => ({ name, mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>') }));
        await api.reply(p.principals.get('bob')!, { topicId: topic.id, body: `batch ${i}`, files });
      }
    } finally {
      await t.kernel.options.reset('forum', 'attach_types');
    }
    const server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    try {
      const client = new HttpClient(server.url);
      assert.ok((await client.signIn('ann', PASSWORD)).status < 400);
      const html = await (await client.get(`/forum/topic/${topic.id}/?page=1`)).text();
      const lists = [...html.matchAll(/<ul class="forum-attachments"[^>]*>([\s\S]*?)<\/ul>/g)].map((m) => m[1]!);
      const shown = lists.flatMap((l) => [...l.matchAll(/<a href="[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]!));
      assert.equal(shown.length, names.length, 'every name is listed');
      const failures = lists.map(executable).filter((x) => x !== null);
      assert.deepEqual(failures, []);
      const unescape = (v: string) => v.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      const stripped = (n: string) => n.replace(/[\u0000-\u001f\u007f]/g, '').trim();
      assert.deepEqual(shown.map(unescape).sort(), names.map(stripped).sort(), 'shown as given, only escaped');
      const [first] = await api.attachments.list(p.principals.get('ann')!, (await api.messages(p.principals.get('ann')!, topic.id)).items[1]!.id);
      const download = await client.get(first!.url);
      assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
      assert.match(download.headers.get('content-disposition') ?? '', /^attachment;/, 'an HTML upload is never shown inline');
    } finally {
      await server.close();
    }
  });
});
