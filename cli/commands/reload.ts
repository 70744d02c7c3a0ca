import { Command } from 'commander';
import { cliErrors } from '../utils/errors.js';
import { line } from '../utils/output.js';
import { APP_NAME, call, daemonRunning, describeApp, withPm2 } from '../utils/pm2.js';

export function reloadCommand(): Command {
  return new Command('reload')
    .description('restart the portal processes one by one without downtime (pm2 reload)')
    .action(async () => {
      if (!daemonRunning()) throw cliErrors.NOT_RUNNING();
      const count = await withPm2(async (pm2) => {
        const procs = await describeApp(pm2);
        if (procs.length === 0) throw cliErrors.NOT_RUNNING();
        await call((cb) => pm2.reload(APP_NAME, cb));
        return procs.length;
      });
      line(`Portal reloaded (${count} process${count > 1 ? 'es' : ''}).`);
    });
}
