import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import type { SyncOptions } from '../../modules/ldap/sync.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { LDAP_LIMITED_DN, LDAP_LIMITED_PASSWORD, LDAP_SIZE_LIMIT, slapdFromEnv } from '../harness/slapd.js';
import { DirectoryFixture, PAGE_SIZE, SEED_USERS } from './directory-fixture.js';

const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };
/** Directory users: the seed, ivanov and "gone" (disabled there). */
const ENTRIES = SEED_USERS + 2;
/** Those a sync creates: not "gone", nor user007 (in the "ban" group). */
const CREATABLE = ENTRIES - 2;

describeEachDb('LDAP sync', (kind) => {
  let t: TestKernel;
  let dir: DirectoryFixture;
  let serverId: number;
  let engineersId: number;
  /** Users of this server, by login. */
  const portal = async () => new Map((await t.kernel.users.list({ limit: 500 })).items.filter((u) => u.externalAuthId === 'ldap').map((u) => [u.login, u]));
  const sync = (opts: Omit<SyncOptions, 'trigger'> = {}) => t.kernel.api('ldap').sync(ADMIN, serverId, { trigger: 'test', ...opts });

  before(async function () {
    this.timeout(120_000);
    assert.ok(SEED_USERS > PAGE_SIZE && SEED_USERS > LDAP_SIZE_LIMIT, 'the seed spans pages and exceeds the size limit');
    dir = await DirectoryFixture.create(slapdFromEnv().url);
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('ldap');
    const api = t.kernel.api('ldap');
    serverId = (await api.addServer(ADMIN, dir.serverInput({ departments: 'ou' }) as never)).id;
    engineersId = (await t.kernel.groups.create({ code: 'engineers', name: 'Engineers' })).id;
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: dir.groupDn('engineering'), groupId: engineersId });
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: dir.groupDn('banned'), ban: true });
  });

  after(async () => {
    await t?.close();
    await dir?.close();
  });

  it('a dry run counts what a sync would do and changes nobody', async () => {
    const run = await sync({ dryRun: true });
    assert.equal(run.status, 'ok');
    assert.equal(run.dryRun, true);
    assert.equal(run.created, CREATABLE);
    assert.equal((await portal()).size, 0);
  });

  it('a full sync reads every page and creates the users with groups, OU departments and heads', async function () {
    this.timeout(60_000);
    const run = await sync();
    assert.equal(run.status, 'ok', run.message ?? '');
    assert.equal(run.created, CREATABLE);
    assert.equal(run.errors, 0);
    const users = await portal();
    assert.equal(users.size, CREATABLE);
    assert.ok(!users.has('gone') && !users.has('user007'));
    assert.ok(users.get('user003')!.groupIds.includes(engineersId), 'nested: devs inside engineering');
    assert.ok(!users.get('user004')!.groupIds.includes(engineersId));
    const departments = await t.kernel.users.departments.list();
    const sales = departments.find((d) => d.name === 'Sales')!;
    const engineering = departments.find((d) => d.name === 'Engineering')!;
    assert.equal(users.get('user011')!.departmentId, sales.id);
    assert.equal(users.get('user012')!.departmentId, engineering.id);
    assert.equal(sales.headUserId, users.get('user001')!.id, 'the manager the Sales people name');
    assert.equal(engineering.headUserId, users.get('user002')!.id);
  });

  it('a sync with no changes reports everyone unchanged', async () => {
    const run = await sync();
    assert.deepEqual([run.created, run.updated, run.disabled, run.errors], [0, 0, 0, 0]);
    assert.equal(run.unchanged, ENTRIES);
  });

  it('a user renamed and moved in the directory stays the same portal user', async () => {
    const before = (await portal()).get('user013')!;
    await dir.rename(dir.userDn('user013'), `uid=user013,ou=Engineering,${dir.people}`);
    await dir.modify(`uid=user013,ou=Engineering,${dir.people}`, 'replace', 'sn', ['Renamed']);
    const run = await sync();
    assert.equal(run.created, 0);
    assert.equal(run.updated, 1);
    const after = (await portal()).get('user013')!;
    assert.equal(after.id, before.id);
    assert.equal(after.lastName, 'Renamed');
    assert.equal(after.departmentId, (await t.kernel.users.departments.list()).find((d) => d.name === 'Engineering')!.id);
  });

  it('disables users disabled in the directory, and never deletes anyone', async () => {
    await dir.modify(dir.userDn('user015'), 'add', 'employeeType', ['disabled']);
    const run = await sync();
    assert.equal(run.disabled, 1);
    const user = (await portal()).get('user015')!;
    assert.equal(user.active, false);
    await dir.modify(dir.userDn('user015'), 'delete', 'employeeType', ['disabled']);
    const back = await sync();
    assert.equal(back.updated, 1);
    assert.equal((await portal()).get('user015')!.active, true, 'enabled again in the directory');
  });

  it('disables a user only after missing from two successful syncs in a row', async () => {
    await dir.remove(dir.userDn('user017'));
    const first = await sync();
    assert.equal(first.disabled, 0);
    assert.equal((await portal()).get('user017')!.active, true, 'one missing run is not enough');
    const second = await sync();
    assert.equal(second.disabled, 1);
    const user = (await portal()).get('user017')!;
    assert.equal(user.active, false);
    assert.ok(await t.kernel.users.find(user.id), 'disabled, not deleted');
  });

  it('a size-limited (truncated) search aborts the run and changes nobody', async () => {
    const api = t.kernel.api('ldap');
    await dir.remove(dir.userDn('user019'));
    await dir.modify(dir.userDn('user021'), 'replace', 'title', ['Changed']);
    await api.updateServer(ADMIN, serverId, { bindDn: LDAP_LIMITED_DN, bindPassword: LDAP_LIMITED_PASSWORD });
    const before = await portal();
    try {
      for (let i = 0; i < 2; i++) await assert.rejects(sync(), { code: 'LDAP_SYNC_ABORTED' });
      const after = await portal();
      assert.equal(after.size, before.size);
      for (const [login, u] of before) assert.deepEqual(after.get(login), u, `${login} unchanged`);
      const runs = (await api.runs(ADMIN, { serverId, limit: 1 })).items;
      assert.equal(runs[0]!.status, 'failed');
      assert.match(runs[0]!.message ?? '', /size limit|nobody/i);
    } finally {
      await api.updateServer(ADMIN, serverId, { bindDn: dir.serverInput().bindDn as string, bindPassword: 'portal-secret' });
    }
    const ok = await sync();
    assert.equal(ok.updated, 1, 'the title change lands once the search works');
    assert.equal((await portal()).get('user019')!.active, true, 'the failed runs did not count as missing');
  });

  it('an empty answer is not taken as everyone leaving', async () => {
    const api = t.kernel.api('ldap');
    await api.updateServer(ADMIN, serverId, { userFilter: '(objectClass=nothingLikeThis)' });
    try {
      await assert.rejects(sync(), { code: 'LDAP_SYNC_ABORTED' });
      await assert.rejects(sync(), { code: 'LDAP_SYNC_ABORTED' });
    } finally {
      await api.updateServer(ADMIN, serverId, { userFilter: '(objectClass=inetOrgPerson)' });
    }
    assert.ok([...(await portal()).values()].filter((u) => u.active).length > SEED_USERS - 5);
  });

  it('keeps the bind password sealed: never shown back, not stored in the clear', async () => {
    const api = t.kernel.api('ldap');
    const listed = await api.listServers(ADMIN);
    assert.ok(!JSON.stringify(listed).includes('portal-secret'));
    assert.equal(listed[0]!.hasBindPassword, true);
    const row = (await t.kernel.db('ldap').write('servers').where({ id: serverId }).first()) as Record<string, unknown>;
    assert.ok(!JSON.stringify(row).includes('portal-secret'));
    assert.match(String(row.bind_password_enc), /^v1:/);
    assert.equal((await api.testServer(ADMIN, serverId)).ok, true, 'the sealed password still binds');
  });

  it('refuses the API to users without the right', async () => {
    const user = (await portal()).get('user001')!;
    const principal = await t.kernel.users.principalOf(user);
    await assert.rejects(t.kernel.api('ldap').listServers(principal), { code: 'ACCESS_DENIED' });
    await assert.rejects(t.kernel.api('ldap').sync(principal, serverId), { code: 'ACCESS_DENIED' });
  });

  it('while a sync runs, a second sync of the server and removing the server are refused', async () => {
    const api = t.kernel.api('ldap');
    let tried = false;
    const run = await sync({
      onProgress: async (p) => {
        if (p.phase !== 'users' || tried) return;
        tried = true;
        await assert.rejects(api.sync(ADMIN, serverId, { trigger: 'test' }), { code: 'LDAP_SYNC_RUNNING' });
        await assert.rejects(api.removeServer(ADMIN, serverId), { code: 'LDAP_SYNC_RUNNING' });
      },
    });
    assert.ok(tried);
    assert.equal(run.status, 'ok');
    assert.equal((await api.getServer(ADMIN, serverId)).id, serverId, 'still there');
  });

  it('the scheduled agent syncs a server once its interval has passed since the last run (a dry run does not count)', async function () {
    this.timeout(60_000);
    const api = t.kernel.api('ldap');
    const db = t.kernel.db('ldap');
    const agentRuns = async () => (await api.runs(ADMIN, { serverId, limit: 500 })).items.filter((r) => r.trigger === 'agent');
    const age = async (minutes: number) => db.write('runs').where({ server_id: serverId }).update({ started_at: Date.now() - minutes * 60_000 });
    await api.updateServer(ADMIN, serverId, { syncMinutes: 60 });
    try {
      await age(30);
      await t.kernel.agents.runNow('ldap', 'sync');
      assert.equal((await agentRuns()).length, 0, 'not due: the last run is 30 minutes old');
      await age(90);
      await sync({ dryRun: true });
      await t.kernel.agents.runNow('ldap', 'sync');
      const [run, ...more] = await agentRuns();
      assert.ok(run && more.length === 0, 'due: one run, though a dry run has just happened');
      assert.equal(run.status, 'ok', run.message ?? '');
      assert.ok(run.unchanged > SEED_USERS / 2, 'it read and compared the directory');
      await t.kernel.agents.runNow('ldap', 'sync');
      assert.equal((await agentRuns()).length, 1, 'the run just made counts');
      await age(90);
      await api.updateServer(ADMIN, serverId, { syncMinutes: 0 });
      await t.kernel.agents.runNow('ldap', 'sync');
      assert.equal((await agentRuns()).length, 1, 'by hand only: the agent leaves it alone');
    } finally {
      await api.updateServer(ADMIN, serverId, { syncMinutes: 60 });
    }
  });

  it('keeps a sync log with the counters of every run', async () => {
    const { items, total } = await t.kernel.api('ldap').runs(ADMIN, { serverId });
    assert.ok(total >= 10);
    assert.ok(items.some((r) => r.status === 'failed') && items.some((r) => r.status === 'ok' && r.created > 0));
  });
});
