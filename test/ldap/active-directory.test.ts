import assert from 'node:assert/strict';
import { discoverModules } from '../../core/modules/discover.js';
import type { Principal } from '../../core/services.js';
import { createLdapApi } from '../../modules/ldap/api.js';
import { guidText, identityOf } from '../../modules/ldap/identity.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { AD_BASE, AD_MAX_PAGE, AD_MAX_VAL_RANGE, AdFixture } from './ad-fixture.js';

const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };
const IP = '127.0.0.30';
const STAFF = `OU=Staff,${AD_BASE}`;
const GROUPS = `OU=Groups,${AD_BASE}`;
/** More people than AD returns without paging and more than one range of a member list. */
const PEOPLE = 1600;
/** Ivan Petrov's objectGUID as AD's LDIF shows it (docs: shared/reference/active-directory/sample.ldif). */
const IVAN_GUID = Buffer.from('3q2+7xI0VniQq83vASNFZw==', 'base64');

const guid = (i: number) => Buffer.from(i.toString(16).padStart(32, '0'), 'hex');
const userDn = (i: number) => `CN=User ${String(i).padStart(4, '0')},OU=Sales,${STAFF}`;

/** Active Directory is not run by the tests: these run against AdFixture (test/ldap/ad-fixture.ts). */
function seed(ad: AdFixture): void {
  ad.add(`CN=Ivan Petrov,OU=Sales,${STAFF}`, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'], objectCategory: 'person', cn: 'Ivan Petrov', givenName: 'Ivan', sn: 'Petrov',
    sAMAccountName: 'ipetrov', userPrincipalName: 'ipetrov@corp.example.com', mail: 'ivan.petrov@example.com', title: 'Sales manager', department: 'Sales',
    objectGUID: IVAN_GUID, userAccountControl: '66048',
  }, 'Ivan password 1');
  ad.add(`CN=Пётр Сидоров,OU=Sales,${STAFF}`, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'], objectCategory: 'person', cn: 'Пётр Сидоров', givenName: 'Пётр', sn: 'Сидоров',
    sAMAccountName: 'psidorov', userPrincipalName: 'psidorov@corp.example.com', mail: 'petr@example.com',
    objectGUID: Buffer.from('ESIzRFVmd4iZqrvM3e7/AA==', 'base64'), userAccountControl: '514',
  }, 'Petr password 1');
  const members: string[] = [];
  for (let i = 1; i <= PEOPLE; i++) {
    ad.add(userDn(i), {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'], objectCategory: 'person', cn: `User ${i}`, givenName: 'User', sn: String(i),
      sAMAccountName: `user${i}`, mail: `user${i}@example.com`, objectGUID: guid(i), userAccountControl: i % 100 === 0 ? '66050' : '512',
    });
    members.push(userDn(i));
  }
  ad.add(`CN=All Staff,${GROUPS}`, { objectClass: ['top', 'group'], cn: 'All Staff', objectGUID: guid(900_001), member: members });
  ad.add(`CN=Sales,${GROUPS}`, { objectClass: ['top', 'group'], cn: 'Sales', objectGUID: guid(900_002), member: [`CN=Ivan Petrov,OU=Sales,${STAFF}`] });
  ad.add(`CN=Managers,${GROUPS}`, { objectClass: ['top', 'group'], cn: 'Managers', objectGUID: guid(900_003), member: [`CN=Sales,${GROUPS}`] });
}

