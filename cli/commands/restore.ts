import path from 'node:path';
import { Command } from 'commander';
import { formatBytes } from '../../core/backup/fs-util.js';
import { restoreBackup } from '../../core/backup/restore-backup.js';
import { Kernel } from '../../core/kernel.js';
import { discoverModules } from '../../core/modules/discover.js';
import { createBackupUi } from '../utils/backup-progress.js';
import { cliLogger, loadPortalConfig } from '../utils/kernel.js';
import { line, printJson } from '../utils/output.js';
import { confirmOrFail } from '../utils/prompt.js';
import { cliErrors } from '../utils/errors.js';
import { daemonRunning, describeApp, withPm2 } from '../utils/pm2.js';

export function restoreCommand(): Command {
  return new Command('restore')
    .description('bring the portal back from a `portal backup` archive (stop the portal first)')
    .argument('<file>', 'the archive')
    .option('-y, --yes', 'replace an installed portal without asking')
    .option('--other-portal', 'allow an archive made by a different portal than the one installed here')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The databases go where this portal's configuration points (PORTAL_DB_URL, var/settings.json,
portal.config.ts); a missing MariaDB database is created. An archive of a newer release is
refused; one of an older release is migrated after the restore. See docs/operations.md.`,
    )
    .action(async (file: string, flags: { yes?: boolean; otherPortal?: boolean; json?: boolean }) => {
      const config = await loadPortalConfig();
      if (daemonRunning() && (await withPm2(describeApp)).length > 0) throw cliErrors.INPUT_INVALID('the portal runs under pm2; stop it first (`portal stop`), then restore');
      const result = await restoreBackup({
        file: path.resolve(file),
        config,
        definitions: await discoverModules(),
        otherPortal: Boolean(flags.otherPortal),
        confirm: (question) => confirmOrFail(question, flags.yes),
        afterRestore: async (cfg, manifest) => {
          const kernel = await Kernel.boot(cfg, { log: cliLogger(), activate: false, duringRestore: true });
          try {
            // A shared cache still holds what the replaced portal cached.
            await kernel.cache.clear();
            const upgraded = await kernel.modules.upgrade();
            await kernel.users.securityLog.record('backup.restored', { details: { archive: path.resolve(file), createdAt: manifest.createdAt, release: manifest.portal.release } });
            return upgraded;
          } finally {
            await kernel.close();
          }
        },
        ui: createBackupUi(),
      });
      const m = result.manifest;
      if (flags.json) return printJson({ file: path.resolve(file), createdAt: m.createdAt, release: m.portal.release, replaced: result.replaced, tables: result.tables, rows: result.rows, files: result.files, migrated: result.migrated, durationMs: result.durationMs });
      line(`Restored the backup of ${m.createdAt} (release ${m.portal.release}): ${result.rows} rows in ${result.tables} tables and ${result.files} files (${formatBytes(m.files.bytes)}) match the archive${result.migrated.length ? `; migrated ${result.migrated.join(', ')}` : ''}; took ${(result.durationMs / 1000).toFixed(1)} s.`);
    });
}
