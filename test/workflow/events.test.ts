import assert from 'node:assert/strict';
import { byCall, callName, readEventCatalog } from '../docs/event-catalog.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { ADMIN, bootWorkflow, ELEMENT, memoTemplate, openTasks, type WfFixture } from './fixture.js';

const catalog = readEventCatalog().filter((e) => e.file.startsWith('modules/workflow/'));

describeEachDb('workflow events: each call fires only what docs/events.md says', (kind) => {
  let f: WfFixture;
  const fired: string[] = [];
  const ids = new Map<string, number>();
  const wf = () => f.kernel.api('workflow');
  before(async () => {
    f = await bootWorkflow(kind);
    for (const e of catalog) {
      if (e.kind === 'before') f.kernel.events.onBefore(e.name as never, () => void fired.push(e.name));
      else f.kernel.events.onAfter(e.name as never, () => void fired.push(e.name));
    }
    await wf().templates.save(ADMIN, memoTemplate('ev-one', [{ type: 'approve', assignees: [{ user: 'ed1' }] }]));
    await wf().templates.save(ADMIN, memoTemplate('ev-late', [{ type: 'approve', assignees: [{ user: 'ed1' }], deadline: { after: 60, escalateTo: [{ user: 'ed2' }] } }]));
    ids.set('memo', (await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Events' })).id);
    ids.set('news', (await f.kernel.api('infoblocks').elements.add(ADMIN, f.news, { name: 'News events' })).id);
  });
  after(async () => f?.t.close());

  const runs: [string, () => Promise<unknown>][] = [
    ['api.instances.start', async () => ids.set('one', (await wf().instances.start(ADMIN, 'ev-one', ELEMENT, String(ids.get('memo')))).id)],
    ['api.tasks.decide', async () => wf().tasks.decide(await f.principal(f.people.ed1), (await openTasks(f.kernel, ids.get('one')!)).get(f.people.ed1)!, { decision: 'approve' })],
    ['api.instances.startAsSystem', async () => ids.set('late', (await wf().instances.startAsSystem('ev-late', ELEMENT, String(ids.get('memo')), null)).id)],
    ['api.runTimers', () => wf().runTimers(Date.now() + 61_000)],
    ['api.instances.terminate', () => wf().instances.terminate(ADMIN, ids.get('late')!)],
    ['api.statuses.move', () => wf().statuses.move(ADMIN, String(ids.get('news')), 'ready')],
  ];

  it('runs every documented call; none fires an event its docs leave out, and every event fires', async () => {
    const documented = new Map([...byCall(catalog)].map(([call, list]) => [callName(call), new Set(list.map((l) => l.event.name))]));
    assert.deepEqual([...documented.keys()].sort(), runs.map(([c]) => c).sort(), 'a run for each documented call');
    const seen = new Set<string>();
    for (const [call, run] of runs) {
      fired.length = 0;
      await run();
      assert.ok(fired.length > 0, `${call} fired nothing`);
      for (const name of fired) {
        assert.ok(documented.get(call)!.has(name), `${call} fired ${name}, which docs/events.md does not list for it`);
        seen.add(name);
      }
    }
    assert.deepEqual([...seen].sort(), catalog.map((e) => e.name).sort());
  });
});
