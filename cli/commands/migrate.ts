import { Command } from 'commander';
import { withKernel } from '../utils/kernel.js';
import { line, printJson, printTable } from '../utils/output.js';
import { createProgressUi } from '../utils/progress.js';
import { confirmOrFail } from '../utils/prompt.js';

export function migrateCommand(): Command {
  const cmd = new Command('migrate').description('inspect, apply and revert module migrations');

  cmd
    .command('status')
    .description('every migration of the installed modules (or of one module), applied or pending')
    .option('--module <id>', 'only this module (installed or not)')
    .option('--json', 'print JSON')
    .action((flags: { module?: string; json?: boolean }) =>
      withKernel(async (kernel) => {
        const defs = flags.module ? [kernel.modules.definition(flags.module)] : kernel.modules.installedDefinitions();
        const rows = await kernel.migrator.status(defs);
        if (flags.json) return printJson(rows);
        printTable(rows, [
          { title: 'module', value: (r) => r.module },
          { title: 'migration', value: (r) => r.name },
          { title: 'state', value: (r) => (r.applied ? 'applied' : 'pending') },
          { title: 'batch', value: (r) => r.batch },
          { title: 'applied at', value: (r) => r.appliedAt },
        ]);
        const pending = rows.filter((r) => !r.applied).length;
        line(pending ? `${pending} pending; apply them with \`portal migrate up\`.` : 'Everything is applied.');
      }),
    );

  cmd
    .command('up')
    .description('apply the pending migrations of every installed module (upgrade)')
    .action(() =>
      withKernel(async (kernel) => {
        const ui = createProgressUi();
        const upgraded = await kernel.modules.upgrade(ui.migration.bind(ui));
        ui.done();
        line(upgraded.length ? `Upgraded: ${upgraded.join(', ')}.` : 'Nothing to migrate.');
      }),
    );

  cmd
    .command('down')
    .description("revert a module's latest batch of migrations (or all with --all); this may delete data")
    .requiredOption('--module <id>', 'the module whose migrations to revert')
    .option('--all', 'revert every migration of the module, not only the latest batch')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((flags: { module: string; all?: boolean; yes?: boolean }) =>
      withKernel(async (kernel) => {
        const def = kernel.modules.definition(flags.module);
        await confirmOrFail(`Revert ${flags.all ? 'every' : 'the latest batch of'} migration(s) of module ${def.id}? This may delete data`, flags.yes);
        const ui = createProgressUi();
        const reverted = await kernel.migrator.down(def, { all: Boolean(flags.all) }, ui.migration.bind(ui));
        ui.done();
        line(reverted.length ? `Reverted ${reverted.length}: ${reverted.join(', ')}.` : `Module ${def.id} has no applied migration.`);
      }),
    );
  return cmd;
}
