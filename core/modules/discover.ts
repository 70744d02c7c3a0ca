import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import semver from 'semver';
import { distRoot } from '../config/paths.js';
import { coreErrors } from '../errors/codes.js';
import { ADMIN_MENU_SECTIONS, type ModuleDefinition } from './types.js';

const ID_PATTERN = /^[a-z][a-z0-9_]{1,31}$/;

/** Loads every module manifest under dist/modules/<id>/module.js. */
export async function discoverModules(modulesDir = path.join(distRoot, 'modules')): Promise<ModuleDefinition[]> {
  if (!existsSync(modulesDir)) return [];
  const defs: ModuleDefinition[] = [];
  for (const entry of readdirSync(modulesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = path.join(modulesDir, entry.name, 'module.js');
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { default?: ModuleDefinition };
    if (!mod.default) throw coreErrors.MODULE_INVALID(`${file} has no default export (use defineModule)`);
    validateDefinition(mod.default, entry.name);
    defs.push(mod.default);
  }
  return defs;
}

/** Rejects a malformed manifest at load time, naming the culprit. */
export function validateDefinition(def: ModuleDefinition, folder?: string): void {
  const where = folder ? ` (modules/${folder})` : '';
  if (!def || typeof def !== 'object') throw coreErrors.MODULE_INVALID(`module manifest${where} is not an object`);
  if (!ID_PATTERN.test(def.id ?? '')) throw coreErrors.MODULE_INVALID(`module id "${def.id}"${where} must be 2-32 characters: lower-case latin letters, digits and _, starting with a letter`);
  if (folder && folder !== def.id) throw coreErrors.MODULE_INVALID(`module "${def.id}" must live in modules/${def.id}, not modules/${folder}`);
  if (!semver.valid(def.version)) throw coreErrors.MODULE_INVALID(`module "${def.id}" has invalid version "${def.version}"`);
  for (const [dep, range] of Object.entries(def.dependencies ?? {})) {
    if (!semver.validRange(range)) throw coreErrors.MODULE_INVALID(`module "${def.id}" depends on "${dep}" with invalid range "${range}"`);
  }
  const names = new Set<string>();
  for (const m of def.migrations ?? []) {
    if (names.has(m.name)) throw coreErrors.MODULE_INVALID(`module "${def.id}" has two migrations named "${m.name}"`);
    names.add(m.name);
  }
  validateAdminMenu(def);
}

const ADMIN_HREF = /^\/admin\/([a-z0-9_-]+\/)*$/;

function validateAdminMenu(def: ModuleDefinition): void {
  for (const [i, e] of (def.admin?.menu ?? []).entries()) {
    const what = `module "${def.id}" admin menu entry ${i + 1}`;
    if (!ADMIN_HREF.test(e?.href ?? '')) throw coreErrors.MODULE_INVALID(`${what}: href "${e?.href}" must be an /admin/ path ending in "/"`);
    if (!e.title?.en || !e.title?.ru) throw coreErrors.MODULE_INVALID(`${what}: title needs en and ru`);
    if (!(ADMIN_MENU_SECTIONS as readonly string[]).includes(e.section)) throw coreErrors.MODULE_INVALID(`${what}: section "${e.section}" is not one of ${ADMIN_MENU_SECTIONS.join(', ')}`);
    if (e.operation !== undefined && !/^[a-z][a-z0-9_]*\.[a-z0-9_.]+$/.test(e.operation)) throw coreErrors.MODULE_INVALID(`${what}: operation "${e.operation}" is not a <module>.<operation> name`);
  }
}
