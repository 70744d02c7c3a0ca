import type { ModuleDb } from '../db/module-db.js';
import type { Cache } from '../services.js';
import { userErrors } from './errors.js';

export interface Department {
  id: number;
  parentId: number | null;
  name: string;
  sort: number;
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

  constructor({ db, cache }: { db: ModuleDb; cache: Cache }) {
    this.db = db;
    this.cache = cache;
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

  async create(input: { name: string; parentId?: number | null; sort?: number }): Promise<Department> {
    const name = typeof input?.name === 'string' ? input.name.trim() : '';
    if (name.length < 1 || name.length > 255) throw userErrors.DEPARTMENT_NAME_INVALID('', { field: 'name' });
    const parentId = input.parentId ?? null;
    if (parentId !== null) await this.get(parentId);
    const sort = input.sort ?? 100;
    if (!Number.isSafeInteger(sort)) throw userErrors.USER_FIELD_INVALID('sort must be a whole number', { field: 'sort' });
    const [id] = (await this.db.write('departments').insert({ name, parent_id: parentId, sort, created_at: Date.now() })) as number[];
    await this.cache.invalidateTags(DEPARTMENTS_TAG);
    return this.get(Number(id));
  }
}

function toDepartment(r: Record<string, unknown>): Department {
  return {
    id: Number(r.id),
    parentId: r.parent_id === null || r.parent_id === undefined ? null : Number(r.parent_id),
    name: String(r.name),
    sort: Number(r.sort),
  };
}
