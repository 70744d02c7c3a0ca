import type { Entry } from 'ldapts';
import type { LdapSession } from './connection.js';
import { ldapErrors } from './errors.js';
import { escapeFilterValue, matchAny, MAX_FILTER_VALUE } from './filter.js';
import { binaryAttributes, normalizeDn, personAttributes, toPerson, values, type Person } from './person.js';
import type { LdapServer } from './server-types.js';

/** AD's LDAP_MATCHING_RULE_IN_CHAIN: the server walks nested groups itself. */
export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';
/** Pages of range retrieval AD hands out at most per request before it says "ask for the rest". */
const MAX_RANGE_REQUESTS = 10_000;

/**
 * The login a user typed, as the directory knows it: trimmed; on AD "CORP\ivanov" becomes
 * "ivanov". Null for what can never match (empty, too long, control characters only).
 */
export function loginForSearch(server: LdapServer, login: string): string | null {
  let v = typeof login === 'string' ? login.trim() : '';
  if (server.preset === 'ad' && /^[A-Za-z0-9._-]{1,15}\\[^\\]+$/.test(v)) v = v.slice(v.indexOf('\\') + 1);
  if (!v || v.length > MAX_FILTER_VALUE) return null;
  return v;
}

/** The one user entry matching the login; null for none, and for more than one (ambiguous never signs in). */
export async function findPerson(session: LdapSession, server: LdapServer, login: string): Promise<{ person: Person; entry: Entry } | null> {
  const value = loginForSearch(server, login);
  if (value === null) return null;
  const filter = matchAny(server.userFilter, server.attributes.login, value);
  const found: Entry[] = [];
  for await (const page of session.search(server.baseDn, { scope: 'sub', filter, attributes: personAttributes(server), binary: binaryAttributes(server), sizeLimit: 2 })) found.push(...page);
  if (found.length !== 1) return null;
  const person = toPerson(found[0]!, server);
  return person ? { person, entry: found[0]! } : null;
}

/** Every user under the base DN, page by page. */
export async function* personPages(session: LdapSession, server: LdapServer): AsyncGenerator<{ people: Person[]; skipped: string[] }> {
  for await (const page of session.search(server.baseDn, { scope: 'sub', filter: server.userFilter, attributes: personAttributes(server), binary: binaryAttributes(server), pageSize: server.pageSize })) {
    const people: Person[] = [];
    const skipped: string[] = [];
    for (const entry of page) {
      const p = toPerson(entry, server);
      if (p) people.push(p);
      else skipped.push(entry.dn);
    }
    yield { people, skipped };
  }
}

/** The value a group's member attribute holds for this user: the DN, or the login for memberUid groups. */
function memberValue(server: LdapServer, dn: string, login: string): string {
  return server.memberAttribute.toLowerCase() === 'memberuid' ? login : dn;
}

async function groupDns(session: LdapSession, server: LdapServer, filter: string): Promise<string[]> {
  const out: string[] = [];
  for await (const page of session.search(server.groupBaseDn, { scope: 'sub', filter, attributes: ['1.1'], pageSize: server.pageSize })) for (const e of page) out.push(e.dn);
  return out;
}

/**
 * The groups a user is in, nested ones included: with AD's in-chain rule one search; else
 * the direct groups, then the groups those are members of, level by level up to the depth
 * limit, never visiting a group twice (cycles end there).
 */
export async function groupsOfUser(session: LdapSession, server: LdapServer, dn: string, login: string): Promise<string[]> {
  const member = server.memberAttribute;
  if (server.nested === 'in-chain') {
    return groupDns(session, server, `(&${server.groupFilter}(${member}:${IN_CHAIN_RULE}:=${escapeFilterValue(dn)}))`);
  }
  const seen = new Map<string, string>();
  let level = await groupDns(session, server, `(&${server.groupFilter}(${member}=${escapeFilterValue(memberValue(server, dn, login))}))`);
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    for (const g of level) if (!seen.has(normalizeDn(g))) (seen.set(normalizeDn(g), g), next.push(g));
    if (server.nested === 'none' || depth + 1 >= server.nestedDepth || next.length === 0 || member.toLowerCase() === 'memberuid') break;
    level = [];
    for (const g of next) level.push(...(await groupDns(session, server, `(&${server.groupFilter}(${member}=${escapeFilterValue(g)}))`)));
  }
  return [...seen.values()];
}

/**
 * The members of a group entry, following AD's range retrieval: a large member list comes
 * back as `member;range=0-1499`, and the rest is asked for range by range until one ends in "-*".
 */
export async function membersOf(session: LdapSession, server: LdapServer, entry: Entry): Promise<string[]> {
  const attr = server.memberAttribute.toLowerCase();
  const plain = values(entry, server.memberAttribute).map(String);
  const ranged = Object.keys(entry).find((k) => k.toLowerCase().startsWith(`${attr};range=`));
  if (!ranged) return plain;
  const out = [...plain, ...values(entry, ranged).map(String)];
  let range = /;range=(\d+)-(\d+|\*)$/i.exec(ranged);
  for (let i = 0; range && range[2] !== '*'; i++) {
    if (i >= MAX_RANGE_REQUESTS) throw ldapErrors.LDAP_SYNC_ABORTED(`Range retrieval of ${entry.dn} did not end`, { reason: 'rangeEndless', dn: entry.dn });
    const from = Number(range[2]) + 1;
    const want = `${server.memberAttribute};range=${from}-*`;
    let next: Entry | undefined;
    for await (const page of session.search(entry.dn, { scope: 'base', filter: '(objectClass=*)', attributes: [want] })) next = page[0];
    const key = next && Object.keys(next).find((k) => k.toLowerCase().startsWith(`${attr};range=`));
    if (!next || !key) throw ldapErrors.LDAP_SYNC_ABORTED(`Range retrieval of ${entry.dn} stopped at ${from}`, { reason: 'rangeStopped', dn: entry.dn });
    const got = /;range=(\d+)-(\d+|\*)$/i.exec(key);
    if (!got || Number(got[1]) !== from) throw ldapErrors.LDAP_SYNC_ABORTED(`Range retrieval of ${entry.dn} answered another range`, { reason: 'rangeOther', dn: entry.dn });
    out.push(...values(next, key).map(String));
    range = got;
  }
  return out;
}

/** Every group with its members, page by page. */
export async function* groupPages(session: LdapSession, server: LdapServer): AsyncGenerator<{ dn: string; members: string[] }[]> {
  for await (const page of session.search(server.groupBaseDn, { scope: 'sub', filter: server.groupFilter, attributes: [server.memberAttribute], pageSize: server.pageSize })) {
    const out: { dn: string; members: string[] }[] = [];
    for (const entry of page) out.push({ dn: entry.dn, members: await membersOf(session, server, entry) });
    yield out;
  }
}
