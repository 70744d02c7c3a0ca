import { cloudErrors } from '../../errors.js';
import type { ElementInput, PropertyInput, PropertyType } from '../../../infoblocks/types.js';
import type { Entity } from '../../read/dump-format.js';
import type { RawRow } from '../../read/table.js';
import { day, isEmpty, ref, set, text } from '../../read/values.js';
import { SYSTEM, type Handler, type Ref, type RunContext } from '../handler.js';
import { dateField, idOf } from './common.js';
import { ensureIblock, ensureType, infoblocksOf, needInfoblocks } from './infoblocks.js';

type CrmEntity = 'crm_companies' | 'crm_contacts' | 'crm_leads' | 'crm_deals';

interface Spec {
  code: string;
  name: string;
  title(row: RawRow): string | null;
  scalars: [string, PropertyType][];
  /** Fields that link to another CRM record. */
  links: [string, CrmEntity][];
}

const USERS = ['ASSIGNED_BY_ID', 'CREATED_BY_ID', 'MODIFY_BY_ID'];
/** Multi-fields: each becomes two multiple properties, the values and their types (WORK, MOBILE...), in one order. */
export const MULTI = ['PHONE', 'EMAIL', 'WEB', 'IM'];
const DATES: [string, PropertyType][] = [
  ['DATE_CREATE', 'datetime'],
  ['DATE_MODIFY', 'datetime'],
];
const personName = (row: RawRow) => [text(row.NAME), text(row.SECOND_NAME), text(row.LAST_NAME)].filter(Boolean).join(' ') || null;

export const CRM: Record<CrmEntity, Spec> = {
  crm_companies: {
    code: 'b24_crm_companies',
    name: 'Companies',
    title: (r) => text(r.TITLE),
    scalars: [['COMPANY_TYPE', 'string'], ['INDUSTRY', 'string'], ['EMPLOYEES', 'string'], ['REVENUE', 'number'], ['CURRENCY_ID', 'string'], ['BANKING_DETAILS', 'string'], ['ADDRESS', 'string'], ['ADDRESS_CITY', 'string'], ['ADDRESS_COUNTRY', 'string'], ['IS_MY_COMPANY', 'string'], ...DATES],
    links: [['LEAD_ID', 'crm_leads']],
  },
  crm_contacts: {
    code: 'b24_crm_contacts',
    name: 'Contacts',
    title: personName,
    scalars: [['NAME', 'string'], ['SECOND_NAME', 'string'], ['LAST_NAME', 'string'], ['POST', 'string'], ['BIRTHDATE', 'date'], ['TYPE_ID', 'string'], ['SOURCE_ID', 'string'], ['ADDRESS', 'string'], ...DATES],
    links: [['COMPANY_ID', 'crm_companies'], ['LEAD_ID', 'crm_leads']],
  },
  crm_leads: {
    code: 'b24_crm_leads',
    name: 'Leads',
    title: (r) => text(r.TITLE) ?? personName(r),
    scalars: [['NAME', 'string'], ['LAST_NAME', 'string'], ['COMPANY_TITLE', 'string'], ['STATUS_ID', 'string'], ['SOURCE_ID', 'string'], ['OPPORTUNITY', 'number'], ['CURRENCY_ID', 'string'], ['DATE_CLOSED', 'datetime'], ...DATES],
    links: [['COMPANY_ID', 'crm_companies'], ['CONTACT_ID', 'crm_contacts']],
  },
  crm_deals: {
    code: 'b24_crm_deals',
    name: 'Deals',
    title: (r) => text(r.TITLE),
    scalars: [['TYPE_ID', 'string'], ['STAGE_ID', 'string'], ['CATEGORY_ID', 'string'], ['PROBABILITY', 'number'], ['OPPORTUNITY', 'number'], ['CURRENCY_ID', 'string'], ['BEGINDATE', 'datetime'], ['CLOSEDATE', 'datetime'], ['CLOSED', 'string'], ['SOURCE_ID', 'string'], ...DATES],
    links: [['COMPANY_ID', 'crm_companies'], ['CONTACT_ID', 'crm_contacts'], ['LEAD_ID', 'crm_leads']],
  },
};
const ORDER: CrmEntity[] = ['crm_companies', 'crm_contacts', 'crm_leads', 'crm_deals'];

/** The four CRM infoblocks in the type "b24_crm", made on first need, with their links to one another. */
async function crmIblocks(run: RunContext): Promise<Map<CrmEntity, number>> {
  return run.memo('crm', async () => {
    const typeId = await ensureType(run, 'b24_crm', { en: 'CRM (Bitrix24)', ru: 'CRM (Битрикс24)' });
    const ids = new Map<CrmEntity, number>();
    // Links first point at nothing; the element properties are added once all four infoblocks exist.
    for (const e of ORDER) {
      const s = CRM[e];
      const props: PropertyInput[] = [
        ...s.scalars.map(([code, type], i): PropertyInput => ({ code, name: code, type, sort: 100 + i })),
        ...MULTI.flatMap((m, i): PropertyInput[] => [
          { code: m, name: m, type: 'string', multiple: true, searchable: true, sort: 300 + i * 2 },
          { code: `${m}_TYPE`, name: `${m} type`, type: 'string', multiple: true, sort: 301 + i * 2 },
        ]),
        ...USERS.map((code, i): PropertyInput => ({ code, name: code, type: 'user', sort: 400 + i })),
      ];
      ids.set(e, (await ensureIblock(run, { typeId, code: s.code, name: s.name, description: 'Imported from Bitrix24 CRM' }, props)).iblock.id);
    }
    for (const e of ORDER) {
      const links = CRM[e].links.map(([code, target], i): PropertyInput => ({ code, name: code, type: 'element', linkIblockId: ids.get(target)!, sort: 500 + i }));
      await ensureIblock(run, { typeId, code: CRM[e].code, name: CRM[e].name }, links);
    }
    return ids;
  });
}

