import { configInvalid } from './errors.js';
import { ATTRIBUTE_PATTERN, parseFilter } from './filter.js';
import { isPreset, PRESETS, type AttributeMap } from './presets.js';
import type { LdapServer, LdapServerInput } from './server-types.js';

const CODE_PATTERN = /^[a-z0-9_-]{1,50}$/;
const ATTRIBUTE_KEYS = ['uuid', 'email', 'name', 'lastName', 'position', 'phone', 'department', 'manager', 'disabled'] as const;
const DISABLED_MODES = ['none', 'uac', 'equals', 'present'] as const;

const invalid = configInvalid;

function text(value: unknown, field: string, max: number, required: boolean): string {
  if (typeof value !== 'string') throw invalid(`${field} must be text`, field, 'notText');
  const v = value.trim();
  if (required && !v) throw invalid(`${field} is required`, field, 'required');
  if (v.length > max) throw invalid(`${field} must be at most ${max} characters`, field, 'tooLong', { max });
  if (/[\0-\x08\x0b\x0c\x0e-\x1f]/.test(v)) throw invalid(`${field} must not contain control characters`, field, 'controlChars');
  return v;
}

function int(value: unknown, field: string, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) throw invalid(`${field} must be a whole number from ${min} to ${max}`, field, 'range', { min, max });
  return n;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${field} must be true or false`, field, 'notBoolean');
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalid(`${field} must be one of ${allowed.join(', ')}`, field, 'oneOf', { allowed: allowed.join(', ') });
  return value as T;
}

function attribute(value: unknown, field: string, required: boolean): string {
  const v = text(value ?? '', field, 100, required);
  if (v && !ATTRIBUTE_PATTERN.test(v)) throw invalid(`${field} must be an attribute name (letters, digits, hyphens) or an OID`, field, 'attributeName');
  return v;
}

/** A DN as an administrator typed it: `name=value` parts separated by commas. */
function dn(value: unknown, field: string, required: boolean): string {
  const v = text(value ?? '', field, 1000, required);
  if (v && !/^[A-Za-z][A-Za-z0-9-]*=[^,]+(?:,\s*[A-Za-z][A-Za-z0-9-]*=[^,]+)*$/.test(v.replace(/\\,/g, ''))) throw invalid(`${field} must be a DN such as dc=example,dc=com`, field, 'dn');
  return v;
}

function url(value: unknown): string {
  const v = text(value ?? '', 'url', 500, true);
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw invalid('url must be ldap://host:port or ldaps://host:port', 'url', 'url');
  }
  if ((parsed.protocol !== 'ldap:' && parsed.protocol !== 'ldaps:') || !parsed.hostname || (parsed.pathname && parsed.pathname !== '/') || parsed.search || parsed.username) {
    throw invalid('url must be ldap://host:port or ldaps://host:port', 'url', 'url');
  }
  return `${parsed.protocol}//${parsed.host}`;
}

function caCert(value: unknown): string {
  const v = text(value ?? '', 'caCert', 100_000, false);
  if (v && !/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(v)) throw invalid('caCert must be PEM: -----BEGIN CERTIFICATE----- …', 'caCert', 'pem');
  return v;
}

function attributeMap(input: Partial<AttributeMap> | undefined, base: AttributeMap): AttributeMap {
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) throw invalid('attributes must be an object', 'attributes', 'object');
  const out: AttributeMap = { ...base, login: [...base.login] };
  const given = (input ?? {}) as Record<string, unknown>;
  for (const key of ATTRIBUTE_KEYS) if (Object.hasOwn(given, key)) out[key] = attribute(given[key], `attributes.${key}`, key === 'uuid');
  if (Object.hasOwn(given, 'login')) {
    const raw = given.login;
    const list = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).map((a) => String(a).trim()).filter(Boolean);
    if (list.length === 0 || list.length > 5) throw invalid('attributes.login must name 1 to 5 attributes', 'attributes.login', 'loginCount');
    out.login = list.map((a, i) => attribute(a, `attributes.login[${i}]`, true));
  }
  if (Object.hasOwn(given, 'disabledMode')) out.disabledMode = oneOf(given.disabledMode, 'attributes.disabledMode', DISABLED_MODES);
  if (Object.hasOwn(given, 'disabledValue')) out.disabledValue = text(given.disabledValue, 'attributes.disabledValue', 255, false);
  if (out.disabledMode !== 'none' && !out.disabled) throw invalid('attributes.disabled must name an attribute when disabledMode is set', 'attributes.disabled', 'disabledNeedsAttribute');
  if (out.disabledMode === 'equals' && !out.disabledValue) throw invalid('attributes.disabledValue is required when disabledMode is "equals"', 'attributes.disabledValue', 'disabledNeedsValue');
  return out;
}

type Row = Omit<LdapServer, 'id' | 'hasBindPassword' | 'createdAt' | 'updatedAt'>;

/**
 * The whole server record from an input over the current one (or the preset's defaults for a
 * new server). Throws LDAP_CONFIG_INVALID naming the field; nothing is written before this passes.
 */
