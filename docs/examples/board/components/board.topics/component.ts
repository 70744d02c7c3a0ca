import { defineComponent } from '../../../../../core/components/types.js';
import { coreErrors } from '../../../../../core/errors/codes.js';
import { BOARD_TAGS } from '../../api.js';

/** The topics of one section, newest first. */
export default defineComponent({
  name: 'board.topics',
  title: { en: 'Forum topics', ru: 'Темы форума' },
  params: {
    sectionId: { type: 'number', integer: true, min: 1, default: 1, title: { en: 'Section', ru: 'Раздел' } },
    topicUrl: { type: 'string', default: '/board/topic/#ID#/', maxLength: 255 },
    limit: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'How many', ru: 'Сколько' } },
  },
  cache: { ttl: 600, tags: (p) => [BOARD_TAGS.topics, `board:section:${p.sectionId}`] },
  async prepare({ kernel, params }) {
    const board = kernel.api('board');
    const section = await board.section(params.sectionId);
    if (!section) throw coreErrors.NOT_FOUND(`forum section ${params.sectionId}`);
    const topics = await board.topics(section.id, params.limit);
    return { section, topics: topics.map((t) => ({ id: t.id, title: t.title, href: params.topicUrl.replace('#ID#', String(t.id)) })) };
  },
});
