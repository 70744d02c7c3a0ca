import { defineComponent } from '../../core/components/types.js';
import { readQuery } from '../../core/components/request.js';
import { atLeast } from '../../modules/forum/levels.js';

/** The topics of one forum, pinned first, paged by ?page=N; a "new topic" link for those who may start one. */
export default defineComponent({
  name: 'forum.topics',
  title: { en: 'Forum: topics', ru: 'Форум: темы' },
  params: {
    forumId: { type: 'number', integer: true, min: 1, default: 1, title: { en: 'Forum', ru: 'Форум' } },
    topicUrl: { type: 'string', default: '/forum/topic/#ID#/', maxLength: 255, title: { en: 'Topic page URL (#ID#)', ru: 'Адрес страницы темы (#ID#)' } },
    newTopicUrl: { type: 'string', default: '', maxLength: 255, title: { en: 'New topic page URL', ru: 'Адрес страницы новой темы' } },
    indexUrl: { type: 'string', default: '/forum/', maxLength: 255, title: { en: 'Forum index URL', ru: 'Адрес списка форумов' } },
    pageSize: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'Per page', ru: 'На странице' } },
    subscriptionsUrl: { type: 'string', default: '', maxLength: 255, title: { en: 'Subscriptions page URL', ru: 'Адрес страницы подписок' } },
    back: { type: 'string', default: '', maxLength: 255, title: { en: 'Back link URL', ru: 'Адрес ссылки «Назад»' } },
  },
  request: (query) => readQuery(query, { page: { type: 'number', integer: true, min: 1, max: 100000, default: 1 } }),
  async prepare({ kernel, params, state, request }) {
    const api = kernel.api('forum');
    const forum = await api.forums.get(state.principal, params.forumId);
    const page = await api.topics(state.principal, forum.id, { page: request.page, pageSize: params.pageSize });
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    return {
      forum: { name: forum.name, description: forum.description },
      indexUrl: params.indexUrl,
      markReadAction: state.user ? `/forum/post/read/${forum.id}/` : '',
      back: params.back,
      subscriptionsUrl: state.user ? params.subscriptionsUrl : '',
      subscribed: state.user ? (await api.subscriptions(state.principal)).some((x) => x.forumId === forum.id && x.topicId === null) : null,
      subscribeAction: `/forum/post/forum-subscription/${forum.id}/`,
      newTopicUrl: atLeast(forum.level, 'M') && params.newTopicUrl ? params.newTopicUrl : '',
      topics: page.items.map((t) => ({
        title: t.title,
        href: params.topicUrl.replace('#ID#', String(t.id)),
        author: t.authorName,
        replies: t.replyCount,
        views: t.viewCount,
        pinned: t.pinned,
        closed: t.closed,
        approved: t.approved,
        unread: t.unread === true,
        lastAuthor: t.lastAuthorName ?? t.authorName,
        lastAt: t.lastMessageAt.toISOString(),
      })),
      pager: { page: page.page, pages, prev: page.page > 1 ? `?page=${page.page - 1}` : '', next: page.page < pages ? `?page=${page.page + 1}` : '' },
    };
  },
});