interface CrmRecord {
  name: string;
  comments: string;
  props: Record<string, string | number | null | string[]>;
  links: Record<string, string | null>;
  users: Record<string, string | null>;
  /** Custom fields (UF_CRM_...) with a value, as text. */
  custom: Record<string, string>;
}

function prepare(entity: CrmEntity, row: RawRow, zone: string): { id: string; data: CrmRecord; refs: Ref[] } {
  const s = CRM[entity];
  const id = idOf(row, entity);
  const props: CrmRecord['props'] = {};
  for (const [code, type] of s.scalars) {
    if (type === 'datetime') props[code] = dateField(row, code, zone);
    else if (type === 'date') {
      const d = day(row[code]);
      if (d === undefined) throw cloudErrors.CLOUD_BAD_ROW(`${code}: "${String(row[code])}" is not a date`);
      props[code] = d;
    } else if (type === 'number') {
      const t = text(row[code]);
      const n = t === null ? null : Number(t.replace(',', '.'));
      if (n !== null && !Number.isFinite(n)) throw cloudErrors.CLOUD_BAD_ROW(`${code}: "${t}" is not a number`);
      props[code] = n;
    } else props[code] = text(row[code]);
  }
  for (const m of MULTI) {
    const values = set(row[m]);
    // A UI export has one cell per multi-field, several values on separate lines.
    const items = values.flatMap((v) => (typeof v === 'object' && v ? [v as Record<string, unknown>] : String(v).split(/\r?\n/).map((x) => ({ VALUE: x.trim(), VALUE_TYPE: '' }))));
    const kept = items.filter((x) => !isEmpty(x.VALUE));
    props[m] = kept.map((x) => String(text(x.VALUE)));
    props[`${m}_TYPE`] = kept.map((x) => text(x.VALUE_TYPE) ?? '');
  }
  const links: CrmRecord['links'] = {};
  const refs: Ref[] = [];
  for (const [code, target] of s.links) {
    links[code] = ref(row[code]);
    if (links[code]) refs.push({ entity: target, id: links[code] });
  }
  const users: CrmRecord['users'] = {};
  for (const code of USERS) {
    users[code] = ref(row[code]);
    if (users[code]) refs.push({ entity: 'users', id: users[code] });
  }
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) if (/^UF_CRM_[A-Z0-9_]{1,40}$/.test(k) && (typeof v === 'string' || typeof v === 'number') && text(v) !== null) custom[k] = String(text(v));
  const name = (s.title(row) ?? `${entity.replace('crm_', '').replace(/s$/, '')} ${id}`).slice(0, 255);
  return { id, data: { name, comments: text(row.COMMENTS) ?? '', props, links, users, custom }, refs };
}

export const xmlIdOf = (entity: Entity, id: string): string => `b24:${entity}:${id}`;

function handler(entity: CrmEntity): Handler<CrmRecord> {
  return {
    entity,
    unavailable: needInfoblocks,
    prepare: (row, run) => prepare(entity, row, run.zone),
    async write(items, run) {
      const api = infoblocksOf(run)!;
      const iblockId = (await crmIblocks(run)).get(entity)!;
      const customCodes = [...new Set(items.flatMap((it) => Object.keys(it.data.custom)))];
      if (customCodes.length) await ensureIblock(run, { typeId: await ensureType(run, 'b24_crm', { en: 'CRM (Bitrix24)', ru: 'CRM (Битрикс24)' }), code: CRM[entity].code, name: CRM[entity].name }, customCodes.map((code) => ({ code, name: code, type: 'string' as const, sort: 900 })));
      const inputs: ElementInput[] = [];
      for (const it of items) {
        const properties: Record<string, unknown> = { ...it.data.props, ...it.data.custom };
        for (const [code, target] of CRM[entity].links) properties[code] = it.box(target, it.data.links[code]) ?? null;
        for (const code of USERS) properties[code] = it.box('users', it.data.users[code]) ?? null;
        const detailText = it.data.comments ? await run.bb(it.data.comments) : '';
        inputs.push({ name: it.data.name, xmlId: xmlIdOf(entity, it.id), detailText, detailTextType: 'html', properties });
      }
      const result = await api.elements.importBatch(SYSTEM, iblockId, inputs, { matchBy: 'xmlId' });
      return result.ids.map((id) => ({ boxId: String(id) }));
    },
  };
}

export const crmHandlers = ORDER.map(handler);
