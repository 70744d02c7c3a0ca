import { defineComponent } from '../../../../../core/components/types.js';
import { BOARD_TAGS } from '../../api.js';

/** The list of forum sections with their topic counts. */
export default defineComponent({
  name: 'board.sections',
  title: { en: 'Forum sections', ru: 'Разделы форума' },
  params: {
    /** Link of a section; #SECTION_ID# is replaced (the complex component passes its SEF URL). */
    sectionUrl: { type: 'string', default: '/board/#SECTION_ID#/', maxLength: 255 },
  },
  cache: { ttl: 600, tags: () => [BOARD_TAGS.sections], vary: ['language'] },
  async prepare({ kernel, params }) {
    const sections = await kernel.api('board').sections();
    return { sections: sections.map((s) => ({ ...s, href: params.sectionUrl.replace('#SECTION_ID#', String(s.id)) })) };
  },
});
