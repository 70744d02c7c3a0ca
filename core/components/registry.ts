import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distRoot } from '../config/paths.js';
import { coreErrors } from '../errors/codes.js';
import { isComplex, type AnyComponent } from './types.js';

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The module that owns a component: the part of its name before the first dot. */
export function ownerOf(name: string): string {
  return name.slice(0, name.indexOf('.'));
}

/** Loads every component under dist/components/<name>/component.js. */
export async function discoverComponents(dir = path.join(distRoot, 'components')): Promise<AnyComponent[]> {
  if (!existsSync(dir)) return [];
  const out: AnyComponent[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name, 'component.js');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { default?: AnyComponent };
    const def = mod.default;
    if (!def || (typeof def.prepare !== 'function' && !isComplex(def))) {
      throw coreErrors.MODULE_INVALID(`${file} must default-export defineComponent({...}) or defineComplexComponent({...})`);
    }
    if (!NAME.test(def.name) || def.name !== entry.name) {
      throw coreErrors.MODULE_INVALID(`component "${def.name}" must have a dotted lower-case name equal to its folder (components/${entry.name})`);
    }
    out.push(def);
  }
  return out;
}
