import type { Entry } from 'ldapts';
import { identityOf } from './identity.js';
import { UAC_ACCOUNTDISABLE } from './presets.js';
import type { LdapServer } from './server-types.js';

/** A directory user as the portal needs it (JSON-safe: staged between the read and the write of a sync). */
export interface Person {
  uuid: string;
  dn: string;
  login: string;
  email: string;
  name: string;
  lastName: string;
  position: string;
  phone: string;
  /** From the department attribute, or the OU path below the base DN (top first). */
  departmentPath: string[];
  managerDn: string;
  disabled: boolean;
}

/** DNs compared the way directories do: case-insensitive, no spaces around separators. */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((part) => part.trim().replace(/\s*=\s*/, '='))
    .join(',')
    .toLowerCase();
}

/** Attributes to ask for when reading users. */
export function personAttributes(server: LdapServer): string[] {
  const a = server.attributes;
  const names = [a.uuid, ...a.login, a.email, a.name, a.lastName, a.position, a.phone, a.manager, a.department, a.disabledMode === 'none' ? '' : a.disabled];
  return [...new Set(names.filter(Boolean))];
}

/** Binary attributes among them (AD's objectGUID). */
export function binaryAttributes(server: LdapServer): string[] {
  return server.attributes.uuid.toLowerCase() === 'objectguid' ? [server.attributes.uuid] : [];
}

/** The values of an attribute, whatever case the server spelled its name in. */
export function values(entry: Entry, name: string): (string | Buffer)[] {
  if (!name) return [];
  const want = name.toLowerCase();
  for (const key of Object.keys(entry)) {
    if (key.toLowerCase() !== want) continue;
    const v = entry[key];
    return Array.isArray(v) ? v : v === undefined ? [] : [v as string | Buffer];
  }
  return [];
}

function first(entry: Entry, name: string): string {
  const v = values(entry, name)[0];
  return v === undefined ? '' : (Buffer.isBuffer(v) ? v.toString('utf8') : v).trim();
}

/** The OU names between the entry and the base DN, top first. */
export function ouPath(dn: string, baseDn: string): string[] {
  const parts = dn.split(/(?<!\\),/).map((p) => p.trim());
  const baseLen = baseDn.split(/(?<!\\),/).length;
  return parts
    .slice(1, Math.max(1, parts.length - baseLen))
    .filter((p) => /^ou=/i.test(p))
    .map((p) => p.slice(3).trim().replace(/\\(.)/g, '$1'))
    .filter(Boolean)
    .reverse();
}

function isDisabled(entry: Entry, server: LdapServer): boolean {
  const a = server.attributes;
  if (a.disabledMode === 'none') return false;
  const vals = values(entry, a.disabled).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v).trim());
  if (a.disabledMode === 'present') return vals.length > 0;
  if (a.disabledMode === 'equals') return vals.some((v) => v.toLowerCase() === a.disabledValue.toLowerCase());
  // userAccountControl: test the bit, never compare the whole number.
  return vals.some((v) => /^-?\d+$/.test(v) && (Number(v) & UAC_ACCOUNTDISABLE) !== 0);
}

/** Maps an entry; null when it has no usable identity or login (counted as an error by the sync). */
export function toPerson(entry: Entry, server: LdapServer): Person | null {
  const a = server.attributes;
  const uuid = identityOf(values(entry, a.uuid)[0]);
  let login = '';
  for (const attr of a.login) {
    login = first(entry, attr);
    if (login) break;
  }
  if (!uuid || !login) return null;
  const department = first(entry, a.department);
  return {
    uuid,
    dn: entry.dn,
    login,
    email: first(entry, a.email),
    name: first(entry, a.name),
    lastName: first(entry, a.lastName),
    position: first(entry, a.position),
    phone: first(entry, a.phone),
    departmentPath: server.departments === 'ou' ? ouPath(entry.dn, server.baseDn) : server.departments === 'attribute' && department ? [department] : [],
    managerDn: first(entry, a.manager),
    disabled: isDisabled(entry, server),
  };
}
