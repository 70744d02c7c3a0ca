import { Command } from 'commander';
import { line } from '../utils/output.js';
import { APP_NAME, call, daemonRunning, describeApp, withPm2 } from '../utils/pm2.js';

export function stopCommand(): Command {
  return new Command('stop').description('stop the portal running under pm2').action(async () => {
    if (!daemonRunning()) return line('The portal is not running under pm2.');
    const stopped = await withPm2(async (pm2) => {
      const procs = await describeApp(pm2);
      if (procs.length === 0) return 0;
      await call((cb) => pm2.delete(APP_NAME, cb));
      return procs.length;
    });
    line(stopped ? `Portal stopped (${stopped} process${stopped > 1 ? 'es' : ''}).` : 'The portal is not running under pm2.');
  });
}
