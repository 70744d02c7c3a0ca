/**
 * The dump `portal export cloud` writes (docs/import.md, "The dump"):
 *
 *   manifest.json              { format: "bitrix24-cloud-dump", version: 1, source, timeZone, createdAt, entities }
 *   <entity>.jsonl             one REST record a line, exactly as the cloud returned it (quirks and all)
 *   files/<disk file id>/<name> the bytes of each Disk file
 *
 * Instead of <entity>.jsonl a folder may hold <entity>.csv or <entity>.xls, the cloud's UI exports.
 */
export const DUMP_FORMAT = 'bitrix24-cloud-dump';
export const DUMP_VERSION = 1;

/** Every entity, in the order the importer takes them (a record's references mostly come before it). */
export const ENTITIES = [
  'departments',
  'users',
  'workgroups',
  'workgroup_members',
  'lists',
  'list_elements',
  'crm_companies',
  'crm_contacts',
  'crm_leads',
  'crm_deals',
  'disk_storages',
  'disk_folders',
  'disk_files',
  'posts',
  'tasks',
  'task_comments',
  'calendar_events',
] as const;
export type Entity = (typeof ENTITIES)[number];

export const isEntity = (v: string): v is Entity => (ENTITIES as readonly string[]).includes(v);

/** Names UI exports are saved under, and the entity each one is. */
export const FILE_ALIASES: Record<string, Entity> = {
  users: 'users',
  employees: 'users',
  departments: 'departments',
  workgroups: 'workgroups',
  groups: 'workgroups',
  companies: 'crm_companies',
  company: 'crm_companies',
  contacts: 'crm_contacts',
  contact: 'crm_contacts',
  deals: 'crm_deals',
  deal: 'crm_deals',
  leads: 'crm_leads',
  lead: 'crm_leads',
};

/** The entity a file's base name stands for (an entity name, or an alias at its start: "contacts_2024.csv"). */
export function entityOfFileName(base: string): Entity | null {
  const name = base.toLowerCase().replace(/\.(jsonl|csv|xls)$/, '');
  if (isEntity(name)) return name;
  const head = /^[a-z]+(?:_[a-z]+)?/.exec(name)?.[0] ?? '';
  if (isEntity(head)) return head;
  const first = /^[a-z]+/.exec(name)?.[0] ?? '';
  return FILE_ALIASES[first] ?? (FILE_ALIASES[`crm_${first}`] as Entity | undefined) ?? null;
}

export interface EntityInfo {
  file: string;
  /** Rows written. */
  count: number;
  /** False while the export of this entity has not finished. */
  complete: boolean;
}

export interface Manifest {
  format: typeof DUMP_FORMAT;
  version: number;
  /** The cloud portal's address (no token). */
  source: string;
  /** The cloud portal's time zone, for dates written without an offset. */
  timeZone: string;
  createdAt: string;
  entities: Partial<Record<Entity, EntityInfo>>;
}
