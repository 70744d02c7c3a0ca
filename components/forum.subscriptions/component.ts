import { defineComponent } from '../../core/components/types.js';
import { coreErrors } from '../../core/errors/codes.js';

/**
 * The signed-in reader's subscriptions (whole forums and single topics) they may still read, each with an
 * "unsubscribe" button: a plain form posting to /forum/post/unsubscribe/ (works without JS).
 */
export default defineComponent({
  name: 'forum.subscriptions',
  title: { en: 'Forum: my subscriptions', ru: 'Форум: мои подписки' },
  params: {
    forumUrl: { type: 'string', default: '/forum/#FORUM_ID#/', maxLength: 255, title: { en: 'Forum URL template', ru: 'Шаблон URL форума' } },
    topicUrl: { type: 'string', default: '/forum/topic/#ID#/', maxLength: 255, title: { en: 'Topic URL template', ru: 'Шаблон URL темы' } },
    indexUrl: { type: 'string', default: '/forum/', maxLength: 255, title: { en: 'Forum index URL', ru: 'URL списка форумов' } },
    back: { type: 'string', default: '/forum/subscriptions/', maxLength: 255, title: { en: 'This page\'s URL', ru: 'URL этой страницы' } },
  },
  async prepare({ kernel, params, state }) {
    if (!state.user) throw coreErrors.ACCESS_DENIED('Sign in to see your subscriptions');
    const subs = await kernel.api('forum').subscriptionViews(state.principal);
    return {
      indexUrl: params.indexUrl,
      action: '/forum/post/unsubscribe/',
      back: params.back,
      subscriptions: subs.map((s) => ({
        forum: s.forumName,
        forumHref: params.forumUrl.replace('#FORUM_ID#', String(s.forumId)),
        forumId: s.forumId,
        topic: s.topicTitle,
        topicId: s.topicId,
        topicHref: s.topicId === null ? '' : params.topicUrl.replace('#ID#', String(s.topicId)),
      })),
    };
  },
});
