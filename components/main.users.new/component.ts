import { defineComponent } from '../../core/components/types.js';
import { datesFor } from '../../core/time/date-format.js';
import { peopleTags, personCards } from '../../modules/main/routes/intranet/people.js';
import { colleagueView } from '../../modules/main/routes/intranet/visibility.js';

/** The newest colleagues: active users, most recently created first, as colleagues see each other (one result for every viewer). */
export default defineComponent({
  name: 'main.users.new',
  title: { en: 'New colleagues', ru: 'Новые сотрудники' },
  params: {
    limit: { type: 'number', integer: true, min: 1, max: 24, default: 6, title: { en: 'How many', ru: 'Сколько показывать' } },
    title: { type: 'string', maxLength: 100, default: '', title: { en: 'Heading (empty: default)', ru: 'Заголовок (пусто — по умолчанию)' } },
  },
  cache: { ttl: 600, tags: (_params, { kernel, state }) => peopleTags(kernel, state), vary: ['language', 'site'] },
  async prepare({ kernel, params, state }) {
    const { items, total } = await kernel.users.list({ active: true, employee: true, order: 'newest', limit: params.limit });
    const dates = datesFor(state);
    const people = (await personCards(kernel, items, await colleagueView(kernel, state.site?.id))).map((p) => ({ ...p, joinedText: dates.date(p.joined) }));
    return { people, total };
  },
});
