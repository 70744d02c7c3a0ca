import { defineComponent } from '../../core/components/types.js';
import { peopleTags } from '../../modules/main/routes/intranet/people.js';

const DAY_MS = 86_400_000;

/** Company figures: colleagues, departments, and who joined recently. */
export default defineComponent({
  name: 'main.company.stats',
  title: { en: 'Company in numbers', ru: 'Компания в цифрах' },
  params: {
    newDays: { type: 'number', integer: true, min: 1, max: 365, default: 30, title: { en: '"Joined" period, days', ru: 'Период «новых», дней' } },
  },
  cache: { ttl: 600, tags: (_params, { kernel, state }) => peopleTags(kernel, state), vary: ['language'] },
  async prepare({ kernel, params }) {
    const [all, recent, departments] = await Promise.all([
      kernel.users.list({ active: true, employee: true, limit: 1 }),
      kernel.users.list({ active: true, employee: true, limit: 1, createdAfter: Date.now() - params.newDays * DAY_MS }),
      kernel.users.departments.list(),
    ]);
    return { employees: all.total, joined: recent.total, departments: departments.length };
  },
});
