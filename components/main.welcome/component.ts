import { defineComponent } from '../../core/components/types.js';
import { USERS_TAG } from '../../core/users/user-service.js';
import { DEPARTMENTS_TAG } from '../../core/users/department-service.js';
import { personCards } from '../../modules/main/routes/intranet/people.js';
import { FULL_VIEW } from '../../modules/main/routes/intranet/visibility.js';

/** Greets the signed-in user with their card and quick links (cached per user and language). */
export default defineComponent({
  name: 'main.welcome',
  title: { en: 'Welcome and quick links', ru: 'Приветствие и быстрые ссылки' },
  params: {
    showLinks: { type: 'boolean', default: true, title: { en: 'Show quick links', ru: 'Показывать быстрые ссылки' } },
  },
  cache: { ttl: 300, tags: () => [USERS_TAG, DEPARTMENTS_TAG], vary: ['user', 'language'] },
  async prepare({ kernel, params, state }) {
    const user = state.user;
    if (!user) return { person: null, links: [] };
    const [person] = await personCards(kernel, [user], FULL_VIEW);
    const links = [
      { href: '/profile/', key: 'INTRANET_LINK_PROFILE' },
      { href: '/company/', key: 'INTRANET_LINK_DIRECTORY' },
      { href: '/profile/password/', key: 'INTRANET_LINK_PASSWORD' },
    ];
    if (await kernel.rights.can(state.principal, 'main.admin.view')) links.push({ href: '/admin/', key: 'INTRANET_LINK_ADMIN' });
    return { person: person!, links: params.showLinks ? links : [] };
  },
});
