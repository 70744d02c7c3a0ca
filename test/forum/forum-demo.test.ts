import assert from 'node:assert/strict';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { startServer } from '../../core/http/server.js';
import { installPortal } from '../../installer/install.js';
import { createTestEnv, describeEachDb, type TestEnv } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { ADMIN } from './setup.js';

const CHIEF = { adminLogin: 'chief', adminEmail: 'chief@example.com', adminPassword: 'Chief-pass-123' };

async function withKernel<T>(env: TestEnv, fn: (k: Kernel) => Promise<T>): Promise<T> {
  const kernel = await Kernel.boot(env.config, { log: silentLogger() });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}

/** The demo forum as a list of "forum > topic: author, replies" lines and every message's HTML. */
async function forumState(k: Kernel) {
  const api = k.api('forum');
  const forums = await api.forums.list(ADMIN);
  const lines: string[] = [];
  const html: string[] = [];
  for (const f of forums) {
    for (const t of (await api.topics(ADMIN, f.id, { pageSize: 100 })).items) {
      lines.push(`${f.name} > ${t.title}: ${t.authorName}, ${t.replyCount}`);
      html.push(...(await api.messages(ADMIN, t.id, { pageSize: 100 })).items.map((m) => m.html));
    }
  }
  const categories = (await api.forums.categories()).map((c) => c.name);
  return { forums: forums.map((f) => `${f.name}:${f.categoryId !== null}`), categories, lines: lines.sort(), html };
}

describeEachDb('portal install --demo: the forum', (kind) => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv(kind);
  });
  after(async () => env?.cleanup());

  it('adds a category, a forum and topics with replies and quotes by the demo employees, once; employees read it at /forum/', async function () {
    this.timeout(120_000);
    const result = await installPortal({ config: env.config, env: {}, demo: true, modules: ['infoblocks', 'forum'], ...CHIEF });
    assert.deepEqual(result.modules.sort(), ['forum', 'infoblocks', 'main']);
    const first = await withKernel(env, forumState);
    assert.deepEqual(first.categories, ['Company life']);
    assert.deepEqual(first.forums, ['General discussion:true']);
    assert.deepEqual(first.lines, [
      'General discussion > Ideas for the summer party: Maria Garcia, 1',
      'General discussion > The new printer on the second floor: John Doe, 3',
      'General discussion > Welcome to the forum: Anna Smirnova, 2',
    ]);
    assert.ok(first.html.some((h) => /<blockquote class="forum-quote"><cite>Ivan Petrov<\/cite>Thanks, Anna!/.test(h)), 'a reply quotes the one before');
    assert.ok(first.html.some((h) => h.includes('<li>be kind</li>')));

    await installPortal({ config: env.config, env: {}, demo: true, force: true, ...CHIEF });
    assert.deepEqual(await withKernel(env, forumState), first, 'running the demo again adds nothing');

    await withKernel(env, async (k) => {
      const ivan = (await k.users.findByLogin('ivan.petrov'))!;
      await k.users.setPassword(ivan.id, 'demo employee 42');
      const server = await startServer(k, { host: '127.0.0.1', port: 0 });
      try {
        const client = new HttpClient(server.url);
        assert.ok((await client.signIn('ivan.petrov', 'demo employee 42')).status < 400);
        const index = await (await client.get('/forum/')).text();
        assert.match(index, /Company life[\s\S]*General discussion/);
        const forumId = (await k.api('forum').forums.list(ADMIN))[0]!.id;
        const page = await (await client.get(`/forum/${forumId}/`)).text();
        assert.match(page, /Welcome to the forum/);
        assert.match(page, /forum-unread/, 'new to Ivan');
      } finally {
        await server.close();
      }
    });
  });
});
