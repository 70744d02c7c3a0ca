import { Command } from 'commander';
import { cliErrors } from '../utils/errors.js';
import { line } from '../utils/output.js';
import { APP_NAME, call, daemonRunning, describeApp, toStatus, withPm2 } from '../utils/pm2.js';

export function reloadCommand(): Command {
  return new Command('reload')
    .description('replace the portal processes one by one without downtime (pm2 reload; cluster mode)')
    .action(async () => {
      if (!daemonRunning()) throw cliErrors.NOT_RUNNING();
      const { count, cluster } = await withPm2(async (pm2) => {
        const procs = await describeApp(pm2);
        if (procs.length === 0) throw cliErrors.NOT_RUNNING();
        await call((cb) => pm2.reload(APP_NAME, cb));
        return { count: procs.length, cluster: procs.every((p) => toStatus(p).mode === 'cluster') };
      });
      if (cluster) line(`Portal reloaded (${count} process${count > 1 ? 'es' : ''}).`);
      // pm2 reloads a fork-mode process by stopping it first (the in-process cache allows one process only).
      else line('Portal restarted (1 process in fork mode: it did not answer while it started; with memcached it runs in cluster mode and reloads without downtime).');
    });
}
