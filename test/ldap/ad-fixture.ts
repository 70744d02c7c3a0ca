import { AndFilter, EqualityFilter, ExtensibleFilter, FilterParser, NotFilter, OrFilter, PresenceFilter, SizeLimitExceededError, type Entry, type Filter } from 'ldapts';
import type { Connector, LdapSession, SearchRequest } from '../../modules/ldap/connection.js';
import { IN_CHAIN_RULE } from '../../modules/ldap/directory.js';
import { normalizeDn } from '../../modules/ldap/person.js';

/** AD's MaxPageSize and MaxValRange defaults. */
export const AD_MAX_PAGE = 1000;
export const AD_MAX_VAL_RANGE = 1500;
export const AD_BASE = 'DC=corp,DC=example,DC=com';

type Values = (string | Buffer)[];
interface FixtureEntry {
  dn: string;
  attrs: Map<string, Values>;
  password?: string;
}

const get = (e: FixtureEntry, name: string): Values => e.attrs.get(name.toLowerCase()) ?? [];
const text = (v: string | Buffer) => (Buffer.isBuffer(v) ? v.toString('hex') : v).toLowerCase();

/**
 * A fixture standing in for Active Directory (no AD server runs in the tests): entries
 * in AD's forms (objectGUID bytes, userAccountControl, member lists), answering as AD
 * does where the module must cope: paged searches up to MaxPageSize, an unpaged search
 * of more entries is "size limit exceeded", member lists over MaxValRange come in ranges,
 * the in-chain matching rule walks nested groups, and a DN with an empty password binds
 * (the unauthenticated bind). Every filter it was sent is recorded.
 */
export class AdFixture implements Connector {
  readonly entries = new Map<string, FixtureEntry>();
  readonly filters: string[] = [];
  binds = 0;

  add(dn: string, attrs: Record<string, string | Buffer | (string | Buffer)[]>, password?: string): void {
    const map = new Map<string, Values>();
    for (const [k, v] of Object.entries(attrs)) map.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
    map.set('distinguishedname', [dn]);
    this.entries.set(normalizeDn(dn), { dn, attrs: map, password });
  }

  rename(dn: string, newDn: string): void {
    const e = this.entries.get(normalizeDn(dn))!;
    this.entries.delete(normalizeDn(dn));
    e.dn = newDn;
    this.entries.set(normalizeDn(newDn), e);
    for (const other of this.entries.values()) {
      const members = other.attrs.get('member');
      if (members) other.attrs.set('member', members.map((m) => (normalizeDn(String(m)) === normalizeDn(dn) ? newDn : m)));
    }
  }

  set(dn: string, name: string, values: Values): void {
    this.entries.get(normalizeDn(dn))!.attrs.set(name.toLowerCase(), values);
  }

  async open(): Promise<LdapSession> {
    return { search: (base, request) => this.search(base, request), close: async () => undefined };
  }

  async verify(_server: unknown, dn: string, password: string): Promise<boolean> {
    this.binds++;
    const e = this.entries.get(normalizeDn(dn));
    if (!e) return false;
    if (password === '') return true; // AD: the unauthenticated bind succeeds without checking anything
    return e.password === password;
  }

  private groupsContaining(dn: string): FixtureEntry[] {
    return [...this.entries.values()].filter((e) => get(e, 'member').some((m) => normalizeDn(String(m)) === normalizeDn(dn)));
  }

  private inChain(dn: string): Set<string> {
    const out = new Set<string>();
    const queue = [dn];
    while (queue.length) for (const g of this.groupsContaining(queue.shift()!)) if (!out.has(normalizeDn(g.dn))) (out.add(normalizeDn(g.dn)), queue.push(g.dn));
    return out;
  }

  private matches(e: FixtureEntry, f: Filter): boolean {
    if (f instanceof AndFilter) return f.filters.every((x) => this.matches(e, x));
    if (f instanceof OrFilter) return f.filters.some((x) => this.matches(e, x));
    if (f instanceof NotFilter) return !this.matches(e, f.filter);
    if (f instanceof PresenceFilter) return get(e, f.attribute).length > 0;
    if (f instanceof EqualityFilter) {
      const want = typeof f.value === 'string' ? f.value.toLowerCase() : f.value.toString('hex');
      return get(e, f.attribute).some((v) => (f.attribute.toLowerCase() === 'member' ? normalizeDn(String(v)) === normalizeDn(String(f.value)) : text(v) === want));
    }
    if (f instanceof ExtensibleFilter && f.rule === IN_CHAIN_RULE && f.matchType.toLowerCase() === 'member') return this.inChain(f.value).has(normalizeDn(e.dn));
    throw new Error(`the AD fixture cannot evaluate ${f.toString()}`);
  }

  private shape(e: FixtureEntry, attributes: string[]): Entry {
    const out: Entry = { dn: e.dn };
    for (const want of attributes) {
      const lower = want.toLowerCase();
      const range = /^(.+);range=(\d+)-\*$/i.exec(want);
      const name = range ? range[1]!.toLowerCase() : lower;
      const vals = get(e, name);
      if (!vals.length || lower === '1.1') continue;
      const from = range ? Number(range[2]) : 0;
      if (name === 'member' && (vals.length > AD_MAX_VAL_RANGE || range)) {
        const to = Math.min(from + AD_MAX_VAL_RANGE, vals.length) - 1;
        out[`member;range=${from}-${to === vals.length - 1 ? '*' : to}`] = vals.slice(from, to + 1).map(String);
        if (!range) out.member = [];
        continue;
      }
      out[want] = vals.length === 1 ? (vals[0] as string) : (vals as string[]);
    }
    return out;
  }

  private async *search(base: string, request: SearchRequest): AsyncGenerator<Entry[]> {
    this.filters.push(request.filter);
    const filter = FilterParser.parseString(request.filter);
    const baseNorm = normalizeDn(base);
    const found = [...this.entries.values()].filter((e) => {
      const dn = normalizeDn(e.dn);
      const inScope = request.scope === 'base' ? dn === baseNorm : dn.endsWith(`,${baseNorm}`);
      return inScope && this.matches(e, filter);
    });
    const shaped = found.map((e) => this.shape(e, request.attributes));
    if (!request.pageSize) {
      if (request.sizeLimit && shaped.length > request.sizeLimit) return yield shaped.slice(0, request.sizeLimit);
      if (shaped.length > AD_MAX_PAGE) throw new SizeLimitExceededError();
      return yield shaped;
    }
    const size = Math.min(request.pageSize, AD_MAX_PAGE);
    for (let i = 0; i < shaped.length || i === 0; i += size) yield shaped.slice(i, i + size);
  }
}
