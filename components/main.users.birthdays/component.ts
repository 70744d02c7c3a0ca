import { defineComponent } from '../../core/components/types.js';
import { formatDay, peopleTags, personCards } from '../../modules/main/routes/intranet/people.js';

/**
 * Upcoming birthdays of active colleagues (UTC calendar days). Cached for 15 minutes,
 * so "today" may lag a day change by that long.
 */
export default defineComponent({
  name: 'main.users.birthdays',
  title: { en: 'Upcoming birthdays', ru: 'Ближайшие дни рождения' },
  params: {
    days: { type: 'number', integer: true, min: 0, max: 60, default: 14, title: { en: 'Days ahead', ru: 'На сколько дней вперёд' } },
    limit: { type: 'number', integer: true, min: 1, max: 50, default: 8, title: { en: 'How many', ru: 'Сколько показывать' } },
  },
  cache: { ttl: 900, tags: (_params, { kernel, state }) => peopleTags(kernel, state), vary: ['language'] },
  async prepare({ kernel, params, state }) {
    const lang = state.language ?? 'en';
    const upcoming = await kernel.users.upcomingBirthdays({ days: params.days, limit: params.limit });
    const cards = await personCards(kernel, upcoming.map((u) => u.user));
    const people = cards.map((p, i) => ({ ...p, inDays: upcoming[i]!.inDays, dayText: p.birthday ? formatDay(p.birthday, lang) : '' }));
    return { people };
  },
});
