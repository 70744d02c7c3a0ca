import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { effectiveSchedule, runScheduledBackup } from '../../core/backup/scheduled.js';
import { startServer } from '../../core/http/server.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { installPortal } from '../../installer/install.js';
import { createTestEnv, describeEachDb, type TestEnv } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';

describeEachDb('scheduled backups (agent, options, dashboard)', (kind) => {
  let env: TestEnv;
  let kernel: Kernel;
  const schedule = async () => effectiveSchedule(kernel.config, { schedule: await kernel.options.get('main', 'backup_schedule'), keep: await kernel.options.get('main', 'backup_keep') });
  const archives = () => readdirSync(kernel.config.backup.dir).filter((n) => n.endsWith('.tar.gz')).sort();

  before(async function () {
    this.timeout(60_000);
    env = await createTestEnv(kind, { backup: { keep: 5 } });
    await installPortal({ config: env.config, env: {}, adminPassword: 'Admin-pass-123', modules: [] });
    kernel = await Kernel.boot(env.config, { log: silentLogger() });
  });
  after(async () => {
    await kernel?.close();
    await env?.cleanup();
  });

  it('does nothing while no schedule is set in portal.config.ts or the admin area', async () => {
    assert.equal((await kernel.agents.list()).some((a) => a.module === 'main' && a.name === 'backup.scheduled'), true, 'the agent is declared');
    await kernel.agents.runNow('main', 'backup.scheduled');
    assert.equal((await kernel.users.securityLog.list({ event: 'backup.created' })).total, 0);
  });

  it('the schedule and retention set in the admin area run the agent and keep the last N archives', async function () {
    this.timeout(120_000);
    await kernel.options.set('main', 'backup_schedule', '0 * * * *');
    await kernel.options.set('main', 'backup_keep', 2);
    assert.deepEqual(await schedule(), { schedule: '0 * * * *', keep: 2, dir: path.join(env.dir, 'backups') }, 'the options win over portal.config.ts');
    await kernel.agents.runNow('main', 'backup.scheduled');
    assert.equal(archives().length, 1, 'the first run after enabling backs up at once');
    assert.equal(await runScheduledBackup({ config: kernel.config, schedule: await schedule(), securityLog: kernel.users.securityLog, log: silentLogger() }), 'not due', 'not again before the schedule fires');
    for (const hours of [1, 2, 3]) {
      const now = Date.now() + hours * 3_600_000;
      assert.equal(await runScheduledBackup({ config: kernel.config, schedule: await schedule(), securityLog: kernel.users.securityLog, log: silentLogger(), now }), 'done');
    }
    const kept = archives();
    assert.equal(kept.length, 2, 'keeps the last two');
    const made = (await kernel.users.securityLog.list({ event: 'backup.created' })).items.map((e) => path.basename(String(e.details?.file)));
    assert.equal(made.length, 4);
    assert.deepEqual(kept, made.slice(0, 2).sort(), 'the newest two are the ones kept');
  });

  it('a failed backup is in the security log, fails the agent and shows on the admin dashboard', async function () {
    this.timeout(60_000);
    const blocked = path.join(env.dir, 'not-a-folder');
    writeFileSync(blocked, 'a file where the backup folder should be');
    const config = { ...kernel.config, backup: { ...kernel.config.backup, dir: blocked } };
    const now = Date.now() + 10 * 3_600_000;
    await assert.rejects(runScheduledBackup({ config, schedule: effectiveSchedule(config, { schedule: '0 * * * *', keep: 2 }), securityLog: kernel.users.securityLog, log: silentLogger(), now }), /not-a-folder/);
    const failed = await kernel.users.securityLog.list({ event: 'backup.failed' });
    assert.equal(failed.total, 1);
    assert.match(String(failed.items[0]!.details?.error), /not-a-folder/);

    await kernel.options.set('main', 'backup_keep', 2);
    await kernel.options.set('main', 'backup_schedule', 'every day at noon');
    await assert.rejects(kernel.agents.runNow('main', 'backup.scheduled'), /invalid cron expression "every day at noon"/);
    assert.match(String((await kernel.agents.list()).find((a) => a.name === 'backup.scheduled')!.lastError), /invalid cron expression/);

    const server = await startServer(kernel, { host: '127.0.0.1', port: 0 });
    try {
      const admin = new HttpClient(server.url);
      assert.equal((await admin.signIn('admin', 'Admin-pass-123')).status, 302);
      const html = await (await admin.get('/admin/')).text();
      const card = /<div class="card" id="backups">([\s\S]*?)<\/div>\s*<\/div>/.exec(html)?.[1] ?? '';
      assert.match(card, /badge-fail">The last backup failed/);
      assert.match(card, /not-a-folder/);
      assert.match(card, /Schedule: every day at noon \(UTC\), keeping 2/);
      assert.match(html, /badge-fail" title="backup\.failed">[^<]+</, 'in the recent security events, named in words with the code as its title');
    } finally {
      await server.close();
    }
  });
});
