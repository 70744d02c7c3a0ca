import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { __CAMEL__Errors } from './errors.js';

export interface __NAME__Item {
  id: number;
  title: string;
  createdAt: Date;
}

/**
 * What other modules, components and routes get from `kernel.api('__ID__')`. Every call
 * takes the principal who acts and checks their right on the server, whoever calls it.
 */
export interface __NAME__Api {
  list(principal: Principal): Promise<__NAME__Item[]>;
  add(principal: Principal, title: string): Promise<__NAME__Item>;
}

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    __ID__: __NAME__Api;
  }
}

/** Cache tag of the item list; `add` invalidates it, the page's component caches under it. */
export const ITEMS_TAG = '__ID__:items';

export function createApi(ctx: ModuleContext): __NAME__Api {
  const { db, cache, kernel } = ctx;
  return {
    async list(principal) {
      await kernel.rights.assert(principal, '__ID__.items.view');
      return cache.remember('__ID__:items:all', { ttl: 300, tags: [ITEMS_TAG] }, async () => {
        const rows: Record<string, unknown>[] = await db.read('items').select('id', 'title', 'created_at').orderBy('id');
        return rows.map(toItem);
      });
    },
    async add(principal, title) {
      await kernel.rights.assert(principal, '__ID__.items.add');
      const clean = typeof title === 'string' ? title.trim() : '';
      if (clean.length < 1 || clean.length > 255) throw __CAMEL__Errors.__CONST___TITLE_INVALID();
      const [id] = (await db.write('items').insert({ title: clean, created_at: Date.now() })) as number[];
      await cache.invalidateTags(ITEMS_TAG);
      return toItem(await db.write('items').where({ id }).first());
    },
  };
}

function toItem(row: Record<string, unknown>): __NAME__Item {
  return { id: Number(row.id), title: String(row.title), createdAt: new Date(Number(row.created_at)) };
}
