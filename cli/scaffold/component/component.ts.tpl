import { defineComponent } from '../../core/components/types.js';

const title = { en: '__TITLE__', ru: '__TITLE_RU__' };

/**
 * __NAME__: a component of module "__MODULE__". Parameters are validated before
 * prepare() runs; prepare() calls module APIs (never tables) and returns plain data.
 * Text the template shows comes from the module's messages (`it.t`) or from here per language.
 */
export default defineComponent({
  name: '__NAME__',
  title,
  params: {
    heading: { type: 'string', default: '', maxLength: 100, title: { en: 'Heading (empty: the component title)', ru: 'Заголовок (пусто — название компонента)' } },
    showSite: { type: 'boolean', default: true, title: { en: 'Show the site name', ru: 'Показывать название сайта' } },
  },
  // The rendered result is cached per user and language for five minutes; invalidate the tag from your module's events.
  cache: { ttl: 300, tags: () => ['__NAME__'], vary: ['user', 'language'] },
  async prepare({ params, state }) {
    return {
      heading: params.heading || title[state.language === 'ru' ? 'ru' : 'en'],
      site: params.showSite ? state.site.name : null,
      userName: state.user ? [state.user.name, state.user.lastName].filter(Boolean).join(' ') || state.user.login : null,
    };
  },
});
