import { Command } from 'commander';
import { coreErrors } from '../../core/errors/codes.js';
import { planInstall } from '../../installer/plan-modules.js';
import { withKernel } from '../utils/kernel.js';
import { line, printJson, printTable } from '../utils/output.js';
import { createProgressUi } from '../utils/progress.js';
import { confirmOrFail } from '../utils/prompt.js';

export function moduleCommand(): Command {
  const cmd = new Command('module').description('list, install and uninstall modules');

  cmd
    .command('list')
    .description('every module found in the code, with its install state')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) =>
      withKernel(async (kernel) => {
        const installed = new Map(kernel.modules.listInstalled().map((m) => [m.id, m]));
        const rows = [...kernel.modules.available.values()].map((d) => ({
          id: d.id,
          title: d.title.en,
          version: d.version,
          installed: installed.has(d.id),
          installedVersion: installed.get(d.id)?.version ?? null,
          dependencies: d.dependencies ?? {},
        }));
        if (flags.json) return printJson(rows);
        printTable(rows, [
          { title: 'id', value: (r) => r.id },
          { title: 'version', value: (r) => r.version },
          { title: 'installed', value: (r) => (r.installed ? r.installedVersion : 'no') },
          { title: 'dependencies', value: (r) => Object.entries(r.dependencies).map(([id, range]) => `${id} ${range}`) },
          { title: 'title', value: (r) => r.title },
        ]);
      }),
    );

  cmd
    .command('install <id>')
    .description('install a module (and the modules it depends on)')
    .action((id: string) =>
      withKernel(async (kernel) => {
        const plan = planInstall(kernel.modules.available, [id], (m) => kernel.modules.isInstalled(m));
        if (plan.length === 0) return line(`Module ${id} is already installed.`);
        const ui = createProgressUi();
        for (const m of plan) {
          ui.step(`Installing module ${m}${m !== id ? ` (needed by ${id})` : ''}`);
          await kernel.modules.install(m, ui.migration.bind(ui));
          ui.done();
        }
        line(`Installed: ${plan.join(', ')}.`);
      }),
    );

  cmd
    .command('uninstall <id>')
    .description('uninstall a module; its tables and data are kept unless --drop-data')
    .option('--drop-data', "also revert the module's migrations, deleting its tables and data")
    .option('-y, --yes', 'confirm --drop-data without asking')
    .action((id: string, flags: { dropData?: boolean; yes?: boolean }) =>
      withKernel(async (kernel) => {
        const def = kernel.modules.definition(id);
        if (!kernel.modules.isInstalled(id)) throw coreErrors.MODULE_NOT_INSTALLED(id);
        if (def.required) throw coreErrors.MODULE_IN_USE(`module "${id}" is required by the kernel and cannot be uninstalled`);
        if (flags.dropData) await confirmOrFail(`Delete every table and row of module ${id}?`, flags.yes);
        const ui = createProgressUi();
        await kernel.modules.uninstall(id, { dropData: Boolean(flags.dropData) }, ui.migration.bind(ui));
        ui.done();
        line(
          flags.dropData
            ? `Module ${id} uninstalled; its tables and data were deleted.`
            : `Module ${id} uninstalled; its tables and data were kept (reinstalling picks them up; --drop-data deletes them).`,
        );
      }),
    );
  return cmd;
}
