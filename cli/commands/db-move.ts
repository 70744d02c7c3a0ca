import { Command } from 'commander';
import { movePortal } from '../../modules/cluster/shards/portal-move/move-portal.js';
import { createRowsUi } from '../../modules/cluster/shards/lib/rows-progress.js';
import { assertInstalled, loadPortalConfig } from '../utils/kernel.js';
import { line, printJson } from '../utils/output.js';

/** `portal db move --to mysql://…`: the whole portal from its SQLite file to MariaDB (docs/shards.md). */
export function dbCommand(): Command {
  const cmd = new Command('db').description('the portal\'s database as a whole');
  cmd
    .command('move')
    .description('move the whole portal from its SQLite file to an empty MariaDB database while it serves (read-only only for the final pass)')
    .requiredOption('--to <url>', 'the MariaDB database: mysql://user:pass@host:port/db (created when missing; must hold no tables)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nThe SQLite file stays as it was: it is the way back. Restart the portal afterwards. See docs/shards.md.')
    .action(async (flags: { to: string; json?: boolean }) => {
      const config = await loadPortalConfig();
      await assertInstalled(config);
      const result = await movePortal({ config, to: flags.to, ui: createRowsUi(process.stderr, Boolean(flags.json)) });
      if (flags.json) return printJson(result);
      line(`Moved ${result.tables} tables (${result.rows} rows) to ${result.to}; read-only for ${result.readOnlyMs} ms. ${result.settingsFile} names the new server; restart the portal (\`portal reload\`). ${result.from} is kept as the way back.`);
      if (process.env.PORTAL_DB_URL) line(`Note: PORTAL_DB_URL is set in this environment and overrides var/settings.json; change it to the new URL too.`);
    });
  return cmd;
}
