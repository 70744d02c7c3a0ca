import { defineComplexComponent } from '../../../../../core/components/types.js';

/**
 * The forum's complex component: owns the page's URL subtree and picks the child
 * component for each URL. Placed on /board/, it answers:
 *   /board/              -> board.sections
 *   /board/<SECTION_ID>/ -> board.topics
 *   /board/topic/<ID>/   -> board.topic
 * Anything else below /board/, or a variable that is not a positive whole number, is a 404.
 */
export default defineComplexComponent({
  name: 'board.main',
  title: { en: 'Forum (complex)', ru: 'Форум (комплексный)' },
  params: {
    topicsPerPage: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'Topics per page', ru: 'Тем на странице' } },
  },
  sef: {
    routes: { list: '', section: '#SECTION_ID#/', detail: 'topic/#ID#/' },
    vars: { SECTION_ID: { type: 'number', integer: true, min: 1 }, ID: { type: 'number', integer: true, min: 1 } },
  },
  route(name, vars, params, { url }) {
    switch (name) {
      case 'list':
        return { component: 'board.sections', params: { sectionUrl: url('section') } };
      case 'section':
        return { component: 'board.topics', params: { sectionId: vars.SECTION_ID, topicUrl: url('detail'), limit: params.topicsPerPage } };
      case 'detail':
        return { component: 'board.topic', params: { id: vars.ID, sectionUrl: url('section') } };
      default:
        return null;
    }
  },
});
