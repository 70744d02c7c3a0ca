import { coreErrors } from '../core/errors/codes.js';
import type { ModuleDefinition } from '../core/modules/types.js';

/**
 * The modules to install for `wanted`: each with its dependencies, in dependency
 * order (the order of `available`), skipping those already installed.
 */
export function planInstall(available: ReadonlyMap<string, ModuleDefinition>, wanted: string[], installed: (id: string) => boolean): string[] {
  const need = new Set<string>();
  const add = (id: string, by?: string): void => {
    if (need.has(id)) return;
    const def = available.get(id);
    if (!def) {
      if (by) throw coreErrors.MODULE_DEPENDENCY_MISSING(`module "${by}" needs module "${id}", which does not exist here`);
      throw coreErrors.MODULE_NOT_FOUND(id);
    }
    need.add(id);
    for (const dep of Object.keys(def.dependencies ?? {})) add(dep, id);
  };
  for (const id of wanted) add(id);
  return [...available.keys()].filter((id) => need.has(id) && !installed(id));
}

/**
 * What `portal install` installs besides main when no module list is given, the way Bitrix
 * installs its standard modules: content (infoblocks) is part of every portal. `--modules ""`
 * installs main alone.
 */
export const STANDARD_MODULES = ['infoblocks'];

/** Added to the standard modules by `--demo`, whose sample content shows them: a forum with a few topics. */
export const DEMO_MODULES = ['forum'];

/** The standard modules this installation has (tests may pass other module sets), with the demo's when asked. */
export function standardModules(available: ReadonlyMap<string, unknown>, options: { demo?: boolean } = {}): string[] {
  return [...STANDARD_MODULES, ...(options.demo ? DEMO_MODULES : [])].filter((id) => available.has(id));
}

/** Splits "a, b,c" into ids. */
export function parseModuleList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