describeEachDb('LDAP against an Active Directory fixture (AD-only behaviour, no AD server)', (kind) => {
  let t: TestKernel;
  let ad: AdFixture;
  let serverId: number;
  let allStaffId: number;
  let managersId: number;

  before(async function () {
    this.timeout(60_000);
    ad = new AdFixture();
    seed(ad);
    const definitions = (await discoverModules()).map((d) => (d.id === 'ldap' ? { ...d, setup: (ctx: Parameters<NonNullable<typeof d.setup>>[0]) => createLdapApi(ctx, ad) } : d));
    t = await bootTestKernel(kind, { definitions });
    await t.kernel.modules.install('ldap');
    const api = t.kernel.api('ldap');
    serverId = (await api.addServer(ADMIN, { code: 'corp', preset: 'ad', url: 'ldaps://dc1.corp.example.com', bindDn: `CN=portal,${AD_BASE}`, bindPassword: 'service password', baseDn: STAFF, groupBaseDn: GROUPS, pageSize: 500 })).id;
    allStaffId = (await t.kernel.groups.create({ code: 'all_staff', name: 'All staff' })).id;
    managersId = (await t.kernel.groups.create({ code: 'managers', name: 'Managers' })).id;
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: `CN=All Staff,${GROUPS}`, groupId: allStaffId });
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: `cn=managers, ou=groups, dc=corp, dc=example, dc=com`, groupId: managersId });
  });

  after(async () => {
    await t?.close();
  });

  it('fixture: objectGUID is kept as its 16 bytes; the text form swaps the first three groups', () => {
    assert.equal(identityOf(IVAN_GUID), IVAN_GUID.toString('hex'));
    assert.equal(guidText(IVAN_GUID), 'efbeadde-3412-7856-90ab-cdef01234567');
    assert.equal(identityOf('{efbeadde-3412-7856-90ab-cdef01234567}'), 'efbeadde3412785690abcdef01234567', 'a text GUID is not the bytes');
  });

  it('fixture: a sync pages past MaxPageSize, follows range retrieval past MaxValRange, and reads userAccountControl bit 2', async function () {
    this.timeout(120_000);
    const run = await t.kernel.api('ldap').sync(ADMIN, serverId, { trigger: 'test' });
    assert.equal(run.status, 'ok', run.message ?? '');
    const disabledInAd = PEOPLE / 100 + 1; // 66050 every hundredth, and Пётр (514)
    assert.equal(run.created, PEOPLE + 2 - disabledInAd);
    const members = await t.kernel.groups.members(allStaffId);
    assert.ok(PEOPLE > AD_MAX_PAGE && PEOPLE > AD_MAX_VAL_RANGE);
    assert.equal(members.length, PEOPLE - PEOPLE / 100, 'every enabled member, past the first range');
    assert.ok(ad.filters.some((f) => f.includes('objectCategory=person')));
    const ivan = (await t.kernel.users.findByLogin('ipetrov'))!;
    assert.equal(ivan.active, true, '66048 = enabled + password never expires');
    assert.ok(ivan.groupIds.includes(managersId), 'Managers contains Sales, which contains Ivan');
    assert.equal(await t.kernel.users.findByLogin('psidorov'), null, '514 is disabled');
    assert.equal(await t.kernel.users.findByLogin('user100'), null, '66050 is disabled');
    const link = (await t.kernel.db('ldap').write('links').where({ user_id: ivan.id }).first()) as { uuid: string };
    assert.equal(link.uuid, IVAN_GUID.toString('hex'));
  });

  it('fixture: a user renamed in AD (new DN, same objectGUID) stays the same portal user', async () => {
    const before = (await t.kernel.users.findByLogin('user5'))!;
    ad.rename(userDn(5), `CN=User Five,OU=Moved,${STAFF}`);
    ad.set(`CN=User Five,OU=Moved,${STAFF}`, 'sn', ['Five']);
    const run = await t.kernel.api('ldap').sync(ADMIN, serverId, { trigger: 'test' });
    assert.equal(run.created, 0);
    const after = (await t.kernel.users.findByLogin('user5'))!;
    assert.equal(after.id, before.id);
    assert.equal(after.lastName, 'Five');
  });

  it('fixture: sign-in with sAMAccountName, the UPN or CORP\\name, groups by the in-chain matching rule', async () => {
    const ivan = (await t.kernel.users.findByLogin('ipetrov'))!;
    for (const login of ['ipetrov', 'ipetrov@corp.example.com', 'CORP\\ipetrov']) {
      const user = await t.kernel.users.authenticate(login, 'Ivan password 1', IP);
      assert.equal(user.id, ivan.id, login);
      assert.ok(user.groupIds.includes(managersId));
    }
    assert.ok(ad.filters.some((f) => f.includes(`member:1.2.840.113556.1.4.1941:=CN=Ivan Petrov`)), 'asked AD to walk the chain');
    await assert.rejects(t.kernel.users.authenticate('ipetrov', 'wrong', IP), { code: 'LOGIN_FAILED' });
    await assert.rejects(t.kernel.users.authenticate('psidorov', 'Petr password 1', IP), { code: 'LOGIN_FAILED' });
  });

  it('fixture: AD accepts a DN with an empty password (unauthenticated bind); no such bind is ever sent', async () => {
    assert.equal(await ad.verify(null, `CN=Ivan Petrov,OU=Sales,${STAFF}`, ''), true, 'the fixture behaves like AD');
    const binds = ad.binds;
    for (const password of ['', '  ']) await assert.rejects(t.kernel.users.authenticate('ipetrov', password, IP), { code: 'LOGIN_FAILED' });
    assert.equal(ad.binds, binds, 'no bind was sent');
  });
});
