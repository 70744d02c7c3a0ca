import { defineComponent } from '../../core/components/types.js';
import { USERS_TAG } from '../../core/users/user-service.js';
import { DEPARTMENTS_TAG } from '../../core/users/department-service.js';
import { datesFor } from '../../core/time/date-format.js';
import { personCards } from '../../modules/main/routes/intranet/people.js';

/**
 * Upcoming birthdays of active colleagues, counted from today on the site's clock. Cached
 * for 15 minutes, so "today" may lag a day change by that long.
 */
export default defineComponent({
  name: 'main.users.birthdays',
  title: { en: 'Upcoming birthdays', ru: 'Ближайшие дни рождения' },
  params: {
    days: { type: 'number', integer: true, min: 0, max: 60, default: 14, title: { en: 'Days ahead', ru: 'На сколько дней вперёд' } },
    limit: { type: 'number', integer: true, min: 1, max: 50, default: 8, title: { en: 'How many', ru: 'Сколько показывать' } },
  },
  cache: { ttl: 900, tags: () => [USERS_TAG, DEPARTMENTS_TAG], vary: ['language'] },
  async prepare({ kernel, params, state }) {
    const dates = datesFor(state);
    // The site's calendar day, as the UTC day upcomingBirthdays counts from.
    const from = new Date(`${dates.isoDate(Date.now())}T00:00:00Z`);
    const upcoming = await kernel.users.upcomingBirthdays({ days: params.days, limit: params.limit, from });
    const cards = await personCards(kernel, upcoming.map((u) => u.user));
    const people = cards.map((p, i) => ({ ...p, inDays: upcoming[i]!.inDays, dayText: dates.day(p.birthday) }));
    return { people };
  },
});
