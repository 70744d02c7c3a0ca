import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { checkPagePath } from '../../core/pages/paths.js';
import { cliErrors } from '../utils/errors.js';
import { scaffoldTitles, type ScaffoldTitles } from './titles.js';
import { writeTemplates } from './write-templates.js';

/** Same rule as core/modules/discover.ts: the id names the folder, the table prefix and the API key. */
const MODULE_ID = /^[a-z][a-z0-9_]{1,31}$/;
const TEMPLATES = path.join(projectRoot, 'cli/scaffold/module');

/** Template file -> path written, relative to the project root. */
function layout(id: string, migration: string): [string, string][] {
  return [
    ['module.ts.tpl', `modules/${id}/module.ts`],
    ['api.ts.tpl', `modules/${id}/api.ts`],
    ['errors.ts.tpl', `modules/${id}/errors.ts`],
    ['rights.ts.tpl', `modules/${id}/rights.ts`],
    ['routes.ts.tpl', `modules/${id}/routes.ts`],
    ['migrations/index.ts.tpl', `modules/${id}/migrations/index.ts`],
    ['migrations/create-items.ts.tpl', `modules/${id}/migrations/${migration}.ts`],
    ['lang/en.ts.tpl', `modules/${id}/lang/en.ts`],
    ['lang/ru.ts.tpl', `modules/${id}/lang/ru.ts`],
    ['component/component.ts.tpl', `components/${id}.items/component.ts`],
    ['component/templates/.default/template.eta.tpl', `components/${id}.items/templates/.default/template.eta`],
    ['test.ts.tpl', `test/modules/${id}.test.ts`],
  ];
}

/**
 * Writes a new module `id` under modules/<id>/ (manifest, migration, API with rights
 * checks, routes, messages), its page's component under components/<id>.items/ and its
 * test in test/modules/. Refuses an invalid id or anything already there. Returns the written paths.
 */
export function scaffoldModule(id: string, root = projectRoot, now = new Date(), titles: Partial<ScaffoldTitles> = {}): string[] {
  if (!MODULE_ID.test(id)) {
    throw cliErrors.SCAFFOLD_INVALID(`module id "${id}" must be 2-32 characters: lower-case latin letters, digits and _, starting with a letter`);
  }
  try {
    checkPagePath(`/${id}/`);
  } catch (err) {
    throw cliErrors.SCAFFOLD_INVALID(`module id "${id}" cannot name the module's page: ${(err as Error).message}`);
  }
  const names = scaffoldTitles(id, titles, 'Модуль');
  const migration = `${now.toISOString().slice(0, 10)}-01-create-items`;
  const files = layout(id, migration);
  const taken = [`modules/${id}`, `components/${id}.items`, ...files.map(([, out]) => out)].find((p) => existsSync(path.join(root, p)));
  if (taken) throw cliErrors.SCAFFOLD_EXISTS(`${taken} already exists; pick another id or remove it`);
  const vars: Record<string, string> = {
    __CONST__: id.toUpperCase(),
    __NAME__: pascal(id),
    __CAMEL__: camel(id),
    __TITLE_RU__: names.ru,
    __TITLE__: names.en,
    __MIGRATION__: migration,
    __ID__: id,
  };
  return writeTemplates(TEMPLATES, files, vars, root);
}

function pascal(id: string): string {
  return id.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}

function camel(id: string): string {
  const p = pascal(id);
  return p[0]!.toLowerCase() + p.slice(1);
}
