import { defineComponent } from '../../core/components/types.js';

/**
 * __NAME__: a component of module "__MODULE__". Parameters are validated before
 * prepare() runs; prepare() calls module APIs (never tables) and returns plain data.
 */
export default defineComponent({
  name: '__NAME__',
  title: { en: '__TITLE__', ru: '__TITLE__' },
  params: {
    heading: { type: 'string', default: '__TITLE__', maxLength: 100, title: { en: 'Heading', ru: 'Заголовок' } },
    showSite: { type: 'boolean', default: true, title: { en: 'Show the site name', ru: 'Показывать название сайта' } },
  },
  // The rendered result is cached per language for five minutes; invalidate the tag from your module's events.
  cache: { ttl: 300, tags: () => ['__NAME__'], vary: ['user', 'language'] },
  async prepare({ params, state }) {
    return {
      heading: params.heading,
      site: params.showSite ? state.site.name : null,
      userName: state.user ? [state.user.name, state.user.lastName].filter(Boolean).join(' ') || state.user.login : null,
    };
  },
});
