import assert from 'node:assert/strict';
import { execa } from 'execa';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { ADMIN, bootWorkflow, definitions, ELEMENT, memoTemplate, openTasks, type WfFixture } from './fixture.js';
import { slowAdapter } from './slow-adapter.js';

describeEachDb('workflow restarts', (kind) => {
  let f: WfFixture;
  let next: Kernel | undefined;
  before(async () => {
    f = await bootWorkflow(kind);
  });
  after(async () => {
    await next?.close();
    await f?.t.close();
  });

  it('a new kernel on the same database carries on with an instance the old one left waiting', async () => {
    const wf = f.kernel.api('workflow');
    await wf.templates.save(ADMIN, memoTemplate('memo-restart', [
      { type: 'approve', id: 'first', assignees: [{ user: 'ed1' }] },
      { type: 'approve', id: 'second', assignees: [{ user: 'ed2' }] },
      { type: 'setField', fields: { NAME: 'Signed by {{var.first}} and {{var.second}}' } },
    ]));
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Contract' });
    const inst = await wf.instances.start(ADMIN, 'memo-restart', ELEMENT, String(el.id));
    await wf.tasks.decide(await f.principal(f.people.ed1), (await openTasks(f.kernel, inst.id)).get(f.people.ed1)!, { decision: 'approve' });
    await f.kernel.close();

    next = await Kernel.boot(f.t.env.config, { log: silentLogger(), definitions });
    const wf2 = next.api('workflow');
    const ed2 = await next.users.principalOf(await next.users.find(f.people.ed2));
    const tasks = await openTasks(next, inst.id);
    assert.deepEqual([...tasks.keys()], [f.people.ed2], 'the second step waits in the new kernel');
    await wf2.tasks.decide(ed2, tasks.get(f.people.ed2)!, { decision: 'approve' });
    assert.equal((await wf2.instances.get(ADMIN, inst.id)).status, 'completed');
    assert.equal((await next.api('infoblocks').elements.get(ADMIN, el.id)).name, 'Signed by approved and approved');
  });

  it('after kill -9 in the middle of a step, another process takes the lease over and finishes from the saved state', async function () {
    this.timeout(60_000);
    const kernel = next!;
    const wf = kernel.api('workflow');
    const written: Record<string, unknown>[] = [];
    wf.documents.register(slowAdapter(async (fields) => void written.push(fields)));
    await wf.templates.save(ADMIN, {
      code: 'slow-write', name: 'Slow write', document: { type: 'test.slow', scope: null },
      root: { type: 'sequence', activities: [{ type: 'setVariable', name: 'before', value: 'saved' }, { type: 'setField', fields: { NOTE: 'x' } }, { type: 'setVariable', name: 'after', value: 'done' }] },
    });
    const child = execa(process.execPath, [path.join(projectRoot, 'dist/test/workflow/kill-child.js')], {
      env: { PORTAL_WF_CONFIG: JSON.stringify(f.t.env.config), PORTAL_WF_TEMPLATE: 'slow-write' }, reject: false, stdout: 'pipe', stderr: 'pipe',
    });
    const id = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /stuck (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void child.then((r) => reject(new Error(`the child ended before the step: ${r.stderr}`)));
    });
    child.kill('SIGKILL');
    assert.equal((await child).signal, 'SIGKILL');

    const held = await wf.instances.get(ADMIN, id);
    assert.equal(held.status, 'running');
    assert.equal(held.state.vars.before, 'saved', 'the first step was saved before the kill');
    await new Promise((r) => setTimeout(r, 1100)); // the dead process's lease (1 s) runs out
    await wf.runTimers();
    const done = await wf.instances.get(ADMIN, id);
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.state.vars, { before: 'saved', after: 'done' });
    assert.deepEqual(written, [{ NOTE: 'x' }], 'the interrupted step ran again here, once');
    const log = await wf.instances.log(ADMIN, id);
    assert.equal(log.filter((l) => l.activity === 'a.0').length, 1, 'the saved step did not run twice');
  });
});
