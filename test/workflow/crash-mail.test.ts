import assert from 'node:assert/strict';
import { execa } from 'execa';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';
import { ADMIN, bootWorkflow, type WfFixture } from './fixture.js';
import { slowAdapter } from './slow-adapter.js';
import { MAIL_GRACE_MS } from '../../modules/workflow/engine/notify.js';

describeEachDb('workflow crash in a send-mail step', (kind) => {
  let smtp: TestSmtpServer;
  let f: WfFixture;
  before(async () => {
    smtp = await startSmtpServer();
    f = await bootWorkflow(kind, { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' } });
  });
  after(async () => {
    await f?.t.close();
    await smtp?.stop();
  });

  /** Runs a kill-child script on the test's database until it prints `marker`, kills it with SIGKILL, returns the id. */
  async function killChild(script: string, env: Record<string, string>, marker: RegExp): Promise<number> {
    const child = execa(process.execPath, [path.join(projectRoot, 'dist/test/workflow', script)], {
      env: { PORTAL_WF_CONFIG: JSON.stringify(f.t.env.config), ...env }, reject: false, stdout: 'pipe', stderr: 'pipe',
    });
    const id = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = marker.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void child.then((r) => reject(new Error(`the child ended before ${String(marker)}: ${r.stderr}`)));
    });
    child.kill('SIGKILL');
    assert.equal((await child).signal, 'SIGKILL');
    return id;
  }

  it('kill -9 after the mail was queued and before the step was saved: the step runs again and one mail arrives', async function () {
    this.timeout(60_000);
    const wf = f.kernel.api('workflow');
    wf.documents.register(slowAdapter(async () => undefined));
    await wf.templates.save(ADMIN, {
      code: 'crash-mail', name: 'Crash mail', document: { type: 'test.slow', scope: null },
      root: { type: 'sequence', activities: [
        { type: 'sendMail', to: 'once@example.com', subject: 'Only once', body: 'One copy of this.' },
        { type: 'setVariable', name: 'after', value: 'done' },
      ] },
    });
    const id = await killChild('kill-child-mail.js', { PORTAL_WF_TEMPLATE: 'crash-mail' }, /queued (\d+)/);
    const held = await wf.instances.get(ADMIN, id);
    assert.equal(held.status, 'running');
    assert.equal(held.state.vars.after, undefined, 'the send-mail step was not saved as done');

    await new Promise((r) => setTimeout(r, 1100)); // the dead process's lease (1 s) runs out
    await wf.runTimers();
    assert.equal((await wf.instances.get(ADMIN, id)).status, 'completed', 'the step ran again here');
    await f.kernel.mail.processQueue();
    await f.kernel.mail.processQueue();
    const got = smtp.messages.filter((m) => m.to.includes('once@example.com'));
    assert.equal(got.length, 1, 'the SMTP server received the mail exactly once');
    assert.equal(got[0]!.subject, 'Only once');
    const log = await wf.instances.log(ADMIN, id);
    assert.equal(log.filter((l) => l.action === 'sendMail').length, 1);
  });

  it('a send-mail step in a loop still sends once per turn (the key changes with each saved turn)', async () => {
    const wf = f.kernel.api('workflow');
    await wf.templates.save(ADMIN, {
      code: 'loop-mail', name: 'Loop mail', document: { type: 'test.slow', scope: null },
      root: { type: 'sequence', activities: [
        { type: 'setVariable', name: 'n', value: 0 },
        { type: 'while', condition: { '<VAR_n': 1 }, maxIterations: 3, body: [{ type: 'sendMail', to: 'loop@example.com', subject: 'Turn', body: 'x' }] },
      ] },
    });
    const inst = await wf.instances.startAsSystem('loop-mail', 'test.slow', '2', null);
    assert.equal((await wf.instances.get(ADMIN, inst.id)).status, 'completed');
    await f.kernel.mail.processQueue();
    assert.equal(smtp.messages.filter((m) => m.to.includes('loop@example.com')).length, 3);
  });
  for (const hang of ['before', 'after'] as const) {
    it(`kill -9 ${hang} queueing a new task's mail (the round committed): the agent queues it, each assignee gets one mail`, async function () {
      this.timeout(60_000);
      const wf = f.kernel.api('workflow');
      const code = `crash-task-${hang}`;
      await wf.templates.save(ADMIN, {
        code, name: code, document: { type: 'test.slow', scope: null },
        root: { type: 'sequence', activities: [{ type: 'approve', title: `Sign ${hang}`, assignees: [{ user: 'ed1' }, { user: 'ed2' }], quorum: 'all' }] },
      });
      const id = await killChild('kill-child-mail.js', { PORTAL_WF_TEMPLATE: code, PORTAL_WF_HANG: hang }, /hung (\d+)/);
      const tasks = await wf.instances.tasks(ADMIN, id);
      assert.equal(tasks.filter((t) => t.status === 'open').length, 2, 'the round and its tasks were committed');
      const subject = `New task: Sign ${hang}`;
      const queued = async () => (await f.kernel.mail.queue({ limit: 500 })).filter((m) => m.eventType === 'WORKFLOW_TASK' && m.subject === subject).length;
      assert.equal(await queued(), hang === 'after' ? 1 : 0, 'the dead process queued the first mail only in the "after" case');

      assert.equal((await wf.runTimers(Date.now())).mailed, 0, 'within the grace time the agent leaves the mails to their process');
      const later = Date.now() + MAIL_GRACE_MS + 1000;
      assert.equal((await wf.runTimers(later)).mailed, 2, 'after it, the agent queues both pending mails');
      assert.equal((await wf.runTimers(later)).mailed, 0, 'and none again on its next run');
      assert.equal(await queued(), 2, 'the idempotency key kept one queued mail per task');
      await f.kernel.mail.processQueue();
      await f.kernel.mail.processQueue();
      for (const login of ['ed1', 'ed2']) {
        const got = smtp.messages.filter((m) => m.to.includes(`${login}@example.com`) && m.subject === subject);
        assert.equal(got.length, 1, `the SMTP server received ${login}'s task mail exactly once`);
        const task = tasks.find((t) => t.userId === (login === 'ed1' ? f.people.ed1 : f.people.ed2))!;
        assert.match(got[0]!.text, new RegExp(`/workflow/task/\\?id=${task.id}\\b`));
      }
      await wf.instances.terminate(ADMIN, id);
    });
  }

  it('a task closed before its pending mail was queued gets no mail', async () => {
    const wf = f.kernel.api('workflow');
    await f.kernel.options.set('workflow', 'lease_seconds', 60);
    await wf.templates.save(ADMIN, {
      code: 'closed-pending', name: 'closed-pending', document: { type: 'test.slow', scope: null },
      root: { type: 'sequence', activities: [{ type: 'approve', title: 'Closed early', assignees: [{ user: 'ed1' }] }] },
    });
    const inst = await wf.instances.startAsSystem('closed-pending', 'test.slow', '3', null);
    const task = (await wf.instances.tasks(ADMIN, inst.id))[0]!;
    const db = f.kernel.db('workflow');
    await db.write('tasks').where({ id: task.id }).update({ mail_pending: true }); // as a process that died would leave it
    await wf.instances.terminate(ADMIN, inst.id);
    assert.equal((await wf.runTimers(Date.now() + MAIL_GRACE_MS + 1000)).mailed, 0);
    assert.equal(Boolean((await db.write('tasks').where({ id: task.id }).first('mail_pending'))!.mail_pending), false, 'the flag was cleared');
  });
});
