import { checked, str } from '../../../core/http/admin-forms.js';
import type { AttributeMap } from '../presets.js';
import type { LdapServer, LdapServerInput } from '../server-types.js';

/** The server form as typed (strings and checkboxes), so a refused form shows what was sent. */
export interface ServerForm {
  code: string; name: string; active: boolean; sort: string; url: string; startTls: boolean; caCert: string;
  bindDn: string; bindPassword: string; clearPassword: boolean; baseDn: string; userFilter: string; groupBaseDn: string;
  groupFilter: string; memberAttribute: string; preset: string; nested: string; nestedDepth: string; pageSize: string;
  timeoutMs: string; createOnLogin: boolean; outagePolicy: string; outageDays: string; departments: string; syncMinutes: string;
  attributes: Record<keyof AttributeMap, string>;
}

export const ATTRIBUTE_FIELDS: [keyof AttributeMap, string][] = [
  ['uuid', 'LDAP_ATTR_UUID'], ['login', 'LDAP_ATTR_LOGIN'], ['email', 'LDAP_ATTR_EMAIL'], ['name', 'LDAP_ATTR_NAME'], ['lastName', 'LDAP_ATTR_LAST_NAME'],
  ['position', 'LDAP_ATTR_POSITION'], ['phone', 'LDAP_ATTR_PHONE'], ['department', 'LDAP_ATTR_DEPARTMENT'], ['manager', 'LDAP_ATTR_MANAGER'],
  ['disabled', 'LDAP_ATTR_DISABLED'], ['disabledValue', 'LDAP_ATTR_DISABLED_VALUE'],
];

export function blankForm(): ServerForm {
  return {
    code: '', name: '', active: true, sort: '100', url: 'ldaps://', startTls: false, caCert: '', bindDn: '', bindPassword: '', clearPassword: false,
    baseDn: '', userFilter: '', groupBaseDn: '', groupFilter: '', memberAttribute: '', preset: 'openldap', nested: '', nestedDepth: '10', pageSize: '500',
    timeoutMs: '10000', createOnLogin: true, outagePolicy: 'deny', outageDays: '3', departments: 'none', syncMinutes: '60',
    attributes: { uuid: '', login: '', email: '', name: '', lastName: '', position: '', phone: '', department: '', manager: '', disabled: '', disabledMode: '', disabledValue: '' },
  };
}

export function formOf(s: LdapServer): ServerForm {
  const a = s.attributes;
  return {
    code: s.code, name: s.name, active: s.active, sort: String(s.sort), url: s.url, startTls: s.startTls, caCert: s.caCert, bindDn: s.bindDn,
    bindPassword: '', clearPassword: false, baseDn: s.baseDn, userFilter: s.userFilter, groupBaseDn: s.groupBaseDn, groupFilter: s.groupFilter,
    memberAttribute: s.memberAttribute, preset: s.preset, nested: s.nested, nestedDepth: String(s.nestedDepth), pageSize: String(s.pageSize),
    timeoutMs: String(s.timeoutMs), createOnLogin: s.createOnLogin, outagePolicy: s.outagePolicy, outageDays: String(s.outageDays),
    departments: s.departments, syncMinutes: String(s.syncMinutes),
    attributes: { ...a, login: a.login.join(', ') } as Record<keyof AttributeMap, string>,
  };
}

export function readForm(body: unknown): ServerForm {
  const f = blankForm();
  for (const k of ['code', 'name', 'sort', 'url', 'caCert', 'bindDn', 'bindPassword', 'baseDn', 'userFilter', 'groupBaseDn', 'groupFilter', 'memberAttribute', 'preset', 'nested', 'nestedDepth', 'pageSize', 'timeoutMs', 'outagePolicy', 'outageDays', 'departments', 'syncMinutes'] as const) {
    (f as unknown as Record<string, unknown>)[k] = k === 'bindPassword' || k === 'caCert' ? str(body, k) : str(body, k).trim();
  }
  f.active = checked(body, 'active');
  f.startTls = checked(body, 'startTls');
  f.createOnLogin = checked(body, 'createOnLogin');
  f.clearPassword = checked(body, 'clearPassword');
  for (const [k] of ATTRIBUTE_FIELDS) f.attributes[k] = str(body, `attr_${k}`).trim();
  f.attributes.disabledMode = str(body, 'attr_disabledMode').trim();
  return f;
}

/**
 * The API input of a form. A new server left blank takes the preset's filters and map;
 * an edited one sends every field. The bind password is sent only when typed (or cleared).
 */
export function inputOf(f: ServerForm, isNew: boolean): LdapServerInput {
  const num = (v: string) => (v === '' ? undefined : (Number(v) as number));
  const opt = (v: string) => (isNew && v === '' ? undefined : v);
  const input: LdapServerInput = {
    code: f.code, name: f.name || f.code, active: f.active, sort: num(f.sort), url: f.url, startTls: f.startTls, caCert: f.caCert, bindDn: f.bindDn,
    baseDn: f.baseDn, userFilter: opt(f.userFilter), groupBaseDn: f.groupBaseDn, groupFilter: opt(f.groupFilter), memberAttribute: opt(f.memberAttribute),
    preset: f.preset as LdapServerInput['preset'], nested: opt(f.nested) as LdapServerInput['nested'], nestedDepth: num(f.nestedDepth), pageSize: num(f.pageSize),
    timeoutMs: num(f.timeoutMs), createOnLogin: f.createOnLogin, outagePolicy: f.outagePolicy as LdapServerInput['outagePolicy'], outageDays: num(f.outageDays),
    departments: f.departments as LdapServerInput['departments'], syncMinutes: num(f.syncMinutes),
  };
  const attrs: Record<string, unknown> = {};
  for (const [k] of ATTRIBUTE_FIELDS) if (!isNew || f.attributes[k] !== '') attrs[k] = k === 'login' ? f.attributes.login : f.attributes[k];
  if (!isNew || f.attributes.disabledMode) attrs.disabledMode = f.attributes.disabledMode || 'none';
  if (Object.keys(attrs).length) input.attributes = attrs as LdapServerInput['attributes'];
  if (f.bindPassword) input.bindPassword = f.bindPassword;
  else if (f.clearPassword) input.bindPassword = '';
  return input;
}
