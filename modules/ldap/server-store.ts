import type { ModuleDb } from '../../core/db/module-db.js';
import { toBool, toDate } from '../../core/db/module-db.js';
import { configInvalid, ldapErrors } from './errors.js';
import { PRESETS, type AttributeMap, type PresetName } from './presets.js';
import { decryptSecret, encryptSecret } from './secret-box.js';
import type { GroupMap, LdapServer, LdapServerInput } from './server-types.js';
import { bindPasswordOf, normalizeServer } from './server-validation.js';

const COLUMNS: Record<string, string> = {
  code: 'code', name: 'name', active: 'active', sort: 'sort', url: 'url', startTls: 'start_tls', caCert: 'ca_cert',
  bindDn: 'bind_dn', baseDn: 'base_dn', userFilter: 'user_filter', groupBaseDn: 'group_base_dn', groupFilter: 'group_filter',
  memberAttribute: 'member_attribute', preset: 'preset', nested: 'nested', nestedDepth: 'nested_depth', pageSize: 'page_size',
  timeoutMs: 'timeout_ms', createOnLogin: 'create_on_login', outagePolicy: 'outage_policy', outageDays: 'outage_days',
  departments: 'departments', syncMinutes: 'sync_minutes',
};

/** Servers and group mappings in ldap_servers / ldap_group_maps; bind passwords sealed with AES-256-GCM. */
export class ServerStore {
  constructor(private readonly deps: { db: ModuleDb; key: () => Promise<Buffer> }) {}

  async list(): Promise<LdapServer[]> {
    const rows = (await this.deps.db.write('servers').select('*').orderBy([{ column: 'sort' }, { column: 'id' }])) as Record<string, unknown>[];
    return rows.map(toServer);
  }

  /** By id or code. */
  async get(idOrCode: number | string): Promise<LdapServer> {
    const q = this.deps.db.write('servers');
    const asId = typeof idOrCode === 'number' ? idOrCode : /^\d+$/.test(idOrCode) ? Number(idOrCode) : null;
    if (asId !== null) q.where({ id: asId });
    else q.where({ code: String(idOrCode).toLowerCase().slice(0, 50) });
    const row = (await q.first()) as Record<string, unknown> | undefined;
    if (!row) throw ldapErrors.LDAP_SERVER_NOT_FOUND(String(idOrCode).slice(0, 50), { id: String(idOrCode).slice(0, 50) });
    return toServer(row);
  }

  async create(input: LdapServerInput): Promise<LdapServer> {
    const row = normalizeServer(input);
    const password = bindPasswordOf(input);
    if (await this.deps.db.write('servers').where({ code: row.code }).first('id')) throw ldapErrors.LDAP_SERVER_CODE_TAKEN(row.code, { code: row.code });
    const now = Date.now();
    const sealed = password ? encryptSecret(await this.deps.key(), password) : null;
    const [id] = (await this.deps.db.write('servers').insert({ ...toColumns(row), bind_password_enc: sealed, created_at: now, updated_at: now })) as number[];
    return this.get(Number(id));
  }

  async update(id: number, input: LdapServerInput): Promise<LdapServer> {
    const current = await this.get(id);
    const row = normalizeServer({ code: current.code, ...input }, current);
    const password = bindPasswordOf(input);
    if (row.code !== current.code && (await this.deps.db.write('servers').where({ code: row.code }).whereNot({ id }).first('id'))) throw ldapErrors.LDAP_SERVER_CODE_TAKEN(row.code, { code: row.code });
    const patch: Record<string, unknown> = { ...toColumns(row), updated_at: Date.now() };
    if (password !== undefined) patch.bind_password_enc = password ? encryptSecret(await this.deps.key(), password) : null;
    await this.deps.db.write('servers').where({ id }).update(patch);
    return this.get(id);
  }

