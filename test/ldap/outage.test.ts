import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverModules } from '../../core/modules/discover.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { createLdapApi } from '../../modules/ldap/api.js';
import { liveConnector, type Connector } from '../../modules/ldap/connection.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { startSlapd, type RunningSlapd } from '../harness/slapd.js';
import { DirectoryFixture, PAGE_SIZE } from './directory-fixture.js';

const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };
const IP = '127.0.0.20';

/** Where the next directory sign-in stops slapd: before the bind as the user, or after it (before its groups are read). */
let stopAt: { point: 'before-bind' | 'after-bind'; stop: () => Promise<void> } | null = null;
/** The live connector (the real slapd), with a hook that marks the moment inside a sign-in. */
const hooked: Connector = {
  open: (server, password) => liveConnector.open(server, password),
  async verify(server, dn, password) {
    const at = stopAt;
    stopAt = null;
    if (at?.point === 'before-bind') await at.stop();
    const ok = await liveConnector.verify(server, dn, password);
    if (at?.point === 'after-bind') await at.stop();
    return ok;
  },
};

/**
 * A slapd of its own, stopped in the middle of a sync (between two pages) and while
 * people sign in: nobody changes, and the server's outage policy decides sign-in.
 */
describeEachDb('LDAP directory outage', (kind) => {
  let tmp: string;
  let slapd: RunningSlapd;
  let dir: DirectoryFixture;
  let t: TestKernel;
  let http: RunningServer;
  let serverId: number;
  const users = async () => (await t.kernel.users.list({ limit: 500 })).items.filter((u) => u.externalAuthId === 'ldap');
  const restart = async () => {
    await slapd.start();
  };

  before(async function () {
    this.timeout(120_000);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'portal-ldap-outage-'));
    slapd = await startSlapd(path.join(tmp, 'slapd'));
    dir = await DirectoryFixture.create(slapd.url, { users: PAGE_SIZE + 30 });
    const definitions = (await discoverModules()).map((d) => (d.id === 'ldap' ? { ...d, setup: (ctx: Parameters<NonNullable<typeof d.setup>>[0]) => createLdapApi(ctx, hooked) } : d));
    t = await bootTestKernel(kind, { definitions });
    await t.kernel.modules.install('ldap');
    serverId = (await t.kernel.api('ldap').addServer(ADMIN, dir.serverInput({ timeoutMs: 2000 }) as never)).id;
    http = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    await t.kernel.api('ldap').sync(ADMIN, serverId, { trigger: 'test' });
  });

  after(async () => {
    await http?.close();
    await t?.close();
    await dir?.close();
    await slapd?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const phase of ['users', 'groups'] as const) {
    it(`slapd stopped mid-sync (reading ${phase}): the run aborts and nobody changes`, async function () {
      this.timeout(60_000);
      await dir.modify(dir.userDn('user021'), 'replace', 'title', [`Changed while reading ${phase}`]);
      const removed = phase === 'users' ? 'user023' : 'user025';
      await dir.remove(dir.userDn(removed));
      const before = await users();
      let stopped = false;
      await assert.rejects(
        t.kernel.api('ldap').sync(ADMIN, serverId, {
          trigger: 'test',
          onProgress: async (p) => {
            if (p.phase === phase && !stopped) {
              stopped = true;
              await slapd.stop();
            }
          },
        }),
        { code: 'LDAP_SYNC_ABORTED' },
      );
      assert.ok(stopped);
      try {
        assert.deepEqual(await users(), before);
        const run = (await t.kernel.api('ldap').runs(ADMIN, { serverId, limit: 1 })).items[0]!;
        assert.equal(run.status, 'failed');
        assert.deepEqual([run.created, run.updated, run.disabled], [0, 0, 0]);
      } finally {
        await restart();
      }
      const ok = await t.kernel.api('ldap').sync(ADMIN, serverId, { trigger: 'test' });
      assert.equal(ok.status, 'ok');
      assert.equal(ok.updated, 1);
      assert.equal((await t.kernel.users.findByLogin(removed))!.active, true, 'one successful run without the user is not enough, the aborted one did not count');
    });
  }

  it('deny (the default): directory sign-ins are refused while slapd is down, local accounts still sign in', async () => {
    await t.kernel.users.authenticate('user031', 'pw-user031-secret', IP);
    await t.kernel.users.create({ login: 'local', email: 'local@example.com', password: 'local password 1' });
    await slapd.stop();
    try {
      await assert.rejects(t.kernel.users.authenticate('user031', 'pw-user031-secret', IP), { code: 'LOGIN_UNAVAILABLE', status: 503 });
      await assert.rejects(t.kernel.users.authenticate('nobody-here', 'whatever 123', IP), { code: 'LOGIN_UNAVAILABLE' });
      assert.equal((await t.kernel.users.authenticate('local', 'local password 1', IP)).login, 'local');
      const client = new HttpClient(http.url);
      const res = await client.signIn('user031', 'pw-user031-secret');
      assert.equal(res.status, 503);
      assert.match(await res.text(), /cannot be reached/);
    } finally {
      await restart();
    }
  });

  for (const point of ['before-bind', 'after-bind'] as const) {
    it(`slapd stopped mid-sign-in (${point === 'before-bind' ? 'after the DN look-up, before the bind as the user' : 'after the bind, before the groups are read'}): refused as unavailable, the user unchanged`, async () => {
      const login = point === 'before-bind' ? 'user041' : 'user043';
      await t.kernel.users.authenticate(login, `pw-${login}-secret`, IP);
      const before = await t.kernel.users.findByLogin(login);
      await dir.modify(dir.userDn(login), 'replace', 'title', ['Changed before the outage']);
      stopAt = { point, stop: () => slapd.stop() };
      try {
        await assert.rejects(t.kernel.users.authenticate(login, `pw-${login}-secret`, IP), { code: 'LOGIN_UNAVAILABLE' });
        assert.equal(stopAt, null, 'the sign-in reached the hook');
        assert.deepEqual(await t.kernel.users.findByLogin(login), before, 'nothing written');
      } finally {
        stopAt = null;
        await restart();
      }
      const after = await t.kernel.users.authenticate(login, `pw-${login}-secret`, IP);
      assert.equal(after.id, before!.id);
      assert.equal(after.position, 'Changed before the outage', 'the next sign-in updates');
    });
  }

  it('recent: users who signed in within N days sign in against the kept hash while slapd is down, logged', async () => {
    const api = t.kernel.api('ldap');
    await api.updateServer(ADMIN, serverId, { outagePolicy: 'recent', outageDays: 2 });
    const user = await t.kernel.users.authenticate('user033', 'pw-user033-secret', IP);
    await t.kernel.users.authenticate('user035', 'pw-user035-secret', IP);
    // user035 last signed in three days ago.
    await t.kernel.db('ldap').write('links').whereIn('user_id', [(await t.kernel.users.findByLogin('user035'))!.id]).update({ offline_at: Date.now() - 3 * 86_400_000 });
    await slapd.stop();
    try {
      const offline = await t.kernel.users.authenticate('user033', 'pw-user033-secret', IP);
      assert.equal(offline.id, user.id);
      const log = await t.kernel.users.securityLog.list({ userId: user.id, event: 'login.offline' });
      assert.equal(log.total, 1);
      await assert.rejects(t.kernel.users.authenticate('user033', 'wrong password', IP), { code: 'LOGIN_FAILED' });
      await assert.rejects(t.kernel.users.authenticate('user035', 'pw-user035-secret', IP), { code: 'LOGIN_UNAVAILABLE' });
      await assert.rejects(t.kernel.users.authenticate('user037', 'pw-user037-secret', IP), { code: 'LOGIN_UNAVAILABLE' }, 'never signed in: no hash');
    } finally {
      await restart();
      await api.updateServer(ADMIN, serverId, { outagePolicy: 'deny' });
    }
    const back = await t.kernel.users.authenticate('user033', 'pw-user033-secret', IP);
    assert.equal(back.id, user.id);
  });

  it('deny keeps no password hash', async () => {
    const kept = async () => ((await t.kernel.db('ldap').write('links').whereNotNull('offline_hash').pluck('user_id')) as unknown[]).map(Number);
    const user035 = (await t.kernel.users.findByLogin('user035'))!.id;
    assert.ok((await kept()).includes(user035), 'kept from the sign-in under "recent"');
    await t.kernel.users.authenticate('user035', 'pw-user035-secret', IP);
    assert.deepEqual(await kept(), [], 'a sign-in under "deny" drops the kept hash');
  });
});
