import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { cliErrors } from '../utils/errors.js';
import { scaffoldTitles, type ScaffoldTitles } from './titles.js';
import { writeTemplates } from './write-templates.js';

/** `<module>.<name>[.<more>]`, lower case; the first part names the owning module. */
const COMPONENT_NAME = /^[a-z][a-z0-9_]{1,31}(\.[a-z][a-z0-9_]*)+$/;
const TEMPLATES = path.join(projectRoot, 'cli/scaffold/component');

/**
 * Writes components/<name>/ (definition and a .default template) for an existing
 * module. Refuses a bad name, an unknown module or an existing folder. Returns the paths.
 */
export function scaffoldComponent(name: string, root = projectRoot, titles: Partial<ScaffoldTitles> = {}): string[] {
  if (!COMPONENT_NAME.test(name)) {
    throw cliErrors.SCAFFOLD_INVALID(`component name "${name}" must be <module>.<name> in lower case, e.g. main.user_card`);
  }
  const moduleId = name.slice(0, name.indexOf('.'));
  if (!existsSync(path.join(root, 'modules', moduleId, 'module.ts'))) {
    throw cliErrors.SCAFFOLD_INVALID(`module "${moduleId}" does not exist in modules/; create it first (portal make module ${moduleId})`);
  }
  const dir = `components/${name}`;
  if (existsSync(path.join(root, dir))) throw cliErrors.SCAFFOLD_EXISTS(`${dir} already exists; pick another name or remove it`);
  const files: [string, string][] = [
    ['component.ts.tpl', `${dir}/component.ts`],
    ['templates/.default/template.eta.tpl', `${dir}/templates/.default/template.eta`],
  ];
  const names = scaffoldTitles(name.slice(moduleId.length + 1), titles, 'Компонент');
  const vars: Record<string, string> = { __NAME__: name, __MODULE__: moduleId, __TITLE__: names.en, __TITLE_RU__: names.ru };
  return writeTemplates(TEMPLATES, files, vars, root);
}
