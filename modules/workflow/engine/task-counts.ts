import type { Knex } from 'knex';
import type { ModuleContext } from '../../../core/modules/types.js';
import type { ModuleTx } from '../../../core/db/module-db.js';
import type { Row } from './types.js';

/** The cache tag of one user's open tasks (the header badge's count). */
export const taskCountTag = (userId: number): string => `workflow:tasks:user:${userId}`;

/** One user's open-task count: one indexed COUNT on the primary, cached until a task of theirs changes. */
export function openTaskCount(ctx: ModuleContext, userId: number): Promise<number> {
  return ctx.cache.remember(`workflow:tasks:open:${userId}`, { ttl: 3600, tags: [taskCountTag(userId)] }, async () =>
    Number(((await ctx.db.write('tasks').where({ user_id: userId, status: 'open' }).count('id as n').first()) as Row).n),
  );
}

/** Once the transaction commits, these users' cached counts are built again. */
export function tasksChangedFor(ctx: ModuleContext, tx: ModuleTx, userIds: Iterable<number>): void {
  const tags = [...new Set(userIds)].map(taskCountTag);
  if (tags.length) tx.onCommit(() => ctx.cache.invalidateTags(...tags));
}

/** Moves the open tasks `where` picks into another status (done, cancelled, expired) and invalidates their counts. */
export async function closeOpenTasks(ctx: ModuleContext, tx: ModuleTx, where: (q: Knex.QueryBuilder) => Knex.QueryBuilder, patch: Record<string, unknown>): Promise<number> {
  const users = ((await where(tx.table('tasks')).where({ status: 'open' }).pluck('user_id')) as unknown[]).map(Number);
  if (!users.length) return 0;
  const n = await where(tx.table('tasks')).where({ status: 'open' }).update(patch);
  tasksChangedFor(ctx, tx, users);
  return n;
}
