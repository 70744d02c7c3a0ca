import { defineComponent } from '../../core/components/types.js';
import { USERS_TAG } from '../../core/users/user-service.js';
import { DEPARTMENTS_TAG } from '../../core/users/department-service.js';
import { datesFor } from '../../core/time/date-format.js';
import { personCards } from '../../modules/main/routes/intranet/people.js';

/** The newest colleagues: active users, most recently created first. */
export default defineComponent({
  name: 'main.users.new',
  title: { en: 'New colleagues', ru: 'Новые сотрудники' },
  params: {
    limit: { type: 'number', integer: true, min: 1, max: 24, default: 6, title: { en: 'How many', ru: 'Сколько показывать' } },
    title: { type: 'string', maxLength: 100, default: '', title: { en: 'Heading (empty: default)', ru: 'Заголовок (пусто — по умолчанию)' } },
  },
  cache: { ttl: 600, tags: () => [USERS_TAG, DEPARTMENTS_TAG], vary: ['language'] },
  async prepare({ kernel, params, state }) {
    const { items, total } = await kernel.users.list({ active: true, order: 'newest', limit: params.limit });
    const dates = datesFor(state);
    const people = (await personCards(kernel, items)).map((p) => ({ ...p, joinedText: dates.date(p.joined) }));
    return { people, total };
  },
});
