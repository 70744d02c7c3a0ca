import { defineComponent } from '../../core/components/types.js';
import { ITEMS_TAG } from '../../modules/__ID__/api.js';

/**
 * The items of module __ID__ and, for those who may add, a form (placed on the page /__ID__/).
 * The HTML is cached per user and language under the list's tag; the CSRF token and the
 * flash messages are filled in on every render (docs/components.md, "Forms").
 */
export default defineComponent({
  name: '__ID__.items',
  title: { en: '__TITLE__: items', ru: '__TITLE_RU__: элементы' },
  params: {},
  cache: { ttl: 300, tags: () => [ITEMS_TAG], vary: ['user', 'language'] },
  async prepare({ kernel, state }) {
    const items = await kernel.api('__ID__').list(state.principal);
    return {
      items: items.map((i) => ({ id: i.id, title: i.title })),
      canAdd: await kernel.rights.can(state.principal, '__ID__.items.add'),
    };
  },
});
