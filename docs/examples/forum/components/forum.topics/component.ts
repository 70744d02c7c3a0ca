import { defineComponent } from '../../../../../core/components/types.js';
import { coreErrors } from '../../../../../core/errors/codes.js';
import { FORUM_TAGS } from '../../api.js';

/** The topics of one section, newest first. */
export default defineComponent({
  name: 'forum.topics',
  title: { en: 'Forum topics', ru: 'Темы форума' },
  params: {
    sectionId: { type: 'number', integer: true, min: 1, default: 1, title: { en: 'Section', ru: 'Раздел' } },
    topicUrl: { type: 'string', default: '/forum/topic/#ID#/', maxLength: 255 },
    limit: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'How many', ru: 'Сколько' } },
  },
  cache: { ttl: 600, tags: (p) => [FORUM_TAGS.topics, `forum:section:${p.sectionId}`] },
  async prepare({ kernel, params }) {
    const forum = kernel.api('forum');
    const section = await forum.section(params.sectionId);
    if (!section) throw coreErrors.NOT_FOUND(`forum section ${params.sectionId}`);
    const topics = await forum.topics(section.id, params.limit);
    return { section, topics: topics.map((t) => ({ id: t.id, title: t.title, href: params.topicUrl.replace('#ID#', String(t.id)) })) };
  },
});
