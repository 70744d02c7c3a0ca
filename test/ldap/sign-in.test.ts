import assert from 'node:assert/strict';
import { Client } from 'ldapts';
import { startServer, type RunningServer } from '../../core/http/server.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { slapdFromEnv } from '../harness/slapd.js';
import { DirectoryFixture } from './directory-fixture.js';

const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };
const IP = '127.0.0.9';

describeEachDb('LDAP sign-in', (kind) => {
  let t: TestKernel;
  let dir: DirectoryFixture;
  let server: RunningServer;
  let serverId: number;
  let staffId: number;
  let engineersId: number;
  let cycleId: number;

  before(async function () {
    this.timeout(60_000);
    dir = await DirectoryFixture.create(slapdFromEnv().url, { users: 12 });
    t = await bootTestKernel(kind, { overrides: { security: { loginMaxAttempts: 3 } } });
    await t.kernel.modules.install('ldap');
    const api = t.kernel.api('ldap');
    serverId = (await api.addServer(ADMIN, dir.serverInput() as never)).id;
    staffId = (await t.kernel.groups.create({ code: 'staff', name: 'Staff' })).id;
    engineersId = (await t.kernel.groups.create({ code: 'engineers', name: 'Engineers' })).id;
    cycleId = (await t.kernel.groups.create({ code: 'cycle', name: 'Cycle' })).id;
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: dir.groupDn('staff'), groupId: staffId });
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: dir.groupDn('engineering'), groupId: engineersId });
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: dir.groupDn('cycle-b'), groupId: cycleId });
    await api.addGroupMap(ADMIN, serverId, { ldapGroup: dir.groupDn('banned'), ban: true });
    await t.kernel.users.create({ login: 'localuser', email: 'local@example.com', password: 'local password 1' });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await server?.close();
    await t?.close();
    await dir?.close();
  });

  it('signs a directory user in through the form and creates the portal user with mapped attributes and groups', async () => {
    const client = new HttpClient(server.url);
    const res = await client.signIn('ivanov', 'pw-ivanov-secret');
    assert.equal(res.status, 302);
    const user = await t.kernel.users.findByLogin('ivanov');
    assert.ok(user);
    assert.equal(user.externalAuthId, 'ldap');
    assert.equal(user.name, 'Иван');
    assert.equal(user.lastName, 'Иванов');
    assert.equal(user.position, 'Бухгалтер');
    assert.equal(user.email, 'ivanov@example.com');
    assert.ok(user.groupIds.includes(staffId));
    assert.ok(!user.groupIds.includes(engineersId));
    const log = await t.kernel.users.securityLog.list({ userId: user.id });
    assert.ok(log.items.some((e) => e.event === 'login.success' && (e.details as { server?: string })?.server === 'corp'));
  });

  it('expands nested groups, and a cycle of groups ends without hanging', async () => {
    const devs = await t.kernel.users.authenticate('user003', 'pw-user003-secret', IP);
    assert.ok(devs.groupIds.includes(engineersId), 'devs is inside engineering');
    const cyc = await t.kernel.users.authenticate('user005', 'pw-user005-secret', IP);
    assert.ok(cyc.groupIds.includes(cycleId), 'cycle-a is inside cycle-b (and cycle-b inside cycle-a)');
  });

  it('updates the mapped attributes and groups on every sign-in', async () => {
    await dir.modify(dir.userDn('ivanov'), 'replace', 'title', ['Главный бухгалтер']);
    await dir.modify(dir.groupDn('staff'), 'delete', 'member', [dir.userDn('ivanov')]);
    const user = await t.kernel.users.authenticate('ivanov', 'pw-ivanov-secret', IP);
    assert.equal(user.position, 'Главный бухгалтер');
    assert.ok(!user.groupIds.includes(staffId));
    await dir.modify(dir.groupDn('staff'), 'add', 'member', [dir.userDn('ivanov')]);
  });

  it('refuses a wrong password, and the sign-in throttle counts directory failures too', async () => {
    const ip = '127.0.0.19';
    await t.kernel.users.authenticate('user009', 'pw-user009-secret', ip);
    for (let i = 0; i < 3; i++) await assert.rejects(t.kernel.users.authenticate('user009', 'wrong', ip), { code: 'LOGIN_FAILED' });
    // Throttled: even the right password must wait now, and the directory is not asked.
    await assert.rejects(t.kernel.users.authenticate('user009', 'pw-user009-secret', ip), { code: 'LOGIN_THROTTLED' });
    const log = await t.kernel.users.securityLog.list({ userId: (await t.kernel.users.findByLogin('user009'))!.id });
    assert.ok(log.items.some((e) => e.event === 'login.failed' && (e.details as { reason?: string })?.reason === 'wrong_password'));
  });

  it('refuses an empty or blank password before any bind, although this slapd accepts an unauthenticated bind', async () => {
    // The trap is real: a DN with an empty password binds here.
    const raw = new Client({ url: dir.url });
    await raw.bind(dir.userDn('user011'), '');
    await raw.unbind();
    for (const password of ['', ' ', '\t ']) {
      await assert.rejects(t.kernel.users.authenticate('user011', password, '127.0.0.11'), { code: 'LOGIN_FAILED' });
    }
    assert.equal(await t.kernel.users.findByLogin('user011'), null, 'nobody was created');
    const client = new HttpClient(server.url);
    for (const password of ['', ' ']) {
      const res = await client.signIn('user011', password);
      assert.notEqual(res.status, 302);
      assert.ok(res.status >= 400 && res.status < 500, `password ${JSON.stringify(password)} answered ${res.status}`);
    }
    assert.equal(await t.kernel.users.findByLogin('user011'), null);
  });

  it('keeps local accounts working beside directory ones, and never hands them to the directory', async () => {
    const local = await t.kernel.users.authenticate('localuser', 'local password 1', IP);
    assert.equal(local.externalAuthId, null);
    // A directory user of the same login would not take the local account over.
    await dir.addUser('localuser');
    await assert.rejects(t.kernel.users.authenticate('localuser', 'pw-localuser-secret', IP), { code: 'LOGIN_FAILED' });
  });

  it('blocks users disabled in the directory and members of a "ban" group', async () => {
    await assert.rejects(t.kernel.users.authenticate('gone', 'pw-gone-secret', IP), { code: 'LOGIN_FAILED' });
    assert.equal(await t.kernel.users.findByLogin('gone'), null);
    await t.kernel.users.authenticate('user008', 'pw-user008-secret', IP);
    await dir.modify(dir.userDn('user008', 'Engineering'), 'add', 'employeeType', ['disabled']);
    await assert.rejects(t.kernel.users.authenticate('user008', 'pw-user008-secret', IP), { code: 'USER_BLOCKED' });
    assert.equal((await t.kernel.users.findByLogin('user008'))!.active, false);
    await assert.rejects(t.kernel.users.authenticate('user007', 'pw-user007-secret', IP), { code: 'LOGIN_FAILED' });
  });

  it('creates nobody on first sign-in when the server does not allow it', async () => {
    const api = t.kernel.api('ldap');
    await api.updateServer(ADMIN, serverId, { createOnLogin: false });
    try {
      await assert.rejects(t.kernel.users.authenticate('user010', 'pw-user010-secret', IP), { code: 'LOGIN_FAILED' });
      assert.equal(await t.kernel.users.findByLogin('user010'), null);
    } finally {
      await api.updateServer(ADMIN, serverId, { createOnLogin: true });
    }
  });

  it('escapes injection payloads: no extra matches, no 500s, nobody created', async () => {
    const payloads = ['*', 'user0*', ')(uid=*', '*)(|(uid=*', 'user001)(|(uid=*', '\\', 'user001\\', '\0', 'user001\0', 'x'.repeat(5000), '\uD800user001', 'ivanov\uFFFD', '(uid=*)'];
    const before = (await t.kernel.users.list({ limit: 500 })).total;
    for (const login of payloads) {
      await assert.rejects(t.kernel.users.authenticate(login, 'pw-user001-secret', '127.0.0.12'), (err: { code?: string; status?: number }) => err.status !== undefined && err.status < 500);
      assert.equal(await t.kernel.api('ldap').search(ADMIN, serverId, login), null, `no directory match for ${JSON.stringify(login.slice(0, 20))}`);
    }
    const client = new HttpClient(server.url);
    for (const login of ['*', 'user0*', ')(uid=*', 'user001)(|(uid=*', '\\', 'a\0b', 'x'.repeat(5000), '\uD800user001']) {
      const res = await client.signIn(login, 'pw-user001-secret');
      assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(login)} answered ${res.status}`);
    }
    // Bytes that are not UTF-8 in the form body.
    const page = await (await client.get('/auth/login/')).text();
    const body = Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(HttpClient.csrfFrom(page))}&password=x&login=`), Buffer.from([0xff, 0xfe, 0x2a, 0xc3])]);
    const res = await client.request('POST', '/auth/login/', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.ok(res.status >= 400 && res.status < 500, `non-UTF-8 answered ${res.status}`);
    // The same bytes percent-encoded, as a browser sends a form.
    const encoded = Buffer.from(`_csrf=${encodeURIComponent(HttpClient.csrfFrom(page))}&password=pw-user001-secret&login=%FF%FE%2A%C3`);
    const res2 = await client.request('POST', '/auth/login/', { body: encoded, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.ok(res2.status >= 400 && res2.status < 500, `percent-encoded non-UTF-8 answered ${res2.status}`);
    assert.equal((await t.kernel.users.list({ limit: 500 })).total, before);
  });
});
