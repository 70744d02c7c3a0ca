import assert from 'node:assert/strict';
import { execa } from 'execa';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';
import { ADMIN, bootWorkflow, type WfFixture } from './fixture.js';
import { slowAdapter } from './slow-adapter.js';

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
    const child = execa(process.execPath, [path.join(projectRoot, 'dist/test/workflow/kill-child-mail.js')], {
      env: { PORTAL_WF_CONFIG: JSON.stringify(f.t.env.config), PORTAL_WF_TEMPLATE: 'crash-mail' }, reject: false, stdout: 'pipe', stderr: 'pipe',
    });
    const id = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /queued (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void child.then((r) => reject(new Error(`the child ended before the send: ${r.stderr}`)));
    });
    child.kill('SIGKILL');
    assert.equal((await child).signal, 'SIGKILL');
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
});
