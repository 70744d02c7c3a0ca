import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { portalLogFile } from '../../core/log/logger.js';
import { cliErrors } from '../utils/errors.js';
import { loadPortalConfig } from '../utils/kernel.js';
import { followFile, lastLines } from '../utils/log-tail.js';
import { note } from '../utils/output.js';
import { intOption } from '../utils/parse.js';
import { daemonRunning } from '../utils/pm2.js';
import { runState } from '../utils/run-state.js';

export function logsCommand(): Command {
  return new Command('logs')
    .description('print the last lines of the portal log (var/log/portal.log: every process, foreground or pm2)')
    .option('--lines <n>', 'how many lines', intOption(1, 100_000), 50)
    .option('-f, --follow', 'keep printing new lines until Ctrl+C')
    .action(async (flags: { lines: number; follow?: boolean }) => {
      const file = portalLogFile(await loadPortalConfig());
      let size = 0;
      if (existsSync(file)) {
        const tail = lastLines(file, flags.lines);
        size = tail.size;
        for (const l of tail.lines) process.stdout.write(`${l}\n`);
      } else {
        // Nothing ever ran here: the same line and exit code as `portal status`.
        if (!daemonRunning()) throw cliErrors.NOT_RUNNING();
        note(`portal: no log at ${file} yet`);
      }
      if (!flags.follow) return;
      runState.keepAlive = true;
      followFile(file, size, (text) => process.stdout.write(text));
    });
}

