import { defineComplexComponent } from '../../core/components/types.js';

/**
 * The forum's complex component. Placed on /forum/, it answers:
 *   /forum/                   -> forum.index      (categories and forums the reader may see)
 *   /forum/<FORUM_ID>/        -> forum.topics     (paged: ?page=2)
 *   /forum/<FORUM_ID>/new/    -> forum.topic.new  (the new-topic form)
 *   /forum/topic/<ID>/        -> forum.topic      (paged messages and the reply form; ?quote=<messageId>)
 *   /forum/subscriptions/     -> forum.subscriptions (the signed-in reader's subscriptions)
 */
export default defineComplexComponent({
  name: 'forum.main',
  title: { en: 'Forum (complex)', ru: 'Форум (комплексный)' },
  params: {
    topicsPerPage: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'Topics per page', ru: 'Тем на странице' } },
    messagesPerPage: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'Messages per page', ru: 'Сообщений на странице' } },
  },
  sef: {
    routes: { index: '', subscriptions: 'subscriptions/', forum: '#FORUM_ID#/', newTopic: '#FORUM_ID#/new/', topic: 'topic/#ID#/' },
    vars: { FORUM_ID: { type: 'number', integer: true, min: 1 }, ID: { type: 'number', integer: true, min: 1 } },
  },
  route(name, vars, params, { url }) {
    switch (name) {
      case 'index':
        return { component: 'forum.index', params: { forumUrl: url('forum'), subscriptionsUrl: url('subscriptions') } };
      case 'subscriptions':
        return { component: 'forum.subscriptions', params: { forumUrl: url('forum'), topicUrl: url('topic'), indexUrl: url('index'), back: url('subscriptions') } };
      case 'forum':
        return {
          component: 'forum.topics',
          params: { forumId: vars.FORUM_ID, topicUrl: url('topic'), newTopicUrl: url('newTopic', { FORUM_ID: Number(vars.FORUM_ID) }), indexUrl: url('index'), subscriptionsUrl: url('subscriptions'), back: url('forum', { FORUM_ID: Number(vars.FORUM_ID) }), pageSize: params.topicsPerPage },
        };
      case 'newTopic':
        return { component: 'forum.topic.new', params: { forumId: vars.FORUM_ID, forumUrl: url('forum', { FORUM_ID: Number(vars.FORUM_ID) }) } };
      case 'topic':
        return { component: 'forum.topic', params: { id: vars.ID, forumUrl: url('forum'), topicUrl: url('topic'), subscriptionsUrl: url('subscriptions'), pageSize: params.messagesPerPage } };
      default:
        return null;
    }
  },
});