  /** Removes the server with its mappings and sync log; the portal users it made stay (unlinked). */
  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.deps.db.transaction(async (tx) => {
      await tx.table('group_maps').where({ server_id: id }).delete();
      await tx.table('links').where({ server_id: id }).delete();
      await tx.table('runs').where({ server_id: id }).delete();
      await tx.table('servers').where({ id }).delete();
    });
  }

  /** The bind password in the clear, for opening a connection only; '' when none is stored. */
  async bindPassword(id: number): Promise<string> {
    const row = (await this.deps.db.write('servers').where({ id }).first('bind_password_enc')) as { bind_password_enc: string | null } | undefined;
    if (!row) throw ldapErrors.LDAP_SERVER_NOT_FOUND(String(id), { id: String(id) });
    return row.bind_password_enc ? decryptSecret(await this.deps.key(), row.bind_password_enc) : '';
  }

  async groupMaps(serverId: number): Promise<GroupMap[]> {
    const rows = (await this.deps.db.write('group_maps').where({ server_id: serverId }).orderBy('id')) as Record<string, unknown>[];
    return rows.map((r) => ({ id: Number(r.id), serverId: Number(r.server_id), ldapGroup: String(r.ldap_group), groupId: r.group_id == null ? null : Number(r.group_id), ban: toBool(r.ban) }));
  }

  async addGroupMap(serverId: number, input: { ldapGroup: string; groupId?: number | null; ban?: boolean }): Promise<GroupMap> {
    await this.get(serverId);
    const ldapGroup = typeof input?.ldapGroup === 'string' ? input.ldapGroup.trim() : '';
    if (!ldapGroup || ldapGroup.length > 1000 || !ldapGroup.includes('=')) throw configInvalid('ldapGroup must be the DN of a directory group', 'ldapGroup', 'groupDn');
    const ban = input.ban === true;
    const groupId = input.groupId ?? null;
    if (groupId !== null && (!Number.isSafeInteger(groupId) || groupId <= 0)) throw configInvalid('groupId must be a group id', 'groupId', 'groupId');
    if (!ban && groupId === null) throw configInvalid('A mapping needs a portal group, or must be a ban', 'groupId', 'mappingTarget');
    const [id] = (await this.deps.db.write('group_maps').insert({ server_id: serverId, ldap_group: ldapGroup, group_id: ban ? null : groupId, ban, created_at: Date.now() })) as number[];
    return (await this.groupMaps(serverId)).find((m) => m.id === Number(id))!;
  }

  async removeGroupMap(serverId: number, mapId: number): Promise<void> {
    const n = await this.deps.db.write('group_maps').where({ server_id: serverId, id: mapId }).delete();
    if (!n) throw ldapErrors.LDAP_GROUP_MAP_NOT_FOUND(String(mapId), { id: String(mapId) });
  }
}

function toColumns(row: ReturnType<typeof normalizeServer>): Record<string, unknown> {
  const out: Record<string, unknown> = { attribute_map: JSON.stringify(row.attributes) };
  for (const [key, column] of Object.entries(COLUMNS)) out[column] = (row as unknown as Record<string, unknown>)[key];
  return out;
}

function toServer(r: Record<string, unknown>): LdapServer {
  const preset = (r.preset === 'ad' ? 'ad' : 'openldap') as PresetName;
  let attributes: AttributeMap;
  try {
    attributes = { ...PRESETS[preset].attributes, ...(JSON.parse(String(r.attribute_map)) as Partial<AttributeMap>) };
  } catch {
    attributes = PRESETS[preset].attributes;
  }
  return {
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    active: toBool(r.active),
    sort: Number(r.sort),
    url: String(r.url),
    startTls: toBool(r.start_tls),
    caCert: String(r.ca_cert ?? ''),
    bindDn: String(r.bind_dn ?? ''),
    hasBindPassword: Boolean(r.bind_password_enc),
    baseDn: String(r.base_dn),
    userFilter: String(r.user_filter),
    groupBaseDn: String(r.group_base_dn),
    groupFilter: String(r.group_filter),
    memberAttribute: String(r.member_attribute),
    preset,
    attributes,
    nested: r.nested === 'in-chain' ? 'in-chain' : r.nested === 'none' ? 'none' : 'expand',
    nestedDepth: Number(r.nested_depth),
    pageSize: Number(r.page_size),
    timeoutMs: Number(r.timeout_ms),
    createOnLogin: toBool(r.create_on_login),
    outagePolicy: r.outage_policy === 'recent' ? 'recent' : 'deny',
    outageDays: Number(r.outage_days),
    departments: r.departments === 'attribute' ? 'attribute' : r.departments === 'ou' ? 'ou' : 'none',
    syncMinutes: Number(r.sync_minutes),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}
