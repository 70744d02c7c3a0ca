import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const DAY = 24 * 3600 * 1000;

describeEachDb('security log purge agent', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind);
  });
  after(async () => {
    await t?.close();
  });

  /** Entries recorded `ages` days ago, as the log itself writes them. */
  async function seed(ages: number[]): Promise<void> {
    await t.kernel.db('main').write('security_log').delete();
    const now = Date.now();
    await t.kernel.db('main').write('security_log').insert(
      ages.map((days) => ({ event: 'login.success', user_id: null, login: `aged${days}`, ip: '192.0.2.1', details: null, created_at: now - days * DAY })),
    );
  }
  const kept = async () => (await t.kernel.users.securityLog.list({ limit: 1000 })).items.map((e) => e.login).sort();

  it('is scheduled daily and keeps what "keep the security log (days)" says', async () => {
    const agent = (await t.kernel.agents.list()).find((a) => a.module === 'main' && a.name === 'security_log.purge');
    assert.equal(agent?.interval, 24 * 3600);

    await seed([1, 20, 60, 100, 400]);
    await t.kernel.agents.runNow('main', 'security_log.purge'); // default: 90 days
    assert.deepEqual(await kept(), ['aged1', 'aged20', 'aged60']);

    await t.kernel.options.set('main', 'security_log_days', 30);
    await t.kernel.agents.runNow('main', 'security_log.purge');
    assert.deepEqual(await kept(), ['aged1', 'aged20']);

    await t.kernel.options.set('main', 'security_log_days', 500);
    await seed([1, 20, 60, 100, 400]);
    await t.kernel.agents.runNow('main', 'security_log.purge');
    assert.deepEqual(await kept(), ['aged1', 'aged100', 'aged20', 'aged400', 'aged60']);

    await t.kernel.options.set('main', 'security_log_days', 0); // keep everything
    await t.kernel.agents.runNow('main', 'security_log.purge');
    assert.equal((await kept()).length, 5);
  });
});
