import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

describeEachDb('users.createMany', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind);
  });
  after(async () => {
    await t?.close();
  });

  it('creates many users with groups and events, and refuses each bad one without stopping the rest', async () => {
    const group = await t.kernel.groups.create({ code: 'bulk', name: 'Bulk' });
    await t.kernel.users.create({ login: 'taken', email: 'taken@example.com' });
    const created: string[] = [];
    const off = t.kernel.events.onAfter('main.user.created', (u) => void created.push(u.login));
    t.kernel.events.onBefore('main.user.create', (e) => {
      if (e.data.login === 'vetoed') e.veto('not this one', 'BULK_VETO');
    });
    const inputs = [
      ...Array.from({ length: 450 }, (_, i) => ({ login: `bulk${i}`, email: `bulk${i}@example.com`, name: 'Bulk', groupIds: [group.id] })),
      { login: 'TAKEN', email: 'other@example.com' },
      { login: 'fresh', email: 'Taken@Example.com' },
      { login: 'twice', email: 'twice1@example.com' },
      { login: 'Twice', email: 'twice2@example.com' },
      { login: 'x', email: 'short@example.com' },
      { login: 'nogroup', email: 'nogroup@example.com', groupIds: [999_999] },
      { login: 'vetoed', email: 'vetoed@example.com' },
    ];
    const results = await t.kernel.users.createMany(inputs);
    off();
    assert.equal(results.length, inputs.length);
    const codes = results.slice(450).map((r) => ('error' in r ? r.error.code : 'ok'));
    assert.deepEqual(codes, ['USER_LOGIN_TAKEN', 'USER_EMAIL_TAKEN', 'ok', 'USER_LOGIN_TAKEN', 'USER_LOGIN_INVALID', 'GROUP_NOT_FOUND', 'BULK_VETO']);
    const first = results[0]!;
    assert.ok('user' in first);
    const stored = await t.kernel.users.get(first.user.id);
    assert.equal(stored.login, 'bulk0');
    assert.ok(stored.groupIds.includes(group.id));
    assert.equal((await t.kernel.groups.members(group.id)).length, 450);
    assert.equal(created.length, 451);
    assert.equal((await t.kernel.users.list({ search: 'bulk449' })).total, 1, 'searchable');
  });
});
