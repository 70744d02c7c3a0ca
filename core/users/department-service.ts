import type { ModuleDb } from '../db/module-db.js';
import type { Cache } from '../services.js';
import { userErrors } from './errors.js';

export interface Department {
  id: number;
  parentId: number | null;
  name: string;
  sort: number;
  /** The head of the department (a user), or null. */
  headUserId: number | null;
}

/** What `update` may change; a field left out stays as it is. */
export interface DepartmentPatch {
  name?: string;
  /** null: a top-level department. Never the department itself or one below it. */
  parentId?: number | null;
  sort?: number;
  headUserId?: number | null;
}

export interface DepartmentNode extends Department {
  depth: number;
  children: DepartmentNode[];
}

/** Cache tag of the department list; bumped on every change. */
export const DEPARTMENTS_TAG = 'main:departments';

/** The company structure: a tree of departments (main_departments). */
export class DepartmentService {
  private readonly db: ModuleDb;
  private readonly cache: Cache;

  private readonly userExists: (id: number) => Promise<boolean>;

  constructor({ db, cache, userExists }: { db: ModuleDb; cache: Cache; userExists: (id: number) => Promise<boolean> }) {
    this.db = db;
    this.cache = cache;
    this.userExists = userExists;
  }

  /** Every department, ordered by sort and name. */
  list(): Promise<Department[]> {
    return this.cache.remember('main:departments:all', { ttl: 3600, tags: [DEPARTMENTS_TAG] }, async () => {
      const rows = (await this.db.write('departments').select('*').orderBy([{ column: 'sort' }, { column: 'name' }, { column: 'id' }])) as Record<string, unknown>[];
      return rows.map(toDepartment);
    });
  }

  async get(id: number): Promise<Department> {
    const found = (await this.list()).find((d) => d.id === id);
    if (!found) throw userErrors.DEPARTMENT_NOT_FOUND(String(id), { field: 'departmentId' });
    return found;
  }

  /** The tree: roots with nested children, each with its depth (0 for roots). */
  async tree(): Promise<DepartmentNode[]> {
    const all = await this.list();
    const nodes = new Map(all.map((d) => [d.id, { ...d, depth: 0, children: [] as DepartmentNode[] }]));
    const roots: DepartmentNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    const setDepth = (list: DepartmentNode[], depth: number) => {
      for (const n of list) {
        n.depth = depth;
        setDepth(n.children, depth + 1);
      }
    };
    setDepth(roots, 0);
    return roots;
  }

  /** The tree flattened in display order (for a <select> with indentation). */
  async flat(): Promise<DepartmentNode[]> {
    const out: DepartmentNode[] = [];
    const walk = (list: DepartmentNode[]) => {
      for (const n of list) {
        out.push(n);
        walk(n.children);
      }
    };
    walk(await this.tree());
    return out;
  }

  /** The department and every department below it. */
  async withDescendants(id: number): Promise<number[]> {
    await this.get(id);
    const all = await this.list();
    const out = [id];
    for (let i = 0; i < out.length; i++) for (const d of all) if (d.parentId === out[i] && !out.includes(d.id)) out.push(d.id);
    return out;
  }

  async create(input: { name: string; parentId?: number | null; sort?: number; headUserId?: number | null }): Promise<Department> {
    const name = nameOf(input?.name);
    const parentId = input.parentId ?? null;
    if (parentId !== null) await this.get(parentId);
    const sort = sortOf(input.sort ?? 100);
    const head = await this.headOf(input.headUserId ?? null);
    const [id] = (await this.db.write('departments').insert({ name, parent_id: parentId, sort, head_user_id: head, created_at: Date.now() })) as number[];
    await this.cache.invalidateTags(DEPARTMENTS_TAG);
    return this.get(Number(id));
  }

  /** Renames, moves (never under itself or its own subtree), re-sorts or sets the head. */
  async update(id: number, patch: DepartmentPatch): Promise<Department> {
    const current = await this.get(id);
    const row: Record<string, unknown> = {};
    if (patch.name !== undefined) row.name = nameOf(patch.name);
    if (patch.sort !== undefined) row.sort = sortOf(patch.sort);
    if (patch.headUserId !== undefined) row.head_user_id = await this.headOf(patch.headUserId);
    if (patch.parentId !== undefined && patch.parentId !== current.parentId) {
      if (patch.parentId !== null) {
        const parent = await this.get(patch.parentId).catch(() => {
          throw userErrors.DEPARTMENT_NOT_FOUND(String(patch.parentId), { field: 'parentId' });
        });
        if ((await this.withDescendants(id)).includes(parent.id)) {
          throw userErrors.DEPARTMENT_MOVE_INVALID(`"${current.name}" cannot be moved under itself or one of its own sub-departments ("${parent.name}")`, { field: 'parentId' });
        }
      }
      row.parent_id = patch.parentId;
    }
    if (Object.keys(row).length > 0) {
      await this.db.write('departments').where({ id }).update(row);
      await this.cache.invalidateTags(DEPARTMENTS_TAG);
    }
    return this.get(id);
  }

  /** Deletes an empty department; refused (409, with the counts) while people or sub-departments are in it. */
  async remove(id: number): Promise<void> {
    const department = await this.get(id);
    const children = (await this.list()).filter((d) => d.parentId === id).length;
    const people = Number(((await this.db.write('users').where({ department_id: id }).count({ n: '*' }).first()) as { n?: unknown } | undefined)?.n ?? 0);
    if (children > 0 || people > 0) {
      const parts = [people ? `${people} ${people === 1 ? 'person' : 'people'}` : '', children ? `${children} sub-department${children === 1 ? '' : 's'}` : ''].filter(Boolean);
      throw userErrors.DEPARTMENT_NOT_EMPTY(`"${department.name}" still has ${parts.join(' and ')}; move them elsewhere first`, { people, children });
    }
    await this.db.write('departments').where({ id }).delete();
    await this.cache.invalidateTags(DEPARTMENTS_TAG);
  }

  /** Clears the head of every department this user heads (the user is being deleted). */
  async forgetHead(userId: number): Promise<void> {
    const n = await this.db.write('departments').where({ head_user_id: userId }).update({ head_user_id: null });
    if (n) await this.cache.invalidateTags(DEPARTMENTS_TAG);
  }

  private async headOf(value: unknown): Promise<number | null> {
    if (value === null) return null;
    if (!Number.isSafeInteger(value) || (value as number) <= 0 || !(await this.userExists(value as number))) {
      throw userErrors.USER_FIELD_INVALID(`The head of a department must be an existing user, got "${String(value).slice(0, 20)}"`, { field: 'headUserId' });
    }
    return value as number;
  }
}

function nameOf(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length < 1 || name.length > 255) throw userErrors.DEPARTMENT_NAME_INVALID('', { field: 'name' });
  return name;
}

function sortOf(value: unknown): number {
  if (!Number.isSafeInteger(value)) throw userErrors.USER_FIELD_INVALID('sort must be a whole number', { field: 'sort' });
  return value as number;
}

function toDepartment(r: Record<string, unknown>): Department {
  return {
    id: Number(r.id),
    parentId: r.parent_id === null || r.parent_id === undefined ? null : Number(r.parent_id),
    name: String(r.name),
    sort: Number(r.sort),
    headUserId: r.head_user_id === null || r.head_user_id === undefined ? null : Number(r.head_user_id),
  };
}
