import { Command, Option } from 'commander';
import { runDoctor, type DoctorCommand } from '../../installer/doctor.js';
import { loadPortalConfig } from '../utils/kernel.js';
import { line, printJson, printTable } from '../utils/output.js';

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check Node.js, the database, cache, directories, migrations and mail; exits 1 when a check fails')
    .addOption(new Option('--for <command>', 'only the checks guarding this command').choices(['install', 'start', 'update']))
    .option('--json', 'print JSON')
    .action(async (flags: { for?: DoctorCommand; json?: boolean }) => {
      const checks = await runDoctor(await loadPortalConfig(), flags.for ? { only: [flags.for] } : {});
      const failed = checks.filter((c) => c.status === 'fail').length;
      if (flags.json) printJson({ ok: failed === 0, checks });
      else {
        printTable(checks, [
          { title: 'status', value: (c) => c.status },
          { title: 'check', value: (c) => c.title },
          { title: 'message', value: (c) => c.message },
        ]);
        line(failed ? `${failed} check(s) failed.` : 'No check failed.');
      }
      if (failed) process.exitCode = 1;
    });
}
