import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ModuleCliTools } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { wfErrors } from './errors.js';
import type { InstanceStatus } from './engine/types.js';

/** The CLI acts for the system administrator, like the installer. */
const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };
const STATUSES = ['running', 'completed', 'terminated', 'failed'];

function readJson(file: string): unknown {
  if (!existsSync(file)) throw wfErrors.WORKFLOW_TEMPLATE_INVALID(`file "${file}" does not exist`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw wfErrors.WORKFLOW_TEMPLATE_INVALID(`${file} is not JSON: ${(err as Error).message}`);
  }
}

/** `portal workflow templates|validate|save|instances|start|terminate`. */
export function workflowCli(tools: ModuleCliTools): Command[] {
  const cmd = new Command('workflow').description('business processes: templates, instances, start and terminate');

  cmd
    .command('templates')
    .description('list the templates')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const list = await tools.withKernel((k) => k.api('workflow').templates.list());
      if (flags.json) return tools.printJson(list.map(({ definition, ...t }) => ({ ...t, root: definition.root.type })));
      if (!list.length) return tools.line('No templates');
      for (const t of list) tools.line(`${t.code.padEnd(28)} ${t.active ? 'on ' : 'off'}  ${t.documentType}${t.documentScope ? `:${t.documentScope}` : ''}  v${t.version}  ${t.name}`);
    });

  cmd
    .command('validate <file>')
    .description('check a template file against the schema; each problem names its path')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      const input = readJson(file);
      const problems = await tools.withKernel(async (k) => k.api('workflow').templates.validate(input));
      if (flags.json) tools.printJson({ valid: problems.length === 0, problems });
      else if (!problems.length) tools.line(`${file}: valid`);
      else for (const p of problems) tools.line(`${file}: ${p.path}: ${p.message}`);
      if (problems.length) process.exitCode = 1;
    });

  cmd
    .command('save <file>')
    .description('create or replace the template a JSON file defines (by its code)')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      const input = readJson(file);
      const t = await tools.withKernel((k) => k.api('workflow').templates.save(SYSTEM, input));
      if (flags.json) return tools.printJson(t);
      tools.line(`Template ${t.code} saved (version ${t.version})`);
    });

  cmd
    .command('instances')
    .description('list business process instances, newest first')
    .option('--status <status>', `only ${STATUSES.join(', ')}`)
    .option('--limit <n>', 'how many (at most 100)', '20')
    .option('--json', 'print JSON')
    .action(async (flags: { status?: string; limit: string; json?: boolean }) => {
      if (flags.status && !STATUSES.includes(flags.status)) throw wfErrors.WORKFLOW_DECISION_INVALID(`--status must be one of ${STATUSES.join(', ')}, not "${flags.status}"`);
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw wfErrors.WORKFLOW_DECISION_INVALID('--limit must be a whole number from 1 to 100');
      const res = await tools.withKernel((k) => k.api('workflow').instances.list(SYSTEM, { status: flags.status as InstanceStatus | undefined, pageSize: limit }));
      if (flags.json) return tools.printJson({ total: res.total, items: res.items.map(({ state, ...i }) => ({ ...i, vars: state.vars })) });
      if (!res.items.length) return tools.line('No instances');
      for (const i of res.items) tools.line(`#${i.id}  ${i.status.padEnd(10)} ${i.templateCode.padEnd(24)} ${i.documentType}:${i.documentId}  ${i.documentTitle}`);
    });

  cmd
    .command('start <template> <documentType> <documentId>')
    .description('start a template (code or id) on a document, e.g. `portal workflow start publish-on-approve infoblocks.element 42`')
    .option('--json', 'print JSON')
    .action(async (template: string, documentType: string, documentId: string, flags: { json?: boolean }) => {
      const i = await tools.withKernel((k) => k.api('workflow').instances.start(SYSTEM, template, documentType, documentId));
      if (flags.json) return tools.printJson({ id: i.id, status: i.status, template: i.templateCode, document: `${i.documentType}:${i.documentId}` });
      tools.line(`Instance #${i.id} of ${i.templateCode} on ${i.documentType}:${i.documentId}: ${i.status}`);
    });

  cmd
    .command('terminate <id>')
    .description('stop a running instance; its open tasks are cancelled')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      if (!/^[1-9]\d{0,15}$/.test(id)) throw wfErrors.WORKFLOW_INSTANCE_NOT_FOUND(`"${id}"`);
      const i = await tools.withKernel((k) => k.api('workflow').instances.terminate(SYSTEM, Number(id)));
      if (flags.json) return tools.printJson({ id: i.id, status: i.status });
      tools.line(`Instance #${i.id} terminated`);
    });

  return [cmd];
}
