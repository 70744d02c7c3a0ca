import type { PortalState } from '../../core/http/state.js';
import type { User } from '../../core/services.js';
import type { Element, Iblock, Section } from '../../modules/infoblocks/types.js';
import type { DbKind } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

export const PASSWORD = 'components pass 42';

export interface ComponentsFixture extends IbFixture {
  /** "news": everyone reads; 25 elements (23 active), sections company > events, industry. */
  news: Iblock;
  /** "hr": only the group "hr" reads it. */
  hr: Iblock;
  sections: { company: Section; events: Section; industry: Section };
  /** News elements by number 1..25 (element i was active from 2026-01-i). */
  items: Map<number, Element>;
  enums: { normal: number; important: number };
  boss: User;
  /** In "registered" only: reads news, not hr. */
  ivan: User;
  /** Member of "hr". */
  olga: User;
  stateFor(user: User | null, language?: string): Promise<PortalState>;
}

/**
 * Main and infoblocks installed, a "news" infoblock everyone may read with sections,
 * properties of several types and 25 elements, and an "hr" infoblock only its group reads.
 */
export async function bootComponents(kind: DbKind): Promise<ComponentsFixture> {
  const f = await bootInfoblocks(kind);
  const k = f.t.kernel;
  const api = f.api;
  const admins = await k.groups.byCode('administrators');
  const hrGroup = await k.groups.create({ code: 'hr', name: 'HR' });
  const boss = await k.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, name: 'Anna', lastName: 'Boss', groupIds: [admins.id] });
  const ivan = await k.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Ivan', lastName: 'Petrov' });
  const olga = await k.users.create({ login: 'olga', email: 'olga@example.com', password: PASSWORD, name: 'Olga', lastName: 'Hr', groupIds: [hrGroup.id] });

  const news = await api.iblocks.add(admin, {
    typeId: f.typeId,
    code: 'news',
    name: 'News',
    listUrl: '#SITE_DIR#news/',
    detailUrl: '#SITE_DIR#news/#ELEMENT_CODE#/',
    sectionUrl: '#SITE_DIR#news/section/#SECTION_CODE_PATH#/',
    rights: { [(await k.groups.byCode('everyone')).id]: 'R' },
  });
  await api.properties.add(admin, news.id, { code: 'SOURCE', name: 'Source', type: 'string', filterable: true });
  const importance = await api.properties.add(admin, news.id, {
    code: 'IMPORTANCE',
    name: 'Importance',
    type: 'list',
    filterable: true,
    enums: [{ value: 'Normal', xmlId: 'normal' }, { value: 'Important', xmlId: 'important' }],
  });
  await api.properties.add(admin, news.id, { code: 'RATING', name: 'Rating', type: 'number', filterable: true });
  await api.properties.add(admin, news.id, { code: 'EVENT_DATE', name: 'Event date', type: 'date', filterable: true });
  await api.properties.add(admin, news.id, { code: 'AUTHOR', name: 'Author', type: 'user' });
  await api.properties.add(admin, news.id, { code: 'SECRET_NOTE', name: 'Secret note', type: 'string' });
  const enums = { normal: importance.enums[0]!.id, important: importance.enums[1]!.id };
  const company = await api.sections.add(admin, news.id, { name: 'Company', code: 'company', sort: 10 });
  const events = await api.sections.add(admin, news.id, { name: 'Events', code: 'events', parentId: company.id });
  const industry = await api.sections.add(admin, news.id, { name: 'Industry', code: 'industry', sort: 20 });

  const items = new Map<number, Element>();
  for (let i = 1; i <= 25; i++) {
    const el = await api.elements.add(admin, news.id, {
      name: i === 3 ? 'Report <b>3</b> & more' : `News ${i}`,
      code: `news-${i}`,
      active: i !== 24 && i !== 25,
      activeFrom: Date.UTC(2026, 0, i, 9, 30),
      sort: 100 + i,
      previewText: i === 2 ? '<p>Preview with <strong>HTML</strong></p><script>alert(1)</script>' : `Preview <${i}>`,
      previewTextType: i === 2 ? 'html' : 'text',
      detailText: i === 1 ? 'First paragraph.\n\nSecond paragraph.' : '',
      sectionIds: i % 5 === 0 ? [events.id] : i % 2 ? [company.id] : [industry.id],
      properties: {
        SOURCE: i % 3 === 0 ? 'Reuters' : 'Internal',
        IMPORTANCE: i % 4 === 0 ? enums.important : enums.normal,
        RATING: i,
        EVENT_DATE: `2026-02-${String(i).padStart(2, '0')}`,
        AUTHOR: ivan.id,
        SECRET_NOTE: 'not for lists',
      },
    });
    items.set(i, el);
  }
  const hr = await api.iblocks.add(admin, { typeId: f.typeId, code: 'hr', name: 'HR notes', detailUrl: '/hr/#ELEMENT_CODE#/', rights: { [hrGroup.id]: 'R' } });
  await api.elements.add(admin, hr.id, { name: 'Salary review', code: 'salary' });

  return {
    ...f,
    news,
    hr,
    sections: { company, events, industry },
    items,
    enums,
    boss,
    ivan,
    olga,
    async stateFor(user, language = 'en') {
      return {
        requestId: 'test',
        site: await k.sites.resolve('localhost'),
        language,
        session: null,
        user,
        principal: await k.users.principalOf(user),
        auth: user ? 'session' : 'anonymous',
        csrfToken: '',
      };
    },
  };
}

/** The element names a rendered list shows, in order. */
export function listedNames(html: string): string[] {
  return [...html.matchAll(/<h3 class="ib-item-title">(?:<a href="[^"]*">)?([^<]*)/g)].map((m) => m[1]!);
}
