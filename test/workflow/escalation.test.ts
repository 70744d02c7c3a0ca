import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { deliverMail } from '../harness/mail-delivery.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';
import { ADMIN, bootWorkflow, ELEMENT, memoTemplate, openTasks, PASSWORD, type WfFixture } from './fixture.js';

const HOUR = 3_600_000;

describeEachDb('workflow escalation levels', (kind) => {
  let smtp: TestSmtpServer;
  let f: WfFixture;
  let root: number;
  const wf = () => f.kernel.api('workflow');

  before(async () => {
    smtp = await startSmtpServer();
    f = await bootWorkflow(kind, { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' } });
    const admins = (await f.kernel.groups.list()).find((g) => g.code === 'administrators')!;
    root = (await f.kernel.users.create({ login: 'root', email: 'root@example.com', password: PASSWORD, groupIds: [admins.id] })).id;
  });
  after(async () => {
    await f?.t.close();
    await smtp?.stop();
  });

  it('a deadline escalates level by level (assignee → department head → administrators), each level with its own time, then decides', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-levels', [
      { type: 'approve', id: 'sign', assignees: [{ user: 'ed2' }], quorum: 'any',
        deadline: { after: '1h', then: 'reject', escalate: [{ to: [{ departmentHead: true }], after: '2h' }, { to: [{ group: 'administrators' }], after: '1d' }] } },
    ]));
    const el = await f.kernel.api('infoblocks').elements.add(await f.principal(f.people.author), f.memos, { name: 'Travel budget' });
    const started = Date.now();
    const inst = await wf().instances.start(ADMIN, 'memo-levels', ELEMENT, String(el.id));
    const first = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...first.keys()], [f.people.ed2]);
    const due1 = (await wf().tasks.get(ADMIN, first.get(f.people.ed2)!)).deadlineAt!.getTime();
    assert.ok(due1 - started >= HOUR && due1 - Date.now() <= HOUR, 'the first level has an hour');

    assert.equal((await wf().runTimers(due1 - 1000)).fired, 0, 'not before its time');
    let t0 = Date.now();
    await wf().runTimers(due1 + 1000);
    const second = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...second.keys()], [f.people.boss], 'level 1: the department head');
    const due2 = (await wf().tasks.get(ADMIN, second.get(f.people.boss)!)).deadlineAt!.getTime();
    assert.ok(due2 - t0 >= 2 * HOUR && due2 - Date.now() <= 2 * HOUR, 'the head has two hours');
    await deliverMail(f.kernel, smtp, 'WORKFLOW_TASK', 'boss@example.com');
    assert.equal((await wf().tasks.get(ADMIN, first.get(f.people.ed2)!)).status, 'expired');

    assert.equal((await wf().runTimers(due2 - 1000)).fired, 0);
    t0 = Date.now();
    await wf().runTimers(due2 + 1000);
    const third = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...third.keys()], [root], 'level 2: the administrators group');
    const due3 = (await wf().tasks.get(ADMIN, third.get(root)!)).deadlineAt!.getTime();
    assert.ok(due3 - t0 >= 24 * HOUR && due3 - Date.now() <= 24 * HOUR, 'the administrators have a day');
    await deliverMail(f.kernel, smtp, 'WORKFLOW_TASK', 'root@example.com');
    await assert.rejects(wf().tasks.decide(await f.principal(f.people.boss), second.get(f.people.boss)!, { decision: 'approve' }), { code: 'WORKFLOW_TASK_CLOSED' });
    const log = (await wf().instances.log(ADMIN, inst.id)).filter((l) => l.action === 'deadline.escalated').map((l) => l.note);
    assert.deepEqual(log, ['level 1: 1 assignee(s)', 'level 2: 1 assignee(s)']);

    await wf().runTimers(due3 + 1000);
    const done = await wf().instances.get(ADMIN, inst.id);
    assert.equal(done.status, 'completed', 'after the last level, `then` decides');
    assert.equal(done.state.vars.sign, 'rejected');
  });

  it('the last level can still decide in time, and escalateTo with escalate together is refused with the path', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-levels-ok', [
      { type: 'approve', id: 'sign', assignees: [{ user: 'ed1' }], deadline: { after: 60, escalate: [{ to: [{ user: 'boss' }] }] } },
    ]));
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Chairs' });
    const inst = await wf().instances.start(ADMIN, 'memo-levels-ok', ELEMENT, String(el.id));
    await wf().runTimers(Date.now() + 61_000);
    const boss = (await openTasks(f.kernel, inst.id)).get(f.people.boss)!;
    assert.ok((await wf().tasks.get(ADMIN, boss)).deadlineAt!.getTime() - Date.now() <= 60_000, 'a level without `after` has the deadline’s time');
    await wf().tasks.decide(await f.principal(f.people.boss), boss, { decision: 'approve' });
    assert.equal((await wf().instances.get(ADMIN, inst.id)).state.vars.sign, 'approved');

    const bad = memoTemplate('memo-levels-bad', [{ type: 'approve', assignees: [{ user: 'ed1' }], deadline: { after: 60, escalateTo: [{ user: 'boss' }], escalate: [{ to: [{ user: 'boss' }] }] } }]);
    await assert.rejects(wf().templates.save(ADMIN, bad), (err: { code: string; message: string }) => {
      assert.equal(err.code, 'WORKFLOW_TEMPLATE_INVALID');
      assert.match(err.message, /root\.activities\.0\.deadline: give either escalateTo/);
      return true;
    });
    await assert.rejects(wf().templates.save(ADMIN, memoTemplate('memo-levels-bad2', [{ type: 'approve', assignees: [{ user: 'ed1' }], deadline: { after: 60, escalate: [{ to: [], after: '1x' }] } }])), { code: 'WORKFLOW_TEMPLATE_INVALID' });
  });
  it('a level that resolves to nobody is skipped (and logged): the next level gets the tasks, and only after the last level `then` decides', async () => {
    await f.kernel.groups.create({ code: 'night_shift', name: 'Night shift' });
    await wf().templates.save(ADMIN, memoTemplate('memo-skip', [
      { type: 'approve', id: 'sign', assignees: [{ user: 'ed1' }], deadline: { after: '1h', then: 'approve', escalate: [
        { to: [{ group: 'night_shift' }], after: '3h' }, { to: [{ user: 'boss' }], after: '2h' }, { to: [{ departmentHead: true }] },
      ] } },
    ]));
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Night taxi' }); // no author: no department head
    const inst = await wf().instances.start(ADMIN, 'memo-skip', ELEMENT, String(el.id));
    const due1 = (await wf().tasks.get(ADMIN, (await openTasks(f.kernel, inst.id)).get(f.people.ed1)!)).deadlineAt!.getTime();
    const t0 = Date.now();
    await wf().runTimers(due1 + 1000);
    const second = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...second.keys()], [f.people.boss], 'the empty group was skipped: level 2 has the tasks');
    assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'running', '`then` did not decide yet');
    const due2 = (await wf().tasks.get(ADMIN, second.get(f.people.boss)!)).deadlineAt!.getTime();
    assert.ok(due2 - t0 >= 2 * HOUR && due2 - Date.now() <= 2 * HOUR, 'the boss has level 2’s two hours, not the skipped level’s three');
    await deliverMail(f.kernel, smtp, 'WORKFLOW_TASK', 'boss@example.com');
    const steps = async () => (await wf().instances.log(ADMIN, inst.id)).filter((l) => l.action.startsWith('deadline.')).map((l) => `${l.action} ${l.note}`);
    assert.deepEqual(await steps(), ['deadline.level.skipped level 1: nobody', 'deadline.escalated level 2: 1 assignee(s)']);

    await wf().runTimers(due2 + 1000);
    const done = await wf().instances.get(ADMIN, inst.id);
    assert.equal(done.status, 'completed', 'level 3 named nobody, so after it `then` decided');
    assert.equal(done.state.vars.sign, 'approved');
    assert.deepEqual((await steps()).slice(2), ['deadline.level.skipped level 3: nobody', 'deadline.passed approve']);
    assert.equal((await wf().tasks.get(ADMIN, second.get(f.people.boss)!)).status, 'expired');
  });
});
