import type { Handler } from '../handler.js';
import { ref, text } from '../../read/values.js';
import { idOf, required } from './common.js';

interface Dept {
  name: string;
  sort: number;
  parent: string | null;
  head: string | null;
}

/**
 * Departments with their parents and heads. A head is a user, imported after the departments: the head is set in
 * the second pass. After a kill between creating a department and mapping it, the re-run adopts the unmapped box
 * department of the same name under the same parent instead of making a second one.
 */
export const departments: Handler<Dept> = {
  entity: 'departments',
  batch: 100,
  prepare(row) {
    const id = idOf(row, 'departments');
    const sort = Number(text(row.SORT) ?? 500);
    const data: Dept = { name: required(text(row.NAME), 'NAME').slice(0, 255), sort: Number.isFinite(sort) ? sort : 500, parent: ref(row.PARENT), head: ref(row.UF_HEAD) };
    const refs = [...(data.parent ? [{ entity: 'departments' as const, id: data.parent }] : []), ...(data.head ? [{ entity: 'users' as const, id: data.head }] : [])];
    return { id, data, refs };
  },
  async write(items, run) {
    const service = run.kernel.users.departments;
    const out = [];
    for (const it of items) {
      const parentId = it.data.parent ? Number(it.box('departments', it.data.parent) ?? 0) || null : null;
      const headUserId = it.data.head ? Number(it.box('users', it.data.head) ?? 0) || null : null;
      const input = { name: it.data.name, sort: it.data.sort, parentId, headUserId };
      if (it.current) {
        await service.update(Number(it.current.boxId), input);
        out.push({ boxId: it.current.boxId });
        continue;
      }
      let orphan = null;
      for (const d of await service.list()) {
        if (d.name === input.name && d.parentId === parentId && !(await run.map.isMapped('departments', String(d.id)))) {
          orphan = d;
          break;
        }
      }
      const dept = orphan ? await service.update(orphan.id, input) : await service.create(input);
      out.push({ boxId: String(dept.id) });
    }
    return out;
  },
};
