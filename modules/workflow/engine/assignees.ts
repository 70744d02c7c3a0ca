import type { Kernel } from '../../../core/kernel.js';
import type { WorkflowDocument } from '../documents/adapter.js';
import type { Assignee } from '../schema.js';

/** The active users an assignee list names for this document (users, group members, author, department head). */
export async function resolveAssignees(kernel: Kernel, list: Assignee[], doc: WorkflowDocument): Promise<number[]> {
  const out = new Set<number>();
  for (const a of list) {
    if ('user' in a) {
      const u = typeof a.user === 'number' ? await kernel.users.find(a.user) : await kernel.users.findByLogin(a.user);
      if (u?.active) out.add(u.id);
    } else if ('group' in a) {
      const g = await kernel.groups.byCode(a.group).catch(() => null);
      if (!g) continue;
      for (const id of await kernel.groups.members(g.id)) if ((await kernel.users.find(id))?.active) out.add(id);
    } else if ('author' in a) {
      if (doc.authorId !== null && (await kernel.users.find(doc.authorId))?.active) out.add(doc.authorId);
    } else if ('departmentHead' in a) {
      const head = await departmentHeadOf(kernel, doc.authorId);
      if (head !== null) out.add(head);
    }
  }
  return [...out];
}

/** The head of the author's department, or of the nearest department above that has one (never the author). */
async function departmentHeadOf(kernel: Kernel, userId: number | null): Promise<number | null> {
  if (userId === null) return null;
  const user = await kernel.users.find(userId);
  let depId = user?.departmentId ?? null;
  for (let hops = 0; depId !== null && hops < 50; hops++) {
    const dep = await kernel.users.departments.get(depId).catch(() => null);
    if (!dep) return null;
    if (dep.headUserId !== null && dep.headUserId !== userId && (await kernel.users.find(dep.headUserId))?.active) return dep.headUserId;
    depId = dep.parentId;
  }
  return null;
}
