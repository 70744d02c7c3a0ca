import { Command } from 'commander';
import type { ModuleCliTools } from '../../core/modules/types.js';
import { reportLines } from './import/report.js';

/** `portal import cloud` and `portal export cloud` (docs/import.md). */
export function cloudCli(tools: ModuleCliTools): Command[] {
  const importCmd = new Command('import').description('import data from elsewhere into the portal');
  importCmd
    .command('cloud <source>')
    .description('import a Bitrix24 cloud dump (a folder or .zip made by `portal export cloud`) or the cloud\'s CSV/XLS UI exports; re-runs update, never duplicate')
    .option('--dry-run', 'read and check everything, count what would change, write nothing')
    .option('--only <entities>', 'only these entities, separated by commas (users, departments, workgroups, lists, crm, crm_deals, ...)')
    .option('--json', 'print the report as JSON')
    .action(async (source: string, flags: { dryRun?: boolean; only?: string; json?: boolean }) => {
      const report = await tools.withKernel(async (kernel) => {
        if (!kernel.modules.isInstalled('cloudimport')) await kernel.modules.install('cloudimport');
        const api = kernel.api('cloudimport');
        const only = api.parseOnly(flags.only);
        const shown = new Map<string, number>();
        return api.import(source, {
          dryRun: flags.dryRun === true,
          only,
          onProgress: (p) => {
            if (flags.json) return;
            const last = shown.get(`${p.entity}:${p.pass}`) ?? 0;
            if (p.rows - last >= 1000 || last === 0) {
              shown.set(`${p.entity}:${p.pass}`, p.rows);
              tools.line(`${p.entity}${p.pass === 2 ? ' (links)' : ''}: ${p.rows} rows read`);
            }
          },
        });
      });
      if (flags.json) return tools.printJson(report);
      for (const l of reportLines(report)) tools.line(l);
    });
  return [importCmd];
}
