import path from 'node:path';
import { Command } from 'commander';
import { createBackup } from '../../core/backup/create-backup.js';
import { formatBytes } from '../../core/backup/fs-util.js';
import { verifyBackup } from '../../core/backup/verify-backup.js';
import { createBackupUi } from '../utils/backup-progress.js';
import { assertInstalled, loadPortalConfig } from '../utils/kernel.js';
import { line, printJson } from '../utils/output.js';

export function backupCommand(): Command {
  const cmd = new Command('backup')
    .description('write one archive of the portal (databases, uploaded files, settings) while it keeps serving')
    .option('--out <file>', 'the archive to write (default: var/backups/portal-backup-<UTC time>.tar.gz)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nRestore it with `portal restore <file>`; check it with `portal backup verify <file>`. See docs/operations.md.')
    .action(async (flags: { out?: string; json?: boolean }) => {
      const config = await loadPortalConfig();
      await assertInstalled(config);
      const result = await createBackup({ config, ...(flags.out ? { out: path.resolve(flags.out) } : {}), ui: createBackupUi() });
      const summary = {
        file: result.file,
        bytes: result.bytes,
        durationMs: result.durationMs,
        release: result.manifest.portal.release,
        databases: result.manifest.databases.map((d) => ({ entry: d.entry, dialect: d.dialect, tables: Object.keys(d.tables).length, rows: Object.values(d.tables).reduce((a, b) => a + b, 0) })),
        files: result.manifest.files.count,
        filesBytes: result.manifest.files.bytes,
        filesMissing: result.manifest.files.missing.length,
      };
      if (flags.json) return printJson(summary);
      line(`Backup written: ${result.file} (${formatBytes(result.bytes)}, ${summary.files} files) in ${(result.durationMs / 1000).toFixed(1)} s`);
    });

  cmd
    .command('verify <file>')
    .description('check an archive: its manifest, every checksum, and that each dump loads into a scratch database')
    .option('--scratch-db <url>', 'MariaDB server for the scratch database (mysql://user:pass@host:port); default: the portal\'s own server')
    .option('--json', 'print JSON')
    .action(async (file: string, _own: unknown, command: Command) => {
      // --json may be parsed by `backup` itself, which has the same option.
      const flags = command.optsWithGlobals<{ scratchDb?: string; json?: boolean }>();
      const config = await loadPortalConfig();
      const result = await verifyBackup({ file: path.resolve(file), portalDbUrl: config.db.url, ...(flags.scratchDb ? { scratchServer: flags.scratchDb } : {}), ui: createBackupUi() });
      const m = result.manifest;
      if (flags.json) return printJson({ ok: true, file: path.resolve(file), createdAt: m.createdAt, release: m.portal.release, entries: result.entries, databases: result.databases, files: m.files.count });
      line(`Backup OK: ${path.resolve(file)} (release ${m.portal.release}, made ${m.createdAt}): ${result.entries} entries match their checksums, ${result.databases.map((d) => `${d.entry} loads with ${d.rows} rows in ${d.tables} tables`).join('; ')}.`);
    });
  return cmd;
}
