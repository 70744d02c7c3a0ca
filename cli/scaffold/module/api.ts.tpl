import type { ModuleContext } from '../../core/modules/types.js';
import { __CAMEL__Errors } from './errors.js';

export interface __NAME__Item {
  id: number;
  title: string;
  createdAt: Date;
}

/** What other modules get from `kernel.api('__ID__')`. */
export interface __NAME__Api {
  list(): Promise<__NAME__Item[]>;
  add(title: string): Promise<__NAME__Item>;
}

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    __ID__: __NAME__Api;
  }
}

export function createApi(ctx: ModuleContext): __NAME__Api {
  const { db } = ctx;
  return {
    async list() {
      const rows: Record<string, unknown>[] = await db.read('items').select('id', 'title', 'created_at').orderBy('id');
      return rows.map(toItem);
    },
    async add(title) {
      const clean = typeof title === 'string' ? title.trim() : '';
      if (clean.length < 1 || clean.length > 255) throw __CAMEL__Errors.__CONST___TITLE_INVALID();
      const [id] = (await db.write('items').insert({ title: clean, created_at: Date.now() })) as number[];
      return toItem(await db.write('items').where({ id }).first());
    },
  };
}

function toItem(row: Record<string, unknown>): __NAME__Item {
  return { id: Number(row.id), title: String(row.title), createdAt: new Date(Number(row.created_at)) };
}
