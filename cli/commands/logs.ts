import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { cliErrors } from '../utils/errors.js';
import { runState } from '../utils/run-state.js';
import { APP_NAME, daemonRunning, describeApp, pm2Home, withPm2 } from '../utils/pm2.js';
import { intOption } from '../utils/parse.js';

export function logsCommand(): Command {
  return new Command('logs')
    .description('print the last lines of the portal logs written under pm2')
    .option('--lines <n>', 'lines per log file', intOption(1, 100_000), 50)
    .option('-f, --follow', 'keep printing new lines until Ctrl+C')
    .action(async (flags: { lines: number; follow?: boolean }) => {
      if (!daemonRunning()) throw cliErrors.NOT_RUNNING();
      const files = await withPm2(async (pm2) => {
        const procs = await describeApp(pm2);
        if (procs.length === 0) throw cliErrors.NOT_RUNNING();
        const env = procs[0]!.pm2_env ?? {};
        return { out: env.pm_out_log_path, err: env.pm_err_log_path };
      });
      for (const [name, file] of Object.entries(files)) {
        if (!file || !existsSync(file)) continue;
        process.stdout.write(`==> ${file} (${name}) <==\n`);
        const lines = readFileSync(file, 'utf8').split('\n');
        if (lines.at(-1) === '') lines.pop();
        for (const l of lines.slice(-flags.lines)) process.stdout.write(`${l}\n`);
      }
      if (flags.follow) await follow();
    });
}

/** Streams new log lines from the pm2 bus until the process is stopped. */
async function follow(): Promise<void> {
  pm2Home();
  const pm2 = ((await import('pm2')) as unknown as { default: typeof import('pm2') }).default;
  runState.keepAlive = true;
  pm2.connect((err) => {
    if (err) throw cliErrors.PM2_FAILED(`pm2: ${err.message}`);
    pm2.launchBus((busErr, bus) => {
      if (busErr) throw cliErrors.PM2_FAILED(`pm2: ${busErr.message}`);
      const print = (stream: NodeJS.WriteStream) => (packet: { process?: { name?: string }; data?: string }) => {
        if (packet.process?.name === APP_NAME && packet.data) stream.write(packet.data);
      };
      bus.on('log:out', print(process.stdout));
      bus.on('log:err', print(process.stderr));
    });
  });
}
