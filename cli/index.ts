import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Help, type Option } from 'commander';
import { projectRoot } from '../core/config/paths.js';
import { agentsCommand } from './commands/agents.js';
import { backupCommand } from './commands/backup.js';
import { cacheCommand } from './commands/cache.js';
import { configCommand } from './commands/config.js';
import { dbCommand } from './commands/db-move.js';
import { doctorCommand } from './commands/doctor.js';
import { groupCommand } from './commands/group.js';
import { installCommand } from './commands/install.js';
import { logsCommand } from './commands/logs.js';
import { makeCommand } from './commands/make.js';
import { migrateCommand } from './commands/migrate.js';
import { moduleCommand } from './commands/module.js';
import { reloadCommand } from './commands/reload.js';
import { releaseCommand } from './commands/release.js';
import { restoreCommand } from './commands/restore.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { upgradeCommand } from './commands/upgrade.js';
import { userCommand } from './commands/user.js';
import { handleError } from './utils/handle-error.js';
import { discoverModules } from '../core/modules/discover.js';
import { withKernel } from './utils/kernel.js';
import { line, printJson } from './utils/output.js';
import { runState } from './utils/run-state.js';

/**
 * The root `portal` command; every subcommand lives in its own file under commands/,
 * and modules add theirs through the `cli` member of their manifest.
 */
export async function buildProgram(): Promise<Command> {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const program = new Command('portal')
    .description('Self-hosted intranet portal: install, run and administer it')
    .version(pkg.version, '-v, --version')
    .showSuggestionAfterError()
    .addCommand(installCommand())
    .addCommand(startCommand())
    .addCommand(stopCommand())
    .addCommand(statusCommand())
    .addCommand(reloadCommand())
    .addCommand(logsCommand())
    .addCommand(doctorCommand())
    .addCommand(moduleCommand())
    .addCommand(migrateCommand())
    .addCommand(userCommand())
    .addCommand(groupCommand())
    .addCommand(cacheCommand())
    .addCommand(agentsCommand())
    .addCommand(configCommand())
    .addCommand(backupCommand())
    .addCommand(dbCommand())
    .addCommand(restoreCommand())
    .addCommand(upgradeCommand())
    .addCommand(releaseCommand())
    .addCommand(makeCommand())
    .addHelpText('after', '\nRun `portal <command> --help` for the options of a command. PORTAL_DEBUG=1 shows stack traces.');
  for (const def of await discoverModules()) {
    for (const command of def.cli?.({ withKernel, line, printJson }) ?? []) program.addCommand(command);
  }
  routeErrors(program);
  return program;
}

/**
 * Usage errors of every (sub)command go through handleError instead of commander's own exit,
 * and every help marks the options a command cannot run without.
 */
function routeErrors(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({ outputError: () => undefined });
  cmd.configureHelp({ optionDescription: markRequired });
  for (const sub of cmd.commands) routeErrors(sub);
}

function markRequired(this: Help, option: Option): string {
  const text = Help.prototype.optionDescription.call(this, option);
  return option.mandatory ? `${text} (required)` : text;
}

try {
  await (await buildProgram()).parseAsync(process.argv);
  if (!runState.keepAlive) process.exit(process.exitCode ?? 0);
} catch (err) {
  handleError(err);
}
