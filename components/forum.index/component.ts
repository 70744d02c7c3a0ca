import { defineComponent } from '../../core/components/types.js';

/** Categories and the forums in them that the reader may see, with counters and the last post. */
export default defineComponent({
  name: 'forum.index',
  title: { en: 'Forum: forums', ru: 'Форум: список форумов' },
  params: {
    forumUrl: { type: 'string', default: '/forum/#FORUM_ID#/', maxLength: 255, title: { en: 'Forum page URL (#FORUM_ID#)', ru: 'Адрес страницы форума (#FORUM_ID#)' } },
    subscriptionsUrl: { type: 'string', default: '', maxLength: 255, title: { en: 'Subscriptions page URL', ru: 'Адрес страницы подписок' } },
  },
  async prepare({ kernel, params, state }) {
    const api = kernel.api('forum').forums;
    const forums = await api.list(state.principal, state.site?.id);
    const categories = await api.categories(state.site?.id);
    const row = (f: (typeof forums)[number]) => ({
      name: f.name,
      description: f.description,
      href: params.forumUrl.replace('#FORUM_ID#', String(f.id)),
      topics: f.topicCount,
      messages: f.messageCount,
      lastAt: f.lastMessageAt?.toISOString() ?? null,
    });
    const groups = categories.map((c) => ({ name: c.name, forums: forums.filter((f) => f.categoryId === c.id).map(row) })).filter((g) => g.forums.length);
    const loose = forums.filter((f) => !categories.some((c) => c.id === f.categoryId)).map(row);
    const subscriptionsUrl = state.user ? params.subscriptionsUrl : '';
    return { subscriptionsUrl, groups: loose.length ? [{ name: '', forums: loose }, ...groups] : groups };
  },
});
