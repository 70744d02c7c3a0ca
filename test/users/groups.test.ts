import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { Group } from '../../core/services.js';

describeEachDb('groups', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind);
  });
  after(async () => {
    await t?.close();
  });

  it('has the system groups after install, and ensureSystemGroups is idempotent', async () => {
    const { groups } = t.kernel;
    await groups.ensureSystemGroups();
    await groups.ensureSystemGroups();
    const list = await groups.list();
    const system = list.filter((g) => g.system).map((g) => g.code).sort();
    assert.deepEqual(system, ['administrators', 'everyone', 'registered']);
    assert.equal(list.filter((g) => g.code === 'everyone').length, 1);
    const admins = await groups.byCode('administrators');
    assert.equal((await groups.get(admins.id)).code, 'administrators');
  });

  it('creates custom groups with validated unique codes and emits main.group.created', async () => {
    const { groups, events } = t.kernel;
    const seen: Group[] = [];
    const off = events.onAfter('main.group.created', (g) => void seen.push(g));
    let g: Group;
    try {
      g = await groups.create({ code: 'sales_dept', name: ' Sales ', description: 'People who sell' });
    } finally {
      off();
    }
    assert.deepEqual(g, { id: g.id, code: 'sales_dept', name: 'Sales', description: 'People who sell', system: false });
    assert.deepEqual(seen, [g]);
    assert.deepEqual(await groups.byCode('sales_dept'), g);
    await assert.rejects(groups.create({ code: 'sales_dept', name: 'Again' }), { code: 'GROUP_CODE_TAKEN', status: 409 });
    await assert.rejects(groups.create({ code: 'Bad Code', name: 'x' }), { code: 'GROUP_CODE_INVALID', status: 400 });
    await assert.rejects(groups.create({ code: 'x', name: 'x' }), { code: 'GROUP_CODE_INVALID' });
    await assert.rejects(groups.create({ code: 'noname', name: '  ' }), { code: 'GROUP_NAME_INVALID' });
    await assert.rejects(groups.byCode('missing_code'), { code: 'GROUP_NOT_FOUND', status: 404 });
    await assert.rejects(groups.get(424242), { code: 'GROUP_NOT_FOUND' });
  });

  it('updates name and description', async () => {
    const { groups } = t.kernel;
    const g = await groups.create({ code: 'to_rename', name: 'Before' });
    const u = await groups.update(g.id, { name: 'After', description: 'Changed' });
    assert.equal(u.name, 'After');
    assert.equal(u.description, 'Changed');
    assert.equal(u.code, 'to_rename');
    assert.equal((await groups.byCode('to_rename')).name, 'After');
  });

  it('adds and removes members and the user sees it at once', async () => {
    const { groups, users } = t.kernel;
    const g = await groups.create({ code: 'members_grp', name: 'Members' });
    const u = await users.create({ login: 'member.one', email: 'm1@example.com' });
    await users.get(u.id); // cached
    await groups.addUser(g.id, u.id);
    await groups.addUser(g.id, u.id); // idempotent
    assert.deepEqual(await groups.members(g.id), [u.id]);
    assert.ok((await groups.groupIdsOf(u.id)).includes(g.id));
    assert.ok((await users.get(u.id)).groupIds.includes(g.id), 'cache invalidated on add');
    await groups.removeUser(g.id, u.id);
    assert.deepEqual(await groups.members(g.id), []);
    assert.ok(!(await users.get(u.id)).groupIds.includes(g.id), 'cache invalidated on remove');
    await assert.rejects(groups.addUser(g.id, 999999), { code: 'USER_NOT_FOUND' });
    await assert.rejects(groups.addUser(999999, u.id), { code: 'GROUP_NOT_FOUND' });
  });

  it('deletes custom groups with memberships and rights, never system groups', async () => {
    const { groups, users, rights } = t.kernel;
    const g = await groups.create({ code: 'doomed', name: 'Doomed' });
    const u = await users.create({ login: 'doomed.member', email: 'dm@example.com', groupIds: [g.id] });
    await rights.setLevel('main', g.id, 'A');
    const deleted: string[] = [];
    const off = t.kernel.events.onAfter('main.group.deleted', (e) => void deleted.push(e.code));
    try {
      await groups.delete(g.id);
    } finally {
      off();
    }
    assert.deepEqual(deleted, ['doomed']);
    await assert.rejects(groups.get(g.id), { code: 'GROUP_NOT_FOUND' });
    assert.ok(!(await users.get(u.id)).groupIds.includes(g.id));
    assert.equal((await rights.getLevels('main'))[g.id], undefined);
    for (const code of ['administrators', 'everyone', 'registered']) {
      await assert.rejects(groups.delete((await groups.byCode(code)).id), { code: 'GROUP_SYSTEM', status: 409 });
    }
  });
});
