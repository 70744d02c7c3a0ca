import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { discoverModules } from '../../core/modules/discover.js';
import { describeEachDb, memcachedServer } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

/** Two kernels on one database and one memcached, as two nodes behind a balancer. */
describeEachDb('users, rights and sessions across two nodes', (kind) => {
  let t: TestKernel;
  let other: Kernel;
  before(async () => {
    const cache = { driver: 'memcached' as const, servers: [memcachedServer()], prefix: `t${randomBytes(4).toString('hex')}:` };
    t = await bootTestKernel(kind, { overrides: { cache } });
    other = await Kernel.boot(t.env.config, { log: silentLogger(), definitions: await discoverModules() });
  });
  after(async () => {
    await other?.close();
    await t?.close();
  });

  it('a block, a group change and a rights change on one node are seen by the other at once', async () => {
    const a = t.kernel;
    const staff = await a.groups.create({ code: 'staff_nodes', name: 'Staff' });
    const u = await a.users.create({ login: 'node.user', email: 'nu@example.com', password: 'right password' });
    const onB = await other.users.get(u.id); // cached by node B
    assert.equal(onB.active, true);
    assert.ok(onB.createdAt instanceof Date, 'dates survive the cache');

    await a.users.setActive(u.id, false);
    assert.equal((await other.users.get(u.id)).active, false);
    await a.users.setActive(u.id, true);

    await a.groups.addUser(staff.id, u.id);
    const principal = await other.users.principalOf(await other.users.get(u.id));
    assert.ok(principal.groupIds.includes(staff.id));
    assert.equal((await other.groups.byCode('staff_nodes')).id, staff.id);

    assert.equal(await other.rights.can(principal, 'main.admin.view'), false);
    await a.rights.setLevel('main', staff.id, 'A');
    assert.equal(await other.rights.can(principal, 'main.admin.view'), true);
  });

  it('a session created on one node loads on the other; a password change ends it everywhere', async () => {
    const a = t.kernel;
    const u = await a.users.create({ login: 'node.session', email: 'ns@example.com', password: 'right password' });
    const s = await a.sessions.create({ userId: u.id, ip: '198.51.100.1' });
    assert.equal((await other.sessions.load(s.id))?.userId, u.id);
    await other.users.setPassword(u.id, 'another password');
    assert.equal(await a.sessions.load(s.id), null);
    assert.equal((await a.users.authenticate('node.session', 'another password', '198.51.100.1')).id, u.id);
  });
});
