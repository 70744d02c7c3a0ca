import { Command } from 'commander';
import { cliErrors } from '../utils/errors.js';
import { withKernel } from '../utils/kernel.js';
import { line, printJson, printTable } from '../utils/output.js';

export function agentsCommand(): Command {
  const cmd = new Command('agents').description('scheduled jobs of the modules (agents)');

  cmd
    .command('list')
    .description('every agent with its schedule, next run and last error')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) =>
      withKernel(async (kernel) => {
        const rows = await kernel.agents.list();
        if (flags.json) return printJson(rows);
        printTable(rows, [
          { title: 'agent', value: (a) => `${a.module}.${a.name}` },
          { title: 'schedule', value: (a) => (a.cron ? `cron ${a.cron}` : `every ${a.interval}s`) },
          { title: 'active', value: (a) => a.active },
          { title: 'next run', value: (a) => a.nextRunAt },
          { title: 'last run', value: (a) => a.lastRunAt },
          { title: 'last error', value: (a) => a.lastError },
        ], 'No agent is registered.');
      }),
    );

  cmd
    .command('run [agent]')
    .description('run the agents that are due, or one agent now (<module>.<name>, e.g. main.sessions.purge)')
    .action((agent: string | undefined) =>
      withKernel(async (kernel) => {
        if (agent) {
          const dot = agent.indexOf('.');
          if (dot <= 0 || dot === agent.length - 1) throw cliErrors.INPUT_INVALID(`agent must be <module>.<name>, got "${agent}"`);
          await kernel.agents.runNow(agent.slice(0, dot), agent.slice(dot + 1));
          return line(`Agent ${agent} ran.`);
        }
        const { ran, failed } = await kernel.agents.runDue();
        line(`Ran ${ran} due agent(s); ${failed} failed.`);
        if (failed > 0) process.exitCode = 1;
      }),
    );
  return cmd;
}
