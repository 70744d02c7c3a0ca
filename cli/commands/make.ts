import { Command } from 'commander';
import { scaffoldModule } from '../scaffold/module-scaffold.js';
import { scaffoldComponent } from '../scaffold/component-scaffold.js';
import { line, printJson } from '../utils/output.js';

export function makeCommand(): Command {
  const cmd = new Command('make').description('scaffold new code');

  cmd
    .command('module <id>')
    .description('create modules/<id>/ (manifest, migration, API with rights checks, routes, lang), its page component components/<id>.items/ and test/modules/<id>.test.ts')
    .option('--title <text>', 'the English title (default: the id as words)')
    .option('--title-ru <text>', 'the Russian title (default: Модуль «<English title>»)')
    .option('--json', 'print the created files as JSON')
    .action((id: string, flags: { json?: boolean; title?: string; titleRu?: string }) => {
      const files = scaffoldModule(id, undefined, undefined, { en: flags.title, ru: flags.titleRu });
      if (flags.json) return printJson({ id, files });
      line(`Created module ${id}:`);
      for (const f of files) line(`  ${f}`);
      line(`Next: npm run build && portal module install ${id}, then open /${id}/ (or run its test: npm test -- --grep "module ${id}")`);
    });

  cmd
    .command('component <name>')
    .description('create components/<module>.<name>/ (definition with parameters and cache, .default template)')
    .option('--title <text>', 'the English title (default: the name as words)')
    .option('--title-ru <text>', 'the Russian title (default: Компонент «<English title>»)')
    .option('--json', 'print the created files as JSON')
    .action((name: string, flags: { json?: boolean; title?: string; titleRu?: string }) => {
      const files = scaffoldComponent(name, undefined, { en: flags.title, ru: flags.titleRu });
      if (flags.json) return printJson({ name, files });
      line(`Created component ${name}:`);
      for (const f of files) line(`  ${f}`);
      line(`Next: npm run build, then open /admin/components/${name}/ (or place it on a page)`);
    });

  return cmd;
}
