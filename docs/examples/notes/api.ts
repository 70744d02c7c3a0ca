import './events.js';
import { defineErrors } from '../../../core/errors/portal-error.js';
import type { ModuleContext } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';

export interface NoteInput {
  authorId: number;
  title: string;
  body: string;
}

export interface Note extends NoteInput {
  id: number;
  createdAt: Date;
}

export const notesErrors = defineErrors({
  NOTE_TITLE_REQUIRED: { status: 400, message: () => 'A note needs a title' },
  NOTE_NOT_FOUND: { status: 404, message: (id) => `Note ${id} does not exist` },
});

/** The module's typed API: the only way other code reaches its data. */
export function createNotesApi(ctx: ModuleContext) {
  const { db, events, cache, kernel } = ctx;
  return {
    async add(principal: Principal, input: NoteInput): Promise<Note> {
      await kernel.rights.assert(principal, 'notes.write');
      const data = await events.runBefore('notes.note.create', input);
      if (!data.title.trim()) throw notesErrors.NOTE_TITLE_REQUIRED();
      const note = await db.transaction(async (tx) => {
        const createdAt = Date.now();
        const [id] = await tx.table('notes').insert({ author_id: data.authorId, title: data.title.trim(), body: data.body, created_at: createdAt });
        const created: Note = { ...data, id: Number(id), createdAt: new Date(createdAt) };
        await events.emitAfter('notes.note.created', created, tx);
        return created;
      });
      await cache.invalidateTags('notes:list');
      return note;
    },

    async list(principal: Principal, limit = 20): Promise<Note[]> {
      await kernel.rights.assert(principal, 'notes.read');
      return cache.remember(`notes:list:${limit}`, { ttl: 300, tags: ['notes:list'] }, async () => {
        const rows = await db.read('notes').orderBy('id', 'desc').limit(limit);
        return rows.map((r: Record<string, unknown>) => ({
          id: Number(r.id),
          authorId: Number(r.author_id),
          title: String(r.title),
          body: String(r.body),
          createdAt: new Date(Number(r.created_at)),
        }));
      });
    },
  };
}

export type NotesApi = ReturnType<typeof createNotesApi>;

declare module '../../../core/modules/types.js' {
  interface ModuleApis {
    notes: NotesApi;
  }
}
