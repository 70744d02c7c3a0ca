import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { ADMIN, bootWorkflow, ELEMENT, memoTemplate, openTasks, PASSWORD, type WfFixture } from './fixture.js';

/** The "my tasks" link of the site header in a page, with its badge's number (0 when it shows none). */
function headerTasks(html: string): { href: string; count: number } | null {
  const m = /<a class="header-item" href="([^"]+)" data-header-item="workflow-tasks"[^>]*>([\s\S]*?)<\/a>/.exec(html);
  if (!m) return null;
  const badge = /data-count="(\d+)"/.exec(m[2]!);
  return { href: m[1]!, count: badge ? Number(badge[1]) : 0 };
}

describeEachDb('workflow task count in the site header', (kind) => {
  let f: WfFixture;
  let server: RunningServer;
  const wf = () => f.kernel.api('workflow');
  const startMemo = async (name: string) => {
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name });
    return (await wf().instances.start(ADMIN, 'memo-header', ELEMENT, String(el.id))).id;
  };

  before(async () => {
    f = await bootWorkflow(kind);
    await wf().templates.save(ADMIN, memoTemplate('memo-header', [{ type: 'approve', id: 'ok', assignees: [{ user: 'ed1' }, { user: 'ed2' }], quorum: 'any' }]));
    server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await f?.t.close();
  });

  for (const template of ['.default', 'intranet']) {
    it(`shows the signed-in user's open tasks, linking to "my tasks", and follows new tasks and decisions (${template})`, async () => {
      await f.kernel.sites.update('s1', { template });
      const ed1 = new HttpClient(server.url);
      assert.equal((await ed1.signIn('ed1', PASSWORD)).status, 302);
      const ed2 = new HttpClient(server.url);
      assert.equal((await ed2.signIn('ed2', PASSWORD)).status, 302);
      const page = async (c: HttpClient) => headerTasks(await (await c.get('/profile/')).text());
      const base = (await page(ed1))!;
      assert.ok(base, 'the header has the link');
      assert.equal(base.href, '/workflow/tasks/');
      assert.equal((await ed1.get(base.href)).status, 200, 'the link works');
      const open = (await wf().tasks.mine(await f.principal(f.people.ed1))).total;
      assert.equal(base.count, open);

      const first = await startMemo(`Header ${template} 1`);
      assert.equal((await page(ed1))!.count, open + 1, 'a new task shows at once (the cached count was invalidated)');
      await startMemo(`Header ${template} 2`);
      assert.equal((await page(ed1))!.count, open + 2);
      assert.equal((await page(ed2))!.count, open + 2, 'the other assignee too');

      await wf().tasks.decide(await f.principal(f.people.ed2), (await openTasks(f.kernel, first)).get(f.people.ed2)!, { decision: 'approve' });
      assert.equal((await page(ed2))!.count, open + 1, 'the decider’s own task is gone');
      assert.equal((await page(ed1))!.count, open + 1, 'the task the quorum cancelled is gone from the other assignee’s count');
      assert.equal((await page(ed1))!.count, open + 1, 'the same from the cache');
    });
  }

  it('shows no tasks link to visitors and a link without a badge to a user with no tasks', async () => {
    await f.kernel.sites.update('s1', { template: '.default' });
    assert.equal(headerTasks(await (await new HttpClient(server.url).get('/auth/login/')).text()), null);
    const outsider = new HttpClient(server.url);
    assert.equal((await outsider.signIn('outsider', PASSWORD)).status, 302);
    const html = await (await outsider.get('/profile/')).text();
    assert.deepEqual(headerTasks(html), { href: '/workflow/tasks/', count: 0 });
    assert.match(html, /title="Open tasks: 0"/);
  });
});
