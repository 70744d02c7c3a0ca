import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { deliverMail, linkIn, queuedCount } from '../harness/mail-delivery.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';
import { shippedTemplates } from '../../modules/workflow/shipped/templates.js';
import { ADMIN, bootWorkflow, ELEMENT, memoTemplate, openTasks, type WfFixture } from './fixture.js';

describeEachDb('workflow approvals', (kind) => {
  let smtp: TestSmtpServer;
  let f: WfFixture;
  const wf = () => f.kernel.api('workflow');
  const ib = () => f.kernel.api('infoblocks');
  const memo = async (name: string) => (await ib().elements.add(await f.principal(f.people.author), f.memos, { name })).id;

  before(async () => {
    smtp = await startSmtpServer();
    f = await bootWorkflow(kind, { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' }, http: { publicUrl: 'http://portal.example.com' } });
    const publish = shippedTemplates.find((x) => x.code === 'publish-on-approve')!;
    await wf().templates.save(ADMIN, { ...publish, code: 'news-publish', active: true, document: { type: ELEMENT, scope: 'news' } });
  });
  after(async () => {
    await f?.t.close();
    await smtp?.stop();
  });

  it('ships the four templates, switched off', async () => {
    const codes = (await wf().templates.list()).filter((x) => !x.active).map((x) => x.code);
    for (const c of ['approve-one-step', 'approve-two-step', 'onboarding-acknowledge', 'publish-on-approve']) assert.ok(codes.includes(c), c);
  });

  it('publish on approve: an editor submits, both editors are mailed, one approves, the item is published and the author is told', async () => {
    const author = await f.principal(f.people.author);
    const el = await ib().elements.add(author, f.news, { name: 'Quarterly results', active: true });
    assert.equal((await ib().elements.get(ADMIN, el.id)).active, false, 'waits unpublished');
    const [inst] = await wf().instances.forDocument(ADMIN, ELEMENT, String(el.id));
    assert.ok(inst, 'the template started on create');
    assert.equal(inst.status, 'running');
    assert.equal((await wf().statuses.state(ELEMENT, String(el.id)))!.status.code, 'ready');

    const tasks = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...tasks.keys()].sort(), [f.people.ed1, f.people.ed2].sort());
    for (const login of ['ed1', 'ed2']) {
      const msg = await deliverMail(f.kernel, smtp, 'WORKFLOW_TASK', `${login}@example.com`);
      assert.match(msg.subject, /Publish “Quarterly results”\?/);
      const taskId = tasks.get(login === 'ed1' ? f.people.ed1 : f.people.ed2)!;
      assert.equal(linkIn(msg), `http://portal.example.com/workflow/task/?id=${taskId}`);
    }

    await wf().tasks.decide(await f.principal(f.people.ed1), tasks.get(f.people.ed1)!, { decision: 'approve', comment: 'Good' });
    const after = await wf().instances.get(ADMIN, inst.id);
    assert.equal(after.status, 'completed');
    assert.equal((await ib().elements.get(ADMIN, el.id)).active, true, 'published');
    assert.equal((await wf().statuses.state(ELEMENT, String(el.id)))!.status.code, 'published');
    const told = await deliverMail(f.kernel, smtp, 'WORKFLOW_MAIL', 'author@example.com');
    assert.equal(told.subject, 'Published: Quarterly results');

    const ed2Task = (await wf().instances.tasks(ADMIN, inst.id)).find((x) => x.userId === f.people.ed2)!;
    assert.equal(ed2Task.status, 'cancelled');
    await assert.rejects(wf().tasks.decide(await f.principal(f.people.ed2), ed2Task.id, { decision: 'reject' }), { code: 'WORKFLOW_TASK_CLOSED' });
    const log = (await wf().instances.log(ADMIN, inst.id)).map((l) => l.action);
    assert.ok(log.includes('task.approve') && log.includes('completed'), log.join(','));
  });

  it('rejection: the department head rejects with a comment, the author gets the rejection mail', async () => {
    const one = shippedTemplates.find((x) => x.code === 'approve-one-step')!;
    await wf().templates.save(ADMIN, { ...one, code: 'memo-one-step', active: true, document: { type: ELEMENT, scope: 'memos' } });
    const id = await memo('Buy a coffee machine');
    const inst = await wf().instances.start(await f.principal(f.people.author), 'memo-one-step', ELEMENT, String(id));
    const tasks = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...tasks.keys()], [f.people.boss], 'the head of the author’s department');
    await deliverMail(f.kernel, smtp, 'WORKFLOW_TASK', 'boss@example.com');
    await wf().tasks.decide(await f.principal(f.people.boss), tasks.get(f.people.boss)!, { decision: 'reject', comment: 'Too expensive' });
    const done = await wf().instances.get(ADMIN, inst.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.state.vars.approval, 'rejected');
    assert.equal((await deliverMail(f.kernel, smtp, 'WORKFLOW_MAIL', 'author@example.com')).subject, 'Rejected: Buy a coffee machine');
    const task = (await wf().instances.tasks(ADMIN, inst.id))[0]!;
    assert.equal(task.decision, 'reject');
    assert.equal(task.comment, 'Too expensive');
  });

  it('deadline: the task escalates to the next person, and a second missed deadline rejects', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-deadline', [
      { type: 'approve', id: 'sign', assignees: [{ user: 'ed2' }], deadline: { after: 60, escalateTo: [{ user: 'boss' }], then: 'reject' },
        onReject: [{ type: 'sendMail', to: 'deadline@example.com', subject: 'Nobody signed {{document.title}}', body: 'Outcome: {{var.sign}}' }] },
    ]));
    const id = await memo('Holiday plan');
    const inst = await wf().instances.start(ADMIN, 'memo-deadline', ELEMENT, String(id));
    const first = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...first.keys()], [f.people.ed2]);
    assert.ok((await wf().tasks.get(ADMIN, first.get(f.people.ed2)!)).deadlineAt, 'the task shows its deadline');

    assert.equal((await wf().runTimers(Date.now() + 1000)).fired, 0, 'nothing is due yet');
    await wf().runTimers(Date.now() + 61_000);
    const second = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...second.keys()], [f.people.boss], 'escalated');
    assert.equal((await wf().tasks.get(ADMIN, first.get(f.people.ed2)!)).status, 'expired');
    await deliverMail(f.kernel, smtp, 'WORKFLOW_TASK', 'boss@example.com');
    await assert.rejects(wf().tasks.decide(await f.principal(f.people.ed2), first.get(f.people.ed2)!, { decision: 'approve' }), { code: 'WORKFLOW_TASK_CLOSED' });

    await wf().runTimers(Date.now() + 61_000);
    const done = await wf().instances.get(ADMIN, inst.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.state.vars.sign, 'rejected');
    const msg = await deliverMail(f.kernel, smtp, 'WORKFLOW_MAIL', 'deadline@example.com');
    assert.equal(msg.subject, 'Nobody signed Holiday plan');
    assert.match(msg.text, /Outcome: rejected/);
  });

  it('quorum: a percentage needs that share of approvals, "all" is rejected by one rejection', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-percent', [{ type: 'approve', id: 'vote', assignees: [{ group: 'content_editors' }, { user: 'boss' }], quorum: { percent: 60 } }]));
    const inst = await wf().instances.start(ADMIN, 'memo-percent', ELEMENT, String(await memo('Office move')));
    const tasks = await openTasks(f.kernel, inst.id);
    assert.equal(tasks.size, 3);
    await wf().tasks.decide(await f.principal(f.people.ed1), tasks.get(f.people.ed1)!, { decision: 'approve' });
    await wf().tasks.decide(await f.principal(f.people.boss), tasks.get(f.people.boss)!, { decision: 'reject' });
    assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'running', '1 of 3 approved, 2 of 3 still reachable');
    await wf().tasks.decide(await f.principal(f.people.ed2), tasks.get(f.people.ed2)!, { decision: 'approve' });
    const done = await wf().instances.get(ADMIN, inst.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.state.vars.vote, 'approved');

    await wf().templates.save(ADMIN, memoTemplate('memo-all', [{ type: 'approve', id: 'vote', assignees: [{ group: 'content_editors' }], quorum: 'all' }]));
    const all = await wf().instances.start(ADMIN, 'memo-all', ELEMENT, String(await memo('Budget')));
    const t2 = await openTasks(f.kernel, all.id);
    await wf().tasks.decide(await f.principal(f.people.ed1), t2.get(f.people.ed1)!, { decision: 'reject' });
    assert.equal((await wf().instances.get(ADMIN, all.id)).state.vars.vote, 'rejected');
  });

  it('review, condition, set field, parallel branches and a delay run through the kernel agent', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-mixed', [
      { type: 'if', condition: { '%NAME': 'urgent' }, then: [{ type: 'setVariable', name: 'path', value: 'fast' }], else: [{ type: 'setVariable', name: 'path', value: 'slow' }] },
      { type: 'parallel', branches: [
        [{ type: 'review', id: 'readA', assignees: [{ user: 'ed1' }] }],
        [{ type: 'review', id: 'readB', assignees: [{ user: 'ed2' }] }],
      ] },
      { type: 'delay', for: 1 },
      { type: 'setField', fields: { NAME: '{{document.title}} ({{var.path}}, read)' } },
    ]));
    const id = await memo('An urgent note');
    const inst = await wf().instances.start(ADMIN, 'memo-mixed', ELEMENT, String(id));
    const tasks = await openTasks(f.kernel, inst.id);
    assert.equal(tasks.size, 2, 'both branches wait');
    await assert.rejects(wf().tasks.decide(await f.principal(f.people.ed1), tasks.get(f.people.ed1)!, { decision: 'approve' }), { code: 'WORKFLOW_DECISION_INVALID' });
    await wf().tasks.decide(await f.principal(f.people.ed1), tasks.get(f.people.ed1)!, { decision: 'ack' });
    assert.equal((await openTasks(f.kernel, inst.id)).size, 1, 'the other branch still waits');
    await wf().tasks.decide(await f.principal(f.people.ed2), tasks.get(f.people.ed2)!, { decision: 'ack' });
    assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'running', 'now in the delay');
    assert.equal((await ib().elements.get(ADMIN, id)).name, 'An urgent note');

    // The delay's timer fires through the module's agent, run the way the kernel's worker runs it.
    await f.kernel.agents.runNow('workflow', 'timers');
    assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'running', 'the second has not passed');
    await new Promise((r) => setTimeout(r, 1100));
    await f.kernel.agents.runNow('workflow', 'timers');
    assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'completed');
    assert.equal((await ib().elements.get(ADMIN, id)).name, 'An urgent note (fast, read)');
  });

  it('request information: required fields are checked, the answers become variables, a loop runs until its condition fails', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-request', [
      { type: 'request', id: 'ask', assignees: [{ author: true }], fields: [{ name: 'amount', label: 'Amount', type: 'number', required: true }, { name: 'why', label: 'Why', type: 'text' }] },
      { type: 'setVariable', name: 'n', value: 0 },
      { type: 'while', condition: { '<VAR_n': 3 }, maxIterations: 10, body: [{ type: 'review', id: 'again', assignees: [{ user: 'ed1' }] }, { type: 'setVariable', name: 'n', value: 3 }] },
      { type: 'setField', fields: { NAME: 'Amount {{var.amount}}: {{var.why}}' } },
    ]));
    const id = await memo('Request');
    const inst = await wf().instances.start(ADMIN, 'memo-request', ELEMENT, String(id));
    const author = await f.principal(f.people.author);
    const task = (await openTasks(f.kernel, inst.id)).get(f.people.author)!;
    await assert.rejects(wf().tasks.decide(author, task, { decision: 'submit', values: { why: 'x' } }), { code: 'WORKFLOW_FORM_INVALID' });
    await assert.rejects(wf().tasks.decide(author, task, { decision: 'submit', values: { amount: 'lots' } }), { code: 'WORKFLOW_FORM_INVALID' });
    assert.equal((await wf().tasks.get(ADMIN, task)).status, 'open', 'a refused answer changes nothing');
    await wf().tasks.decide(author, task, { decision: 'submit', values: { amount: '250', why: 'New chairs' } });
    const review = (await openTasks(f.kernel, inst.id)).get(f.people.ed1)!;
    await wf().tasks.decide(await f.principal(f.people.ed1), review, { decision: 'ack' });
    const done = await wf().instances.get(ADMIN, inst.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.state.vars.amount, 250);
    assert.equal((await ib().elements.get(ADMIN, id)).name, 'Amount 250: New chairs');
    assert.equal((await wf().instances.log(ADMIN, inst.id)).find((l) => l.action === 'loop')?.note, '1 turns');
  });

  it('an edit of a published news item starts the approval again; its draft is published on approval', async () => {
    const ed1 = await f.principal(f.people.ed1);
    const author = await f.principal(f.people.author);
    const el = await ib().elements.add(author, f.news, { name: 'Bus timetable' });
    const [first] = await wf().instances.forDocument(ADMIN, ELEMENT, String(el.id));
    await wf().tasks.decide(ed1, (await openTasks(f.kernel, first!.id)).get(f.people.ed1)!, { decision: 'approve' });
    assert.equal((await ib().elements.get(ADMIN, el.id)).active, true);

    await ib().elements.update(author, el.id, { name: 'Bus timetable (winter)' });
    assert.equal((await ib().elements.get(ADMIN, el.id)).name, 'Bus timetable', 'the live item stays');
    const running = (await wf().instances.forDocument(ADMIN, ELEMENT, String(el.id))).filter((i) => i.status === 'running');
    assert.equal(running.length, 1, 'started on edit');
    await wf().tasks.decide(ed1, (await openTasks(f.kernel, running[0]!.id)).get(f.people.ed1)!, { decision: 'approve' });
    const live = await ib().elements.get(ADMIN, el.id);
    assert.equal(live.name, 'Bus timetable (winter)');
    assert.equal(live.active, true);
  });

  it('two approvers deciding at the same moment produce one decision', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-race', [
      { type: 'approve', id: 'race', assignees: [{ group: 'content_editors' }], quorum: 'any', onApprove: [{ type: 'sendMail', to: 'race@example.com', subject: 'Decided {{document.title}}', body: '' }], onReject: [{ type: 'sendMail', to: 'race@example.com', subject: 'Decided {{document.title}}', body: '' }] },
    ]));
    for (let round = 0; round < 3; round++) {
      const inst = await wf().instances.start(ADMIN, 'memo-race', ELEMENT, String(await memo(`Race ${round}`)));
      const tasks = await openTasks(f.kernel, inst.id);
      const [p1, p2] = [await f.principal(f.people.ed1), await f.principal(f.people.ed2)];
      const results = await Promise.allSettled([
        wf().tasks.decide(p1, tasks.get(f.people.ed1)!, { decision: 'approve' }),
        wf().tasks.decide(p2, tasks.get(f.people.ed2)!, { decision: 'reject' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results.map((r) => r.status)));
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((refused.reason as { code: string }).code, 'WORKFLOW_TASK_CLOSED');
      const all = await wf().instances.tasks(ADMIN, inst.id);
      assert.equal(all.filter((x) => x.status === 'done').length, 1);
      const log = await wf().instances.log(ADMIN, inst.id);
      assert.equal(log.filter((l) => l.action === 'round.decided').length, 1);
      assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'completed');
    }
    assert.equal(await queuedCount(f.kernel, 'WORKFLOW_MAIL', 'race@example.com'), 3, 'one mail per instance');
  });

  it('with quorum "all", two approvals at once both count and the round closes once', async () => {
    await wf().templates.save(ADMIN, memoTemplate('memo-race-all', [{ type: 'approve', id: 'both', assignees: [{ group: 'content_editors' }], quorum: 'all' }]));
    const inst = await wf().instances.start(ADMIN, 'memo-race-all', ELEMENT, String(await memo('Both sign')));
    const tasks = await openTasks(f.kernel, inst.id);
    await Promise.all([
      wf().tasks.decide(await f.principal(f.people.ed1), tasks.get(f.people.ed1)!, { decision: 'approve' }),
      wf().tasks.decide(await f.principal(f.people.ed2), tasks.get(f.people.ed2)!, { decision: 'approve' }),
    ]);
    const done = await wf().instances.get(ADMIN, inst.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.state.vars.both, 'approved');
    assert.equal((await wf().instances.log(ADMIN, inst.id)).filter((l) => l.action === 'round.decided').length, 1);
  });

  it('onboarding: a new user acknowledges the rules (users as documents), their head is told', async () => {
    await wf().templates.setActive(ADMIN, 'onboarding-acknowledge', true);
    const dep = (await f.kernel.users.find(f.people.author))!.departmentId!;
    const hire = await f.kernel.users.create({ login: 'newhire', email: 'newhire@example.com', password: 'new hire password 1', departmentId: dep });
    const [inst] = await wf().instances.forDocument(ADMIN, 'main.user', String(hire.id));
    assert.ok(inst, 'started on user create');
    const tasks = await openTasks(f.kernel, inst.id);
    assert.deepEqual([...tasks.keys()], [hire.id]);
    await wf().tasks.decide(await f.principal(hire.id), tasks.get(hire.id)!, { decision: 'ack' });
    assert.equal((await wf().instances.get(ADMIN, inst.id)).status, 'completed');
    assert.match((await deliverMail(f.kernel, smtp, 'WORKFLOW_MAIL', 'boss@example.com')).subject, /acknowledged the company rules/);
    await wf().templates.setActive(ADMIN, 'onboarding-acknowledge', false);
  });
});
