import type { ModuleDb } from '../db/module-db.js';
import { coreErrors } from '../errors/codes.js';
import type { RightsDefinition } from '../modules/types.js';
import type { AccessChecker, Cache, Principal } from '../services.js';
import type { GroupService } from '../users/group-service.js';
import { userErrors } from '../users/errors.js';
import { currentModule } from '../modules/owner.js';

/** Cache tag of one module's levels; `rights` covers every module. */
export const rightsTag = (moduleId: string): string => `rights:${moduleId}`;

interface Registered {
  def: RightsDefinition;
  /** Level letters from least to most (declaration order). */
  order: string[];
}

/**
 * Module rights per group (levels such as D < R < W < X) plus object-level checkers.
 * `can` is the one access check used everywhere.
 */
export class RightsService {
  private readonly db: ModuleDb;
  private readonly cache: Cache;
  private readonly groups: GroupService;
  private readonly registry = new Map<string, Registered>();
  private readonly checkers = new Map<string, AccessChecker[]>();
  /** The module whose setup registered a checker (removed when it is uninstalled). */
  private readonly checkerOwners = new WeakMap<AccessChecker, string>();

  constructor({ db, cache, groups }: { db: ModuleDb; cache: Cache; groups: GroupService }) {
    this.db = db;
    this.cache = cache;
    this.groups = groups;
  }

  /** Registers (or replaces) a module's rights definition after validating it. */
  registerModule(moduleId: string, def: RightsDefinition): void {
    const fail = (m: string) => userErrors.RIGHTS_DEFINITION_INVALID(`rights of module "${moduleId}": ${m}`);
    const order = Object.keys(def?.levels ?? {});
    if (order.length === 0) throw fail('no levels declared');
    if (!def.levels[def.defaultLevel]) throw fail(`defaultLevel "${def.defaultLevel}" is not a declared level`);
    for (const op of Object.keys(def.operations ?? {})) {
      if (!op.startsWith(`${moduleId}.`)) throw fail(`operation "${op}" must be named "${moduleId}.<operation>"`);
    }
    for (const [letter, level] of Object.entries(def.levels)) {
      for (const op of level.operations ?? []) {
        if (op !== '*' && !def.operations?.[op]) throw fail(`level "${letter}" grants undeclared operation "${op}"`);
      }
    }
    for (const [code, letter] of Object.entries(def.defaults ?? {})) {
      if (!def.levels[letter]) throw fail(`default for group "${code}" is unknown level "${letter}"`);
    }
    this.registry.set(moduleId, { def, order });
  }

  /** The registered definition, if any (for the admin UI). */
  definition(moduleId: string): RightsDefinition | undefined {
    return this.registry.get(moduleId)?.def;
  }

  /** Ids of modules that declared rights. */
  registeredModules(): string[] {
    return [...this.registry.keys()];
  }

  /** Writes the module's default levels per group code where the group has no entry yet. */
  async writeDefaults(moduleId: string): Promise<void> {
    const { def } = this.registered(moduleId);
    for (const [code, level] of Object.entries(def.defaults ?? {})) {
      const group = (await this.groups.list()).find((g) => g.code === code);
      if (!group) continue; // a custom group that does not exist here
      await this.db.write('module_rights').insert({ module: moduleId, group_id: group.id, level }).onConflict(['module', 'group_id']).ignore();
    }
    await this.cache.invalidateTags(rightsTag(moduleId));
  }

  /** Deletes every stored level of the module (on uninstall with data). */
  async removeModule(moduleId: string): Promise<void> {
    await this.db.write('module_rights').where({ module: moduleId }).delete();
    await this.cache.invalidateTags(rightsTag(moduleId));
  }

  async setLevel(moduleId: string, groupId: number, level: string): Promise<void> {
    const { def, order } = this.registered(moduleId);
    if (typeof level !== 'string' || !Object.hasOwn(def.levels, level)) {
      throw userErrors.RIGHTS_LEVEL_UNKNOWN(`Level "${String(level)}" is not one of ${order.join(', ')} for module "${moduleId}"`, { field: 'level' });
    }
    await this.groups.get(groupId);
    await this.db.write('module_rights').insert({ module: moduleId, group_id: groupId, level }).onConflict(['module', 'group_id']).merge(['level']);
    await this.cache.invalidateTags(rightsTag(moduleId));
  }

