import type { Command } from 'commander';
import { fileErrors, formatBytes } from '../../core/files/file-errors.js';
import type { ModuleCliTools } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';

/** `portal infoblocks sweep-files`: deletes stored files no element uses (see files.sweepUnused). */
export function addSweepCommand(cmd: Command, tools: ModuleCliTools, system: Principal): void {
  cmd
    .command('sweep-files')
    .description('delete infoblock files no element uses (stored before file tracking, or left by a crash)')
    .option('--older-than <hours>', 'only files stored at least this many hours ago', '24')
    .option('--dry-run', 'count them and their size without deleting')
    .option('--json', 'print the report as JSON')
    .action(async (flags: { olderThan: string; dryRun?: boolean; json?: boolean }) => {
      const hours = Number(flags.olderThan);
      if (flags.olderThan.trim() === '' || !Number.isFinite(hours) || hours < 0) throw fileErrors.FILE_INPUT_INVALID(`--older-than must be a number of hours, 0 or more, not "${flags.olderThan}"`);
      const report = await tools.withKernel((kernel) => kernel.api('infoblocks').files.sweepUnused(system, { olderThanHours: hours, dryRun: flags.dryRun }));
      if (flags.json) return tools.printJson(report);
      const found = `${report.files} unused files (${formatBytes(report.bytes)})`;
      tools.line(report.dryRun ? `Dry run, nothing deleted: ${found} would be deleted` : `${found}; ${report.deleted} deleted`);
    });
}
