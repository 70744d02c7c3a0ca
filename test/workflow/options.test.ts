import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { queuedCount } from '../harness/mail-delivery.js';
import { ADMIN, bootWorkflow, ELEMENT, memoTemplate, openTasks, type WfFixture } from './fixture.js';

describeEachDb('workflow options', (kind) => {
  let f: WfFixture;
  const wf = () => f.kernel.api('workflow');
  const start = async (name: string) => {
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name });
    return wf().instances.start(ADMIN, 'memo-opt', ELEMENT, String(el.id));
  };
  before(async () => {
    f = await bootWorkflow(kind, { mail: { smtpUrl: 'smtp://127.0.0.1:9' } });
    await wf().templates.save(ADMIN, memoTemplate('memo-opt', [{ type: 'approve', assignees: [{ user: 'ed1' }] }]));
  });
  after(async () => f?.t.close());

  it('"mail people their new tasks" off: no task mail is queued; on: one per task', async () => {
    await f.kernel.options.set('workflow', 'notify_assignees', false);
    await start('Quiet');
    assert.equal(await queuedCount(f.kernel, 'WORKFLOW_TASK', 'ed1@example.com'), 0);
    await f.kernel.options.set('workflow', 'notify_assignees', true);
    await start('Loud');
    assert.equal(await queuedCount(f.kernel, 'WORKFLOW_TASK', 'ed1@example.com'), 1);
  });

  it('"a rejection needs a comment" refuses a rejection without one and changes nothing', async () => {
    const inst = await start('Comment please');
    const task = (await openTasks(f.kernel, inst.id)).get(f.people.ed1)!;
    const ed1 = await f.principal(f.people.ed1);
    await f.kernel.options.set('workflow', 'reject_needs_comment', true);
    try {
      await assert.rejects(wf().tasks.decide(ed1, task, { decision: 'reject', comment: '  ' }), { code: 'WORKFLOW_DECISION_INVALID', message: 'A rejection needs a comment' });
      assert.equal((await wf().tasks.get(ADMIN, task)).status, 'open');
      await wf().tasks.decide(ed1, task, { decision: 'reject', comment: 'Not now' });
    } finally {
      await f.kernel.options.set('workflow', 'reject_needs_comment', false);
    }
    assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'completed');
  });

  it('"minutes an edit lock lasts" sets how long a lock holds', async () => {
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.news, { name: 'Lock length' });
    await f.kernel.options.set('workflow', 'lock_minutes', 2);
    const before = Date.now();
    const st = await wf().statuses.lock(await f.principal(f.people.ed1), String(el.id));
    const minutes = (st.lockedUntil!.getTime() - before) / 60_000;
    assert.ok(minutes > 1.9 && minutes <= 2.1, `${minutes} minutes`);
  });
});
