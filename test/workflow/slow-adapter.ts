import type { DocumentAdapter } from '../../modules/workflow/documents/adapter.js';

/** A document type of the tests ("test.slow"): one document per id; setFields runs `write` (which may never return). */
export function slowAdapter(write: (fields: Record<string, unknown>) => Promise<void>): DocumentAdapter {
  return {
    type: 'test.slow',
    module: 'main',
    title: { en: 'Test document', ru: 'Тестовый документ' },
    load: async (id) => ({ type: 'test.slow', id, title: `Slow ${id}`, authorId: null, scope: null, url: '', fields: { ID: id } }),
    canRead: async () => true,
    canStart: async () => true,
    setFields: (_id, fields) => write(fields),
  };
}
