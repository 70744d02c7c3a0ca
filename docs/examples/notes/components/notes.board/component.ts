import { defineComponent } from '../../../../../core/components/types.js';

/**
 * The notes and, for writers, a form to add one (docs/components.md, "Forms"). The HTML is
 * cached per user and language; the CSRF token and the flash messages are filled in on
 * every render, cache hit or not, so the cached form always carries the visitor's token.
 */
export default defineComponent({
  name: 'notes.board',
  title: { en: 'Notes board', ru: 'Доска заметок' },
  params: { limit: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'Notes shown', ru: 'Сколько заметок показать' } } },
  cache: { ttl: 300, tags: () => ['notes:list'], vary: ['user', 'language'] },
  async prepare({ kernel, params, state }) {
    const notes = await kernel.api('notes').list(state.principal, params.limit);
    return {
      notes: notes.map((n) => ({ title: n.title, body: n.body, date: n.createdAt.toISOString().slice(0, 10) })),
      canWrite: await kernel.rights.can(state.principal, 'notes.write'),
    };
  },
});