  /** Removes the group's explicit level, so the module's default applies. */
  async clearLevel(moduleId: string, groupId: number): Promise<void> {
    await this.db.write('module_rights').where({ module: moduleId, group_id: groupId }).delete();
    await this.cache.invalidateTags(rightsTag(moduleId));
  }

  /** Explicit levels of the module by group id (cached). */
  getLevels(moduleId: string): Promise<Record<number, string>> {
    return this.cache.remember(`main:rights:${moduleId}`, { tags: [rightsTag(moduleId), 'rights'] }, async () => {
      const rows = await this.db.write('module_rights').where({ module: moduleId }).select('group_id', 'level');
      const out: Record<number, string> = {};
      for (const r of rows) out[Number(r.group_id)] = String(r.level);
      return out;
    });
  }

  /** The highest level among the principal's groups with an explicit entry, else the default. */
  async levelOf(principal: Principal, moduleId: string): Promise<string> {
    const { def, order } = this.registered(moduleId);
    const levels = await this.getLevels(moduleId);
    let best = -1;
    for (const gid of principal.groupIds ?? []) {
      const letter = levels[gid];
      const rank = letter === undefined ? -1 : order.indexOf(letter);
      if (rank > best) best = rank;
    }
    return best >= 0 ? order[best]! : def.defaultLevel;
  }

  /**
   * Whether the principal may perform `operation` (on `object`). Admins always may.
   * The level decides, unless an object checker answers: any 'forbid' denies, any 'allow'
   * grants. Checkers run only when an object is given. Unknown operations are denied.
   */
  async can(principal: Principal, operation: string, object?: unknown): Promise<boolean> {
    if (principal?.isAdmin === true) return true;
    if (!principal || typeof operation !== 'string') return false;
    const moduleId = operation.slice(0, operation.indexOf('.'));
    const reg = moduleId ? this.registry.get(moduleId) : undefined;
    if (!reg || !Object.hasOwn(reg.def.operations, operation)) return false;
    const granted = (reg.def.levels[await this.levelOf(principal, moduleId)]?.operations ?? []).some((op) => op === '*' || op === operation);
    const checkers = object === undefined ? [] : (this.checkers.get(operation) ?? []);
    let allowed = false;
    for (const checker of checkers) {
      const result = await checker(principal, object);
      if (result === 'forbid') return false;
      if (result === 'allow') allowed = true;
    }
    return allowed || granted;
  }

  /** Throws ACCESS_DENIED (403) unless `can` says yes. */
  async assert(principal: Principal, operation: string, object?: unknown): Promise<void> {
    if (!(await this.can(principal, operation, object))) throw coreErrors.ACCESS_DENIED('', { operation });
  }

  /** Adds an object-level checker for an operation; returns a function that removes it. */
  registerChecker(operation: string, checker: AccessChecker): () => void {
    if (typeof checker !== 'function') throw new TypeError(`access checker for "${operation}" must be a function`);
    const owned: AccessChecker = (principal, object) => checker(principal, object);
    const module = currentModule();
    if (module) this.checkerOwners.set(owned, module);
    this.checkers.set(operation, [...(this.checkers.get(operation) ?? []), owned]);
    return () => this.checkers.set(operation, (this.checkers.get(operation) ?? []).filter((c) => c !== owned));
  }

  /** Drops the checkers a module registered during its setup (on uninstall). */
  removeCheckersOf(moduleId: string): void {
    for (const [operation, list] of this.checkers) this.checkers.set(operation, list.filter((c) => this.checkerOwners.get(c) !== moduleId));
  }

  private registered(moduleId: string): Registered {
    const reg = this.registry.get(moduleId);
    if (!reg) throw userErrors.RIGHTS_MODULE_UNKNOWN(moduleId);
    return reg;
  }
}
