import { defineComponent } from '../../core/components/types.js';
import { datesFor } from '../../core/time/date-format.js';
import { peopleTags, personCards } from '../../modules/main/routes/intranet/people.js';
import { colleagueView } from '../../modules/main/routes/intranet/visibility.js';

/**
 * Upcoming birthdays of active colleagues, counted from today on the site's clock: the day
 * and month, never the year, and nothing at all when the site hides birthdays from
 * colleagues (the `colleagues_see_birthday` option). Cached for 15 minutes, so "today" may
 * lag a day change by that long.
 */
export default defineComponent({
  name: 'main.users.birthdays',
  title: { en: 'Upcoming birthdays', ru: 'Ближайшие дни рождения' },
  params: {
    days: { type: 'number', integer: true, min: 0, max: 60, default: 14, title: { en: 'Days ahead', ru: 'На сколько дней вперёд' } },
    limit: { type: 'number', integer: true, min: 1, max: 50, default: 8, title: { en: 'How many', ru: 'Сколько показывать' } },
  },
  cache: { ttl: 900, tags: (_params, { kernel, state }) => peopleTags(kernel, state), vary: ['language', 'site'] },
  async prepare({ kernel, params, state }) {
    const dates = datesFor(state);
    const view = await colleagueView(kernel, state.site?.id);
    if (!view.birthday) return { hidden: true, people: [] };
    // The site's calendar day, as the UTC day upcomingBirthdays counts from.
    const from = new Date(`${dates.isoDate(Date.now())}T00:00:00Z`);
    const upcoming = await kernel.users.upcomingBirthdays({ days: params.days, limit: params.limit, from });
    const cards = await personCards(kernel, upcoming.map((u) => u.user), view);
    const people = cards.map((p, i) => ({ ...p, inDays: upcoming[i]!.inDays, dayText: p.birthdayDay ? dates.day(p.birthdayDay) : '' }));
    return { hidden: false, people };
  },
});
