import { randomBytes } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import { LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD, LDAP_SUFFIX } from '../harness/slapd.js';

export interface SeedUser {
  uid: string;
  dn: string;
  password: string;
}

/** Size of the seed: more users than one page (100) and than the test database's size limit (150). */
export const SEED_USERS = 220;
export const PAGE_SIZE = 100;

/**
 * A suite's own part of the shared test directory: `ou=<random>` under the suite's base,
 * filled through the running server (ldapadd, not slapadd, so memberOf and entryUUID are
 * the server's own), as the directory administrator.
 */
export class DirectoryFixture {
  readonly base: string;
  readonly people: string;
  readonly groups: string;
  readonly users: SeedUser[] = [];

  private constructor(
    readonly url: string,
    private readonly admin: Client,
    tag: string,
  ) {
    this.base = `ou=${tag},${LDAP_SUFFIX}`;
    this.people = `ou=people,${this.base}`;
    this.groups = `ou=groups,${this.base}`;
  }

  static async create(url: string, opts: { users?: number } = {}): Promise<DirectoryFixture> {
    // autoRebind: the outage tests restart slapd under the fixture's feet.
    const admin = new Client({ url, timeout: 10_000, autoRebind: true });
    await admin.bind(LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD);
    const f = new DirectoryFixture(url, admin, `t${randomBytes(4).toString('hex')}`);
    await f.seed(opts.users ?? SEED_USERS);
    return f;
  }

  userDn(uid: string, ou = 'Sales'): string {
    return `uid=${uid},ou=${ou},${this.people}`;
  }

  groupDn(cn: string): string {
    return `cn=${cn},${this.groups}`;
  }

  private async seed(count: number): Promise<void> {
    const a = this.admin;
    await a.add(this.base, { objectClass: 'organizationalUnit', ou: this.base.split(',')[0]!.slice(3) });
    await a.add(this.people, { objectClass: 'organizationalUnit', ou: 'people' });
    await a.add(this.groups, { objectClass: 'organizationalUnit', ou: 'groups' });
    for (const ou of ['Sales', 'Engineering']) await a.add(`ou=${ou},${this.people}`, { objectClass: 'organizationalUnit', ou });
    const adds: Promise<unknown>[] = [];
    for (let i = 1; i <= count; i++) {
      const uid = `user${String(i).padStart(3, '0')}`;
      const ou = i % 2 === 0 ? 'Engineering' : 'Sales';
      const manager = i <= 2 ? undefined : this.userDn(ou === 'Sales' ? 'user001' : 'user002', ou);
      adds.push(this.addUser(uid, { ou, givenName: `Given${i}`, sn: `Family${i}`, title: i % 3 === 0 ? 'Engineer' : 'Clerk', manager }));
      if (adds.length >= 20) await Promise.all(adds.splice(0));
    }
    await Promise.all(adds);
    await this.addUser('ivanov', { givenName: 'Иван', sn: 'Иванов', title: 'Бухгалтер', ou: 'Sales' });
    await this.addUser('gone', { disabled: true });
    // Nested groups: devs ⊂ engineering; a cycle: cycle-a ⊃ cycle-b ⊃ cycle-a.
    await this.addGroup('staff', [this.userDn('user001'), this.userDn('user002', 'Engineering'), this.userDn('ivanov')]);
    await this.addGroup('devs', [this.userDn('user003')]);
    await this.addGroup('engineering', [this.groupDn('devs')]);
    await this.addGroup('cycle-a', [this.userDn('user005')]);
    await this.addGroup('cycle-b', [this.groupDn('cycle-a')]);
    await this.admin.modify(this.groupDn('cycle-a'), new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [this.groupDn('cycle-b')] }) }));
    await this.addGroup('banned', [this.userDn('user007')]);
  }

  async addUser(uid: string, o: { ou?: string; givenName?: string; sn?: string; title?: string; manager?: string; disabled?: boolean; mail?: string } = {}): Promise<SeedUser> {
    const dn = this.userDn(uid, o.ou ?? 'Sales');
    const password = `pw-${uid}-secret`;
    await this.admin.add(dn, {
      objectClass: ['inetOrgPerson'],
      uid,
      cn: `${o.givenName ?? uid} ${o.sn ?? 'Test'}`,
      sn: o.sn ?? 'Test',
      givenName: o.givenName ?? uid,
      mail: o.mail ?? `${uid}@example.com`,
      title: o.title ?? 'Clerk',
      departmentNumber: o.ou ?? 'Sales',
      userPassword: password,
      ...(o.manager ? { manager: o.manager } : {}),
      ...(o.disabled ? { employeeType: 'disabled' } : {}),
    });
    const user = { uid, dn, password };
    this.users.push(user);
    return user;
  }

  async addGroup(cn: string, members: string[]): Promise<void> {
    await this.admin.add(this.groupDn(cn), { objectClass: 'groupOfNames', cn, member: members });
  }

  async modify(dn: string, operation: 'add' | 'replace' | 'delete', type: string, values: string[]): Promise<void> {
    await this.admin.modify(dn, new Change({ operation, modification: new Attribute({ type, values }) }));
  }

  async rename(dn: string, newDn: string): Promise<void> {
    await this.admin.modifyDN(dn, newDn);
  }

  async remove(dn: string): Promise<void> {
    await this.admin.del(dn);
  }

  /** The suite's server settings for the OpenLDAP preset. */
  serverInput(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      code: 'corp',
      name: 'Test directory',
      url: this.url,
      preset: 'openldap',
      bindDn: `cn=portal,ou=services,${LDAP_SUFFIX}`,
      bindPassword: 'portal-secret',
      baseDn: this.people,
      groupBaseDn: this.groups,
      pageSize: PAGE_SIZE,
      attributes: { disabled: 'employeeType', disabledMode: 'equals', disabledValue: 'disabled' },
      ...extra,
    };
  }

  async close(): Promise<void> {
    await this.admin.unbind().catch(() => undefined);
  }
}