export function normalizeServer(input: LdapServerInput, current?: LdapServer): Row {
  if (!input || typeof input !== 'object') throw invalid('The server settings must be an object', 'server', 'object');
  const has = (k: keyof LdapServerInput) => Object.hasOwn(input, k) && input[k] !== undefined;
  const preset = has('preset') ? input.preset : (current?.preset ?? 'openldap');
  if (!isPreset(preset)) throw invalid('preset must be "ad" or "openldap"', 'preset', 'oneOf', { allowed: 'ad, openldap' });
  const p = PRESETS[preset];
  const presetChanged = current !== undefined && preset !== current.preset;
  const pick = <K extends keyof LdapServerInput & keyof Row>(k: K, fallback: Row[K]): unknown => (has(k) ? input[k] : current && !presetChanged ? current[k] : fallback);
  const code = text(has('code') ? input.code : (current?.code ?? ''), 'code', 50, true).toLowerCase();
  if (!CODE_PATTERN.test(code)) throw invalid('code must be 1-50 characters: a-z, 0-9, _ and -', 'code', 'codePattern');
  const baseDn = dn(pick('baseDn', ''), 'baseDn', true);
  const startTls = bool(pick('startTls', false), 'startTls');
  const serverUrl = url(pick('url', ''));
  if (startTls && serverUrl.startsWith('ldaps:')) throw invalid('StartTLS is for ldap:// URLs; ldaps:// is TLS already', 'startTls', 'startTlsOnLdaps');
  const row: Row = {
    code,
    name: text(has('name') ? input.name : (current?.name ?? code), 'name', 255, true),
    active: bool(has('active') ? input.active : (current?.active ?? true), 'active'),
    sort: int(has('sort') ? input.sort : (current?.sort ?? 100), 'sort', 0, 100_000),
    url: serverUrl,
    startTls,
    caCert: caCert(has('caCert') ? input.caCert : (current?.caCert ?? '')),
    bindDn: dn(has('bindDn') ? input.bindDn : (current?.bindDn ?? ''), 'bindDn', false),
    baseDn,
    userFilter: text(pick('userFilter', p.userFilter), 'userFilter', 2000, true),
    groupBaseDn: dn(has('groupBaseDn') ? input.groupBaseDn : (current?.groupBaseDn ?? ''), 'groupBaseDn', false) || baseDn,
    groupFilter: text(pick('groupFilter', p.groupFilter), 'groupFilter', 2000, true),
    memberAttribute: attribute(pick('memberAttribute', p.memberAttribute), 'memberAttribute', true),
    preset,
    attributes: attributeMap(input.attributes, current && !presetChanged ? current.attributes : p.attributes),
    nested: oneOf(pick('nested', p.nested), 'nested', ['none', 'expand', 'in-chain'] as const),
    nestedDepth: int(has('nestedDepth') ? input.nestedDepth : (current?.nestedDepth ?? 10), 'nestedDepth', 1, 50),
    pageSize: int(has('pageSize') ? input.pageSize : (current?.pageSize ?? 500), 'pageSize', 10, 5000),
    timeoutMs: int(has('timeoutMs') ? input.timeoutMs : (current?.timeoutMs ?? 10_000), 'timeoutMs', 500, 600_000),
    createOnLogin: bool(has('createOnLogin') ? input.createOnLogin : (current?.createOnLogin ?? true), 'createOnLogin'),
    outagePolicy: oneOf(has('outagePolicy') ? input.outagePolicy : (current?.outagePolicy ?? 'deny'), 'outagePolicy', ['deny', 'recent'] as const),
    outageDays: int(has('outageDays') ? input.outageDays : (current?.outageDays ?? 3), 'outageDays', 1, 365),
    departments: oneOf(has('departments') ? input.departments : (current?.departments ?? 'none'), 'departments', ['none', 'attribute', 'ou'] as const),
    syncMinutes: int(has('syncMinutes') ? input.syncMinutes : (current?.syncMinutes ?? 60), 'syncMinutes', 0, 10_080),
  };
  parseFilter(row.userFilter, 'userFilter');
  parseFilter(row.groupFilter, 'groupFilter');
  if (row.nested === 'in-chain' && row.preset !== 'ad') throw invalid('The in-chain matching rule exists on Active Directory only', 'nested', 'inChainAdOnly');
  if (row.departments === 'attribute' && !row.attributes.department) throw invalid('attributes.department must name an attribute when departments come from an attribute', 'attributes.department', 'departmentNeedsAttribute');
  return row;
}

/** The bind password of an input: undefined keeps the stored one. */
export function bindPasswordOf(input: LdapServerInput): string | undefined {
  if (!Object.hasOwn(input, 'bindPassword') || input.bindPassword === undefined) return undefined;
  if (typeof input.bindPassword !== 'string' || input.bindPassword.length > 1000) throw invalid('bindPassword must be text of at most 1000 characters', 'bindPassword', 'tooLong', { max: 1000 });
  return input.bindPassword;
}
