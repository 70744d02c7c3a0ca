import { FilterParser, type Filter } from 'ldapts';
import { configInvalid } from './errors.js';

/** Longest login or value the module puts into a filter; longer input is refused before any query. */
export const MAX_FILTER_VALUE = 256;

/**
 * RFC 4515 escaping of a value for an LDAP filter: `*`, `(`, `)`, `\` and NUL become
 * `\2a`, `\28`, `\29`, `\5c`, `\00`. Other characters stay as they are (UTF-8 on the wire).
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Bytes (a binary GUID) as a filter value, every byte escaped. */
export function escapeFilterBytes(bytes: Buffer): string {
  return [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

/** An attribute name as configured by an administrator: letters, digits, hyphens, an OID, options after ";". */
export const ATTRIBUTE_PATTERN = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;

/** Parses an administrator's filter; a broken one is LDAP_FILTER_INVALID naming the field. */
export function parseFilter(text: string, field: string): Filter {
  const f = text.trim();
  if (!f.startsWith('(') || !f.endsWith(')')) throw configInvalid(`${field} must be an LDAP filter in parentheses`, field, 'filterParens');
  try {
    return FilterParser.parseString(f);
  } catch (err) {
    const reason = (err as Error).message.split('.')[0]!;
    throw configInvalid(`${field} is not a valid LDAP filter: ${reason}`, field, 'filterSyntax', { reason });
  }
}

/** `(&<base>(|(attr1=value)(attr2=value)))` with the value escaped. */
export function matchAny(base: string, attributes: string[], value: string): string {
  const v = escapeFilterValue(value);
  const alternatives = attributes.map((a) => `(${a}=${v})`).join('');
  return `(&${base.trim()}${attributes.length > 1 ? `(|${alternatives})` : alternatives})`;
}
