import { Command } from 'commander';
import { scaffoldModule } from '../scaffold/module-scaffold.js';
import { line, printJson } from '../utils/output.js';

export function makeCommand(): Command {
  const cmd = new Command('make').description('scaffold new code');

  cmd
    .command('module <id>')
    .description('create modules/<id>/ (manifest, migration, API, rights, route, lang) and test/modules/<id>.test.ts')
    .option('--json', 'print the created files as JSON')
    .action((id: string, flags: { json?: boolean }) => {
      const files = scaffoldModule(id);
      if (flags.json) return printJson({ id, files });
      line(`Created module ${id}:`);
      for (const f of files) line(`  ${f}`);
      line(`Next: npm run build && portal module install ${id}`);
    });

  // TODO(lead): `make component` gets its own command here once its spec is settled.
  return cmd;
}
