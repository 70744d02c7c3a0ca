import { Command } from 'commander';
import { createBackupUi } from '../utils/backup-progress.js';
import { cliErrors } from '../utils/errors.js';
import { assertInstalled, loadPortalConfig } from '../utils/kernel.js';
import { line, printJson } from '../utils/output.js';
import { detectLayout } from '../release/layout.js';
import { rollbackUpgrade, upgrade } from '../release/upgrade.js';

export function upgradeCommand(): Command {
  return new Command('upgrade')
    .description('upgrade a portal installed from releases to a new release, or go back with --rollback')
    .option('--to <dir|tarball>', 'the new release: a tarball from `portal release` or a built project folder')
    .option('--rollback', 'go back to the previous release and the backup taken before upgrading from it')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Steps: the release goes to releases/<version> beside the current one; its doctor runs; a
backup is taken; a portal under pm2 is stopped; the new release's migrations run; current
is switched; the portal starts again under pm2 (or, when pm2 does not run it, the new
release is started once to check /readyz). If a step fails, the previous release and its
database come back. Nothing is downloaded unless the dependencies changed and the release
does not carry them (then npm ci runs). See docs/operations.md.`,
    )
    .action(async (flags: { to?: string; rollback?: boolean; json?: boolean }) => {
      if (Boolean(flags.to) === Boolean(flags.rollback)) throw cliErrors.INPUT_INVALID('give either --to <dir|tarball> or --rollback');
      const layout = detectLayout();
      const config = await loadPortalConfig();
      await assertInstalled(config);
      const run = { layout, config, ui: createBackupUi() };
      if (flags.rollback) {
        const r = await rollbackUpgrade(run);
        if (flags.json) return printJson(r);
        return line(`Rolled back from release ${r.from} to ${r.to}; the database is the one of ${r.backup}.`);
      }
      const r = await upgrade(run, flags.to!);
      if (flags.json) return printJson(r);
      line(`Upgraded from release ${r.from} to ${r.to}${r.pm2Instances ? ` (running under pm2, ${r.pm2Instances} instance${r.pm2Instances > 1 ? 's' : ''})` : '; start the portal again (it is not run by pm2)'}. Backup taken before: ${r.backup}`);
    });
}
