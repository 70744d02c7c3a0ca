import { defineComponent } from '../../../../../core/components/types.js';
import { coreErrors } from '../../../../../core/errors/codes.js';
import { BOARD_TAGS } from '../../api.js';

export let topicPrepareCalls = 0;

/** One topic. Its .default template has a modifier, an epilog, a stylesheet and a script. */
export default defineComponent({
  name: 'board.topic',
  title: { en: 'Forum topic', ru: 'Тема форума' },
  params: {
    id: { type: 'number', integer: true, min: 1, default: 1, title: { en: 'Topic', ru: 'Тема' } },
    sectionUrl: { type: 'string', default: '/board/#SECTION_ID#/', maxLength: 255 },
  },
  cache: { ttl: 600, tags: (p) => [BOARD_TAGS.topics, `board:topic:${p.id}`] },
  async prepare({ kernel, params }) {
    topicPrepareCalls++;
    const topic = await kernel.api('board').topic(params.id);
    if (!topic) throw coreErrors.NOT_FOUND(`forum topic ${params.id}`);
    return { ...topic, sectionHref: params.sectionUrl.replace('#SECTION_ID#', String(topic.sectionId)) };
  },
});
