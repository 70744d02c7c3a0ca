import { Command } from 'commander';
import { cliErrors, NOT_RUNNING_EXIT } from '../utils/errors.js';
import { printJson, printTable } from '../utils/output.js';
import { daemonRunning, describeApp, toStatus, withPm2, type AppStatus } from '../utils/pm2.js';

export function statusCommand(): Command {
  return new Command('status')
    .description('show the portal processes running under pm2; exits 1 when there are none')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const processes: AppStatus[] = daemonRunning() ? await withPm2(async (pm2) => (await describeApp(pm2)).map(toStatus)) : [];
      const running = processes.some((p) => p.status === 'online');
      if (flags.json) {
        printJson({ running, processes });
        if (processes.length === 0) process.exitCode = NOT_RUNNING_EXIT;
        return;
      }
      // The same line and exit code as `portal logs` and `portal reload`.
      if (processes.length === 0) throw cliErrors.NOT_RUNNING();
      printTable(processes, [
        { title: 'id', value: (p) => p.pmId },
        { title: 'pid', value: (p) => p.pid },
        { title: 'status', value: (p) => p.status },
        { title: 'mode', value: (p) => p.mode },
        { title: 'uptime s', value: (p) => p.uptimeSeconds },
        { title: 'restarts', value: (p) => p.restarts },
        { title: 'memory MB', value: (p) => p.memoryMb },
        { title: 'cpu %', value: (p) => p.cpu },
      ]);
    });
}
