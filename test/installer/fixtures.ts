import { defineMigration, defineModule, type ModuleDefinition } from '../../core/modules/types.js';

/** A small module with `migrations` tables named t1..tN, depending on main (or on `dependsOn`). */
export function fakeModule(id: string, opts: { migrations?: number; dependsOn?: Record<string, string> } = {}): ModuleDefinition {
  const count = opts.migrations ?? 1;
  return defineModule({
    id,
    version: '1.0.0',
    title: { en: id, ru: id },
    dependencies: opts.dependsOn ?? { main: '^0.1.0' },
    migrations: Array.from({ length: count }, (_, i) =>
      defineMigration({
        name: `2026-01-01-0${i + 1}-create-t${i + 1}`,
        up: async (db) => db.schema.createTable(db.table(`t${i + 1}`), (t) => void t.increments('id')),
        down: async (db) => db.schema.dropTableIfExists(db.table(`t${i + 1}`)),
      }),
    ),
  });
}
