import { Command } from 'commander';
import { withKernel } from '../utils/kernel.js';
import { line, printJson, printTable } from '../utils/output.js';

export function groupCommand(): Command {
  const cmd = new Command('group').description('manage user groups: add, list');

  cmd
    .command('add <code>')
    .description('create a group')
    .requiredOption('--name <name>', 'display name')
    .option('--description <text>', 'what the group is for')
    .option('--json', 'print JSON')
    .action((code: string, flags: { name: string; description?: string; json?: boolean }) =>
      withKernel(async (kernel) => {
        const group = await kernel.groups.create({ code, name: flags.name, ...(flags.description !== undefined ? { description: flags.description } : {}) });
        if (flags.json) return printJson(group);
        line(`Group ${group.code} created (id ${group.id}).`);
      }),
    );

  cmd
    .command('list')
    .description('list groups, system ones first')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) =>
      withKernel(async (kernel) => {
        const groups = await kernel.groups.list();
        if (flags.json) return printJson(groups);
        printTable(groups, [
          { title: 'id', value: (g) => g.id },
          { title: 'code', value: (g) => g.code },
          { title: 'name', value: (g) => g.name },
          { title: 'system', value: (g) => g.system },
          { title: 'description', value: (g) => g.description },
        ]);
      }),
    );
  return cmd;
}
