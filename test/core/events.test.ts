import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { EventBus } from '../../core/events/event-bus.js';
import { pino } from 'pino';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { alpha } from '../fixtures/test-modules.js';

describe('event bus', () => {
  it('runs before-listeners in priority order and lets them change the data', async () => {
    const bus = new EventBus(pino({ level: 'silent' }));
    const seen: string[] = [];
    bus.onBefore('alpha.note.create', (e) => void seen.push(`b:${e.data.title}`), { priority: 200 });
    bus.onBefore('alpha.note.create', (e) => {
      seen.push(`a:${e.data.title}`);
      e.data = { title: e.data.title.toUpperCase() };
    }, { priority: 10 });
    const out = await bus.runBefore('alpha.note.create', { title: 'x' });
    assert.deepEqual(seen, ['a:x', 'b:X']);
    assert.deepEqual(out, { title: 'X' });
  });

  it('a veto stops the action with a 422 and the reason', async () => {
    const bus = new EventBus(pino({ level: 'silent' }));
    let later = false;
    bus.onBefore('alpha.note.create', (e) => e.veto('titles may not be empty', 'ALPHA_EMPTY'), { module: 'alpha' });
    bus.onBefore('alpha.note.create', () => void (later = true), { priority: 500 });
    await assert.rejects(bus.runBefore('alpha.note.create', { title: '' }), (err: Error & { code: string; status: number }) => {
      assert.equal(err.code, 'ALPHA_EMPTY');
      assert.equal(err.status, 422);
      assert.equal(err.message, 'titles may not be empty');
      return true;
    });
    assert.equal(later, false, 'listeners after a veto do not run');
  });

  it('a failing after-listener is logged and the others still run', async () => {
    const logged: unknown[] = [];
    const log = pino({ level: 'error' }, { write: (s: string) => void logged.push(JSON.parse(s)) });
    const bus = new EventBus(log);
    const ran: number[] = [];
    bus.onAfter('alpha.note.created', () => {
      throw new Error('boom');
    }, { priority: 1, module: 'x' });
    bus.onAfter('alpha.note.created', (p) => void ran.push(p.id), { priority: 2 });
    await bus.emitAfter('alpha.note.created', { id: 7, title: 't' });
    assert.deepEqual(ran, [7]);
    assert.equal(logged.length, 1);
    assert.match(JSON.stringify(logged[0]), /boom/);
  });

  it('removeModule drops that module\'s listeners only', () => {
    const bus = new EventBus(pino({ level: 'silent' }));
    bus.onAfter('alpha.note.created', () => undefined, { module: 'a' });
    bus.onAfter('alpha.note.created', () => undefined, { module: 'b' });
    bus.removeModule('a');
    assert.equal(bus.listenerCount('alpha.note.created'), 1);
  });
});

describeEachDb('after-events and transactions', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, alpha] });
    await t.kernel.modules.install('alpha');
  });
  after(async () => t.close());

  it('fires after-events only once the transaction has committed', async () => {
    const api = t.kernel.api('alpha');
    const seenCount: number[] = [];
    const off = t.kernel.events.onAfter('alpha.note.created', async () => {
      // A listener on another connection must already see the committed row.
      seenCount.push((await t.kernel.db('alpha').read('notes').count({ n: '*' }))[0]!.n as number);
    });
    await api.add('first');
    off();
    assert.deepEqual(seenCount.map(Number), [1]);
  });

  it('fires nothing when the transaction rolls back', async () => {
    let fired = 0;
    const off = t.kernel.events.onAfter('alpha.note.created', () => void fired++);
    const db = t.kernel.db('alpha');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.table('notes').insert({ title: 'rolled back' });
        await t.kernel.events.emitAfter('alpha.note.created', { id: 0, title: 'rolled back' }, tx);
        throw new Error('abort');
      }),
      /abort/,
    );
    off();
    assert.equal(fired, 0);
    assert.deepEqual(await t.kernel.api('alpha').titles(), ['first']);
  });

  it('a veto keeps the data unchanged', async () => {
    const off = t.kernel.events.onBefore('alpha.note.create', (e) => {
      if (e.data.title.includes('spam')) e.veto('no spam');
    });
    const api = t.kernel.api('alpha');
    await assert.rejects(api.add('buy spam'), /no spam/);
    off();
    assert.deepEqual(await api.titles(), ['first']);
  });
});
