import { defineComponent } from '../../core/components/types.js';
import { coreErrors } from '../../core/errors/codes.js';
import { atLeast } from '../../modules/forum/levels.js';
import { attachOffer } from '../../modules/forum/topic-page.js';

/** The new-topic form of a forum (posts to /forum/post/topic/<forumId>/, works without JS). */
export default defineComponent({
  name: 'forum.topic.new',
  title: { en: 'Forum: new topic', ru: 'Форум: новая тема' },
  params: {
    forumId: { type: 'number', integer: true, min: 1, default: 1, title: { en: 'Forum', ru: 'Форум' } },
    forumUrl: { type: 'string', default: '/forum/#FORUM_ID#/', maxLength: 255, title: { en: 'Forum page URL (#FORUM_ID#)', ru: 'Адрес страницы форума (#FORUM_ID#)' } },
  },
  async prepare({ kernel, params, state }) {
    const forum = await kernel.api('forum').forums.get(state.principal, params.forumId);
    if (!atLeast(forum.level, 'M') || !state.user) throw coreErrors.ACCESS_DENIED('', { forumId: forum.id });
    return {
      forum: { id: forum.id, name: forum.name, href: params.forumUrl },
      previewAction: '/api/v1/forum/preview',
      action: `/forum/post/topic/${forum.id}/`,
      back: `${params.forumUrl}new/`,
      attach: await attachOffer(kernel.api('forum')),
    };
  },
});
