import assert from 'node:assert/strict';
import { AgentService } from '../../core/agents/agent-service.js';
import { nextCronRun, nextRunAt } from '../../core/agents/schedule.js';
import type { ModuleDb } from '../../core/db/module-db.js';
import { PortalError } from '../../core/errors/portal-error.js';
import { silentLogger } from '../../core/log/logger.js';
import type { AgentDefinition, AgentRow } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIN = 60_000;

function isPortalError(code: string, status: number, text?: string) {
  return (err: unknown) =>
    err instanceof PortalError && err.code === code && err.status === status && (text === undefined || err.message.includes(text));
}

describe('agent schedule', () => {
  it('adds the interval in seconds', () => {
    assert.equal(nextRunAt({ interval: 90 }, 1_000_000), 1_090_000);
  });

  it('evaluates cron in UTC whatever the process time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Sao_Paulo', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        assert.equal(nextCronRun('0 3 * * *', Date.UTC(2026, 0, 1, 12, 0)), Date.UTC(2026, 0, 2, 3, 0), tz);
        assert.equal(nextCronRun('30 1 * * 1', Date.UTC(2026, 0, 1)), Date.UTC(2026, 0, 5, 1, 30), tz); // Monday
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('gives the next occurrence strictly after the given time', () => {
    assert.equal(nextCronRun('*/15 * * * *', Date.UTC(2026, 4, 1, 10, 15)), Date.UTC(2026, 4, 1, 10, 30));
    assert.equal(nextCronRun('*/15 * * * *', Date.UTC(2026, 4, 1, 10, 14, 59, 500)), Date.UTC(2026, 4, 1, 10, 15));
  });

  it('rejects invalid schedules with AGENT_SCHEDULE_INVALID naming the expression', () => {
    assert.throws(() => nextCronRun('61 * * * *', 0), isPortalError('AGENT_SCHEDULE_INVALID', 400, '"61 * * * *"'));
    assert.throws(() => nextCronRun('* * * *', 0), isPortalError('AGENT_SCHEDULE_INVALID', 400, '"* * * *"'));
    assert.throws(() => nextCronRun('0 0 * * * *', 0), isPortalError('AGENT_SCHEDULE_INVALID', 400), 'six fields');
    assert.throws(() => nextRunAt({ interval: 60, cron: '* * * * *' }, 0), isPortalError('AGENT_SCHEDULE_INVALID', 400));
    assert.throws(() => nextRunAt({}, 0), isPortalError('AGENT_SCHEDULE_INVALID', 400));
    assert.throws(() => nextRunAt({ interval: 1.5 }, 0), isPortalError('AGENT_SCHEDULE_INVALID', 400));
    assert.throws(() => nextRunAt({ interval: -5 }, 0), isPortalError('AGENT_SCHEDULE_INVALID', 400));
  });
});

describeEachDb('AgentService', (kind) => {
  let tk: TestKernel;
  let db: ModuleDb;
  const registry = new Map<string, AgentDefinition>();
  /** A service whose process has only `module` active, so tests do not run each other's agents. */
  const service = (module: string, owner = 'node-a') => new AgentService({
    db,
    log: silentLogger(),
    owner,
    resolve: (m, name) => (m === module ? registry.get(`${m}.${name}`) : undefined),
  });

  /** Registers the agents' code (as an active module would) and syncs their rows. */
  async function define(svc: AgentService, module: string, defs: AgentDefinition[]): Promise<void> {
    for (const d of defs) registry.set(`${module}.${d.name}`, d);
    await svc.sync(module, defs);
  }

  async function row(svc: AgentService, module: string, name: string): Promise<AgentRow> {
    const found = (await svc.list()).find((r) => r.module === module && r.name === name);
    assert.ok(found, `agent ${module}.${name} exists`);
    return found;
  }

  async function moduleRows(svc: AgentService, module: string): Promise<AgentRow[]> {
    return (await svc.list()).filter((r) => r.module === module);
  }

  before(async () => {
    tk = await bootTestKernel(kind);
    db = tk.kernel.db('main');
  });

  after(async () => {
    await tk?.close();
  });

  it('sync inserts agents with their first interval and cron run', async () => {
    const svc = service('sync1');
    const before = Date.now();
    await define(svc, 'sync1', [
      { name: 'every-minute', interval: 60, run: async () => undefined },
      { name: 'nightly', cron: '0 3 * * *', run: async () => undefined },
    ]);
    const after = Date.now();
    const minute = await row(svc, 'sync1', 'every-minute');
    assert.equal(minute.interval, 60);
    assert.equal(minute.cron, null);
    assert.equal(minute.active, true);
    assert.equal(minute.attempts, 0);
    assert.equal(minute.lastRunAt, null);
    assert.ok(minute.nextRunAt.getTime() >= before + MIN && minute.nextRunAt.getTime() <= after + MIN);
    const nightly = await row(svc, 'sync1', 'nightly');
    assert.equal(nightly.cron, '0 3 * * *');
    assert.equal(nightly.nextRunAt.getUTCHours(), 3);
    assert.equal(nightly.nextRunAt.getUTCMinutes(), 0);
    assert.ok(nightly.nextRunAt.getTime() > before && nightly.nextRunAt.getTime() <= after + 24 * 60 * MIN);
  });

  it('sync keeps the state of unchanged agents, reschedules changed ones and deletes removed ones', async () => {
    const svc = service('sync2');
    const run = async () => undefined;
    await define(svc, 'sync2', [
      { name: 'keep', interval: 60, run },
      { name: 'change', interval: 60, run },
      { name: 'drop', interval: 60, run },
    ]);
    await define(svc, 'other2', [{ name: 'drop', interval: 60, run }]);
    await db.write('agents').where({ module: 'sync2', name: 'keep' }).update({ next_run_at: 123_000, attempts: 2, last_error: 'x' });
    await define(svc, 'sync2', [
      { name: 'keep', interval: 60, run },
      { name: 'change', cron: '*/5 * * * *', run },
      { name: 'new', interval: 30, run },
    ]);
    const keep = await row(svc, 'sync2', 'keep');
    assert.equal(keep.nextRunAt.getTime(), 123_000);
    assert.equal(keep.attempts, 2);
    assert.equal(keep.lastError, 'x');
    const change = await row(svc, 'sync2', 'change');
    assert.equal(change.interval, null);
    assert.equal(change.cron, '*/5 * * * *');
    assert.equal(change.nextRunAt.getUTCMinutes() % 5, 0);
    assert.deepEqual((await moduleRows(svc, 'sync2')).map((r) => r.name).sort(), ['change', 'keep', 'new']);
    assert.equal((await moduleRows(svc, 'other2')).length, 1, 'other modules untouched');
    await svc.removeModule('other2');
    assert.equal((await moduleRows(svc, 'other2')).length, 0);
  });

  it('sync rejects invalid definitions before writing anything', async () => {
    const svc = service('bad');
    const run = async () => undefined;
    await assert.rejects(
      svc.sync('bad', [{ name: 'ok', interval: 60, run }, { name: 'broken', cron: 'every day', run }]),
      isPortalError('AGENT_SCHEDULE_INVALID', 400, '"every day"'),
    );
    await assert.rejects(svc.sync('bad', [{ name: 'both', interval: 60, cron: '* * * * *', run }]), isPortalError('AGENT_SCHEDULE_INVALID', 400));
    await assert.rejects(svc.sync('bad', [{ name: 'none', run }]), isPortalError('AGENT_SCHEDULE_INVALID', 400));
    await assert.rejects(svc.sync('bad', [{ name: 'zero', interval: 0, run }]), isPortalError('AGENT_SCHEDULE_INVALID', 400));
    await assert.rejects(
      svc.sync('bad', [{ name: 'dup', interval: 60, run }, { name: 'dup', interval: 60, run }]),
      isPortalError('AGENT_DEFINITION_INVALID', 400),
    );
    assert.equal((await moduleRows(svc, 'bad')).length, 0);
  });

  it('runDue runs only due agents, records the run and schedules the next one', async () => {
    const svc = service('due');
    const ran: string[] = [];
    await define(svc, 'due', [
      { name: 'minute', interval: 60, run: async () => void ran.push('minute') },
      { name: 'hour', interval: 3600, run: async () => void ran.push('hour') },
      { name: 'cron', cron: '0 0 1 1 *', run: async () => void ran.push('cron') },
    ]);
    const t = Date.now() + 2 * MIN;
    const result = await svc.runDue(t);
    assert.deepEqual(ran, ['minute']);
    assert.equal(result.failed, 0);
    assert.equal(result.ran, 1);
    const minute = await row(svc, 'due', 'minute');
    assert.equal(minute.lastRunAt?.getTime(), t);
    assert.ok(minute.nextRunAt.getTime() >= t + MIN && minute.nextRunAt.getTime() < t + MIN + 5000);
    assert.equal(minute.leaseOwner, null);
    assert.equal(minute.leaseUntil, null);
    assert.equal(minute.lastError, null);
    await svc.runDue(t + 1000);
    assert.deepEqual(ran, ['minute'], 'not due again yet');
  });

  it('runDue skips agents whose code is not active here, without claiming them', async () => {
    const svc = service('ghost');
    await svc.sync('ghost', [{ name: 'haunt', interval: 60, run: async () => undefined }]); // not in registry
    await svc.runDue(Date.now() + 2 * MIN);
    const ghost = await row(svc, 'ghost', 'haunt');
    assert.equal(ghost.leaseOwner, null);
    assert.equal(ghost.lastRunAt, null);
  });

  it('runs a due job exactly once when two processes race', async () => {
    const a = service('race', 'node-a');
    const b = service('race', 'node-b');
    let runs = 0;
    await define(a, 'race', [{ name: 'job', interval: 60, run: async () => { runs++; await sleep(20); } }]);
    let t = Date.now();
    for (let round = 1; round <= 5; round++) {
      t += 2 * MIN;
      const [ra, rb] = await Promise.all([a.runDue(t), b.runDue(t)]);
      assert.equal(runs, round, `round ${round}`);
      assert.equal(ra.failed + rb.failed, 0);
    }
    const job = await row(a, 'race', 'job');
    assert.equal(job.leaseOwner, null);
  });

  it('takes over a job whose lease expired (its runner died)', async () => {
    const svc = service('lease');
    let runs = 0;
    await define(svc, 'lease', [{ name: 'job', interval: 60, run: async () => void runs++ }]);
    const t = Date.now() + 2 * MIN;
    await db.write('agents').where({ module: 'lease' }).update({ lease_owner: 'dead-node', lease_until: t + 1000 });
    await svc.runDue(t);
    assert.equal(runs, 0, 'lease still valid');
    await svc.runDue(t + 2000);
    assert.equal(runs, 1, 'expired lease taken over');
  });

  it('backs off after failures and gives up until the next schedule after maxAttempts', async () => {
    const svc = service('fail');
    let fail = true;
    await define(svc, 'fail', [{
      name: 'flaky', interval: 24 * 3600, maxAttempts: 3,
      run: async () => { if (fail) throw new Error('smtp down'); },
    }]);
    let t = Date.now() + 25 * 60 * MIN;
    const expectBackoff = [30_000, 60_000];
    for (const [i, delay] of expectBackoff.entries()) {
      assert.deepEqual(await svc.runDue(t), { ran: 0, failed: 1 });
      const r = await row(svc, 'fail', 'flaky');
      assert.equal(r.attempts, i + 1);
      assert.equal(r.lastError, 'smtp down');
      assert.equal(r.leaseOwner, null);
      const next = r.nextRunAt.getTime();
      assert.ok(next >= t + delay && next < t + delay + 5000, `retry ${i + 1} after ~${delay} ms, got ${next - t}`);
      t = next;
    }
    await svc.runDue(t); // third failure = maxAttempts
    const gaveUp = await row(svc, 'fail', 'flaky');
    assert.equal(gaveUp.attempts, 0, 'attempts reset');
    assert.equal(gaveUp.lastError, 'smtp down');
    assert.ok(gaveUp.nextRunAt.getTime() >= t + 24 * 60 * MIN, 'next regular run');
    fail = false;
    await db.write('agents').where({ module: 'fail' }).update({ attempts: 1 });
    assert.deepEqual(await svc.runDue(gaveUp.nextRunAt.getTime()), { ran: 1, failed: 0 });
    const ok = await row(svc, 'fail', 'flaky');
    assert.equal(ok.attempts, 0);
    assert.equal(ok.lastError, null);
  });

  it('runNow runs at once, and reports unknown, busy and failing agents', async () => {
    const svc = service('now');
    let runs = 0;
    await define(svc, 'now', [
      { name: 'job', interval: 3600, run: async () => void runs++ },
      { name: 'bad', interval: 3600, run: async () => { throw new Error('kaput'); } },
    ]);
    await svc.runNow('now', 'job');
    assert.equal(runs, 1);
    const job = await row(svc, 'now', 'job');
    assert.ok(job.lastRunAt);
    assert.ok(job.nextRunAt.getTime() >= Date.now() + 59 * MIN);
    await assert.rejects(svc.runNow('now', 'missing'), isPortalError('AGENT_NOT_FOUND', 404));
    await assert.rejects(svc.runNow('nowhere', 'job'), isPortalError('AGENT_NOT_FOUND', 404));
    await db.write('agents').where({ module: 'now', name: 'job' }).update({ lease_owner: 'node-z', lease_until: Date.now() + 60_000 });
    await assert.rejects(svc.runNow('now', 'job'), isPortalError('CONFLICT', 409));
    assert.equal(runs, 1);
    await assert.rejects(svc.runNow('now', 'bad'), isPortalError('AGENT_FAILED', 500, 'kaput'));
    const bad = await row(svc, 'now', 'bad');
    assert.equal(bad.lastError, 'kaput');
    assert.equal(bad.attempts, 1);
  });

  it('the background worker runs due agents and stop() waits for the run in flight', async () => {
    const idle = service('worker', 'never-started');
    await idle.stop(); // safe without start()
    const svc = service('worker', 'worker');
    let started = 0;
    let finished = 0;
    await define(svc, 'worker', [{ name: 'slow', interval: 3600, run: async () => { started++; await sleep(300); finished++; } }]);
    await db.write('agents').where({ module: 'worker' }).update({ next_run_at: Date.now() - 1000 });
    svc.start(0.1);
    const deadline = Date.now() + 5000;
    while (started === 0 && Date.now() < deadline) await sleep(20);
    assert.equal(started, 1, 'worker picked up the due agent');
    await svc.stop();
    assert.equal(finished, 1, 'stop waited for the run');
    assert.ok((await row(svc, 'worker', 'slow')).lastRunAt);
    await sleep(300);
    assert.equal(started, 1, 'no runs after stop');
  });
});
