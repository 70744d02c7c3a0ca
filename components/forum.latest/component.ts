import { defineComponent } from '../../core/components/types.js';

/** The latest active topics in the forums the reader may see (for the home page). */
export default defineComponent({
  name: 'forum.latest',
  title: { en: 'Forum: latest topics', ru: 'Форум: последние темы' },
  params: {
    limit: { type: 'number', integer: true, min: 1, max: 50, default: 5, title: { en: 'How many', ru: 'Сколько' } },
    topicUrl: { type: 'string', default: '/forum/topic/#ID#/', maxLength: 255, title: { en: 'Topic URL template', ru: 'Шаблон URL темы' } },
  },
  async prepare({ kernel, params, state }) {
    const topics = await kernel.api('forum').latestTopics(state.principal, { siteId: state.site?.id, limit: params.limit });
    return {
      topics: topics.map((t) => ({ title: t.title, href: params.topicUrl.replace('#ID#', String(t.id)), author: t.lastAuthorName ?? t.authorName, replies: t.replyCount, at: t.lastMessageAt.toISOString() })),
    };
  },
});
