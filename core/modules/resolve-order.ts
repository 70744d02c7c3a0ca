import semver from 'semver';
import { coreErrors } from '../errors/codes.js';
import type { ModuleDefinition } from './types.js';

/** Checks that every dependency of `def` is present among `available` with a satisfying version. */
export function checkDependencies(def: ModuleDefinition, available: ReadonlyMap<string, { version: string }>): void {
  for (const [depId, range] of Object.entries(def.dependencies ?? {})) {
    const dep = available.get(depId);
    if (!dep) {
      throw coreErrors.MODULE_DEPENDENCY_MISSING(`module "${def.id}" needs module "${depId}" (${range}), which is not installed`);
    }
    if (!semver.satisfies(dep.version, range, { includePrerelease: true })) {
      throw coreErrors.MODULE_DEPENDENCY_INCOMPATIBLE(
        `module "${def.id}" needs "${depId}" ${range}, but version ${dep.version} is installed`,
      );
    }
  }
}

/** Orders modules so that each comes after its dependencies (stable by id); throws on a cycle. */
export function resolveOrder<T extends Pick<ModuleDefinition, 'id' | 'dependencies'>>(defs: T[]): T[] {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: T[] = [];
  const visit = (def: T, path: string[]): void => {
    const s = state.get(def.id);
    if (s === 'done') return;
    if (s === 'visiting') throw coreErrors.MODULE_DEPENDENCY_CYCLE(`module dependency cycle: ${[...path, def.id].join(' -> ')}`);
    state.set(def.id, 'visiting');
    for (const depId of Object.keys(def.dependencies ?? {}).sort()) {
      const dep = byId.get(depId);
      if (dep) visit(dep, [...path, def.id]);
    }
    state.set(def.id, 'done');
    out.push(def);
  };
  for (const def of [...defs].sort((a, b) => a.id.localeCompare(b.id))) visit(def, []);
  return out;
}
