import { Command } from 'commander';
import { scaffoldModule } from '../scaffold/module-scaffold.js';
import { scaffoldComponent } from '../scaffold/component-scaffold.js';
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

  cmd
    .command('component <name>')
    .description('create components/<module>.<name>/ (definition with parameters and cache, .default template)')
    .option('--json', 'print the created files as JSON')
    .action((name: string, flags: { json?: boolean }) => {
      const files = scaffoldComponent(name);
      if (flags.json) return printJson({ name, files });
      line(`Created component ${name}:`);
      for (const f of files) line(`  ${f}`);
      line(`Next: npm run build, then open /admin/components/${name}/ (or place it on a page)`);
    });

  return cmd;
}
