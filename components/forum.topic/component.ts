import { defineComponent } from '../../core/components/types.js';
import { readQuery } from '../../core/components/request.js';
import { atLeast } from '../../modules/forum/levels.js';
import { quoteOf } from '../../modules/forum/quote.js';

/**
 * One topic: its messages paged by ?page=N (the stored, sanitized HTML) and, for those who may reply while it is
 * open, a plain form that posts to /forum/post/reply/<id>/ and works without JS. Each render counts a view.
 * `?quote=<messageId>` fills the form with that message as a quote (read rights checked); with JS the quote links
 * and the preview button work in place (script.js).
 */
export default defineComponent({
  name: 'forum.topic',
  title: { en: 'Forum: topic', ru: 'Форум: тема' },
  params: {
    id: { type: 'number', integer: true, min: 1, default: 1, title: { en: 'Topic', ru: 'Тема' } },
    forumUrl: { type: 'string', default: '/forum/#FORUM_ID#/', maxLength: 255, title: { en: 'Forum page URL (#FORUM_ID#)', ru: 'Адрес страницы форума (#FORUM_ID#)' } },
    topicUrl: { type: 'string', default: '/forum/topic/#ID#/', maxLength: 255, title: { en: 'Topic page URL (#ID#)', ru: 'Адрес страницы темы (#ID#)' } },
    pageSize: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'Per page', ru: 'На странице' } },
    subscriptionsUrl: { type: 'string', default: '', maxLength: 255, title: { en: 'Subscriptions page URL', ru: 'Адрес страницы подписок' } },
  },
  request: (query) =>
    readQuery(query, {
      page: { type: 'number', integer: true, min: 1, max: 100000, default: 1 },
      unread: { type: 'boolean', default: false },
      quote: { type: 'number', integer: true, min: 0, max: 1e15, default: 0 },
    }),
  async prepare({ kernel, params, state, request }) {
    const api = kernel.api('forum');
    const topic = await api.topic(state.principal, params.id, { countView: true });
    const level = await api.forums.levelOf(state.principal, topic.forumId);
    let pageNo = request.page;
    const firstUnread = request.unread ? await api.firstUnread(state.principal, topic.id) : null;
    if (firstUnread !== null) pageNo = await api.pageOf(state.principal, topic.id, firstUnread, params.pageSize);
    const page = await api.messages(state.principal, topic.id, { page: pageNo, pageSize: params.pageSize });
    const shownUpTo = page.items.at(-1)?.id;
    if (shownUpTo !== undefined) await api.markTopicRead(state.principal, topic.id, shownUpTo);
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const canReply = atLeast(level, 'I') && (!topic.closed || atLeast(level, 'Q')) && state.user != null;
    const back = params.topicUrl.replace('#ID#', String(topic.id));
    const quoted = canReply && request.quote ? await api.message(state.principal, request.quote) : null;
    return {
      topic: { id: topic.id, title: topic.title, closed: topic.closed, pinned: topic.pinned },
      forumHref: params.forumUrl.replace('#FORUM_ID#', String(topic.forumId)),
      messages: page.items.map((m) => ({
        id: m.id,
        author: m.authorName,
        html: m.html,
        at: m.createdAt.toISOString(),
        edited: m.editedAt !== null,
        approved: m.approved,
        deleted: m.deletedAt !== null,
        quoteHref: `${back}?quote=${m.id}#forum-reply-body`,
      })),
      firstUnread,
      subscribed: state.user ? (await api.subscriptions(state.principal)).some((x) => x.topicId === topic.id) : null,
      subscribeAction: `/forum/post/subscription/${topic.id}/`,
      canReply,
      // The form handler goes back to the page the new reply is on, with this page's size.
      replyAction: `/forum/post/reply/${topic.id}/?per_page=${params.pageSize}`,
      previewAction: '/api/v1/forum/preview',
      draft: quoted && quoted.topicId === topic.id ? quoteOf(quoted) : '',
      subscriptionsUrl: state.user ? params.subscriptionsUrl : '',
      back,
      pager: { page: page.page, pages, prev: page.page > 1 ? `?page=${page.page - 1}` : '', next: page.page < pages ? `?page=${page.page + 1}` : '' },
    };
  },
});
