import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { User } from '../../core/services.js';

describeEachDb('users', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind);
  });
  after(async () => {
    await t?.close();
  });

  it('creates a user with camelCase fields, hashed password and the system groups', async () => {
    const { users, groups } = t.kernel;
    const u = await users.create({ login: 'ivan.petrov', email: 'ivan@example.com', password: 'correct horse', name: 'Ivan', lastName: 'Petrov' });
    assert.equal(u.login, 'ivan.petrov');
    assert.equal(u.lastName, 'Petrov');
    assert.equal(u.active, true);
    assert.equal(u.isAdmin, false);
    assert.ok(u.createdAt instanceof Date);
    assert.equal(u.lastLoginAt, null);
    const registered = await groups.byCode('registered');
    const everyone = await groups.byCode('everyone');
    assert.deepEqual([...u.groupIds].sort(), [registered.id, everyone.id].sort());
    const row = await t.kernel.db('main').write('users').where({ id: u.id }).first();
    assert.match(String(row.password_hash), /^\$argon2id\$/);
    const again = await users.get(u.id);
    assert.deepEqual(again, u);
  });

  it('rejects bad logins, bad e-mails, weak passwords and taken logins (case-insensitively)', async () => {
    const { users } = t.kernel;
    await assert.rejects(users.create({ login: 'ab', email: 'a@b.cd' }), { code: 'USER_LOGIN_INVALID', status: 400 });
    await assert.rejects(users.create({ login: 'bad login', email: 'a@b.cd' }), { code: 'USER_LOGIN_INVALID' });
    await assert.rejects(users.create({ login: 'x'.repeat(51), email: 'a@b.cd' }), { code: 'USER_LOGIN_INVALID' });
    await assert.rejects(users.create({ login: 'okname', email: 'not-an-email' }), { code: 'USER_EMAIL_INVALID', status: 400 });
    await assert.rejects(users.create({ login: 'okname', email: 'a@b.cd', password: 'short' }), { code: 'PASSWORD_WEAK', status: 400 });
    await users.create({ login: 'taken', email: 'taken@example.com' });
    await assert.rejects(users.create({ login: 'taken', email: 'other@example.com' }), { code: 'USER_LOGIN_TAKEN', status: 409 });
    await assert.rejects(users.create({ login: 'TAKEN', email: 'other@example.com' }), { code: 'USER_LOGIN_TAKEN' });
    assert.equal((await users.findByLogin('Taken'))?.login, 'taken');
    assert.equal(await users.findByLogin('nobody-here'), null);
  });

  it('runs before-hooks (change and veto) and emits created after commit', async () => {
    const { users, events } = t.kernel;
    const created: User[] = [];
    const offBefore = events.onBefore('main.user.create', (e) => {
      if (e.data.login === 'vetoed') e.veto('no vetoed users', 'USER_VETOED');
      e.data.name = 'From hook';
    });
    const offAfter = events.onAfter('main.user.created', (u) => void created.push(u));
    try {
      await assert.rejects(users.create({ login: 'vetoed', email: 'v@example.com' }), { code: 'USER_VETOED', status: 422 });
      assert.equal(await users.findByLogin('vetoed'), null);
      const u = await users.create({ login: 'hooked', email: 'h@example.com' });
      assert.equal(u.name, 'From hook');
      assert.deepEqual(created.map((c) => c.login), ['hooked']);
    } finally {
      offBefore();
      offAfter();
    }
  });

  it('adds given groups and marks administrators', async () => {
    const { users, groups } = t.kernel;
    const admins = await groups.byCode('administrators');
    const u = await users.create({ login: 'boss', email: 'boss@example.com', groupIds: [admins.id] });
    assert.equal(u.isAdmin, true);
    assert.ok(u.groupIds.includes(admins.id));
    await assert.rejects(users.create({ login: 'ghost', email: 'g@example.com', groupIds: [999999] }), { code: 'GROUP_NOT_FOUND' });
    assert.equal(await users.findByLogin('ghost'), null);
  });

  it('updates fields and groups, emits updated, and get() sees the change', async () => {
    const { users, groups, events } = t.kernel;
    const staff = await groups.create({ code: 'staff_upd', name: 'Staff' });
    const u = await users.create({ login: 'upd.user', email: 'upd@example.com', name: 'Old' });
    await users.get(u.id); // warm the cache
    const seen: string[] = [];
    const off = events.onAfter('main.user.updated', (x) => void seen.push(x.name));
    try {
      const v = await users.update(u.id, { name: 'New', lastName: 'Name', language: 'ru', groupIds: [staff.id] });
      assert.equal(v.name, 'New');
      assert.equal(v.language, 'ru');
      assert.ok(v.groupIds.includes(staff.id));
      assert.ok(v.groupIds.includes((await groups.byCode('registered')).id), 'system groups stay');
      assert.equal((await users.get(u.id)).name, 'New');
      assert.deepEqual(seen, ['New']);
      const w = await users.update(u.id, { groupIds: [] });
      assert.ok(!w.groupIds.includes(staff.id));
    } finally {
      off();
    }
    await assert.rejects(users.update(u.id, { email: 'nope' }), { code: 'USER_EMAIL_INVALID' });
    await assert.rejects(users.update(987654, { name: 'x' }), { code: 'USER_NOT_FOUND', status: 404 });
  });

  it('lists with search (wildcards escaped), group and active filters, and paging', async () => {
    const { users, groups } = t.kernel;
    const g = await groups.create({ code: 'list_grp', name: 'List group' });
    await users.create({ login: 'list_a', email: 'a@list.example', name: 'Anna', groupIds: [g.id] });
    await users.create({ login: 'list-b', email: 'b@list.example', name: '100% Boris' });
    await users.create({ login: 'list.c', email: 'c@list.example', lastName: 'Sidorova', active: false });
    const all = await users.list({ search: 'list.example' });
    assert.equal(all.total, 3);
    assert.deepEqual(all.items.map((u) => u.login), ['list_a', 'list-b', 'list.c']);
    assert.equal((await users.list({ search: 'sidorOVA' })).items[0]?.login, 'list.c');
    assert.deepEqual((await users.list({ search: 'list_' })).items.map((u) => u.login), ['list_a'], '_ is literal');
    assert.deepEqual((await users.list({ search: '100%' })).items.map((u) => u.login), ['list-b'], '% is literal');
    assert.deepEqual((await users.list({ search: 'list', groupId: g.id })).items.map((u) => u.login), ['list_a']);
    assert.deepEqual((await users.list({ search: 'list.example', active: false })).items.map((u) => u.login), ['list.c']);
    const page = await users.list({ search: 'list.example', limit: 1, offset: 1 });
    assert.equal(page.total, 3);
    assert.deepEqual(page.items.map((u) => u.login), ['list-b']);
    assert.ok(page.items[0]!.groupIds.length >= 2);
  });

  it('setPassword checks the policy, ends other sessions and lets the new password in', async () => {
    const { users, sessions } = t.kernel;
    const u = await users.create({ login: 'pw.change', email: 'pw@example.com', password: 'first password' });
    const keep = await sessions.create({ userId: u.id, ip: '127.0.0.1', userAgent: 'test' });
    const other = await sessions.create({ userId: u.id, ip: '127.0.0.2', userAgent: 'test' });
    await assert.rejects(users.setPassword(u.id, 'pw.change'), { code: 'PASSWORD_WEAK' });
    await users.setPassword(u.id, 'second password', { keepSessionId: keep.id });
    assert.ok(await sessions.load(keep.id));
    assert.equal(await sessions.load(other.id), null);
    await assert.rejects(users.authenticate('pw.change', 'first password', '10.1.0.1'), { code: 'LOGIN_FAILED' });
    assert.equal((await users.authenticate('pw.change', 'second password', '10.1.0.1')).id, u.id);
  });

  it('setActive(false) blocks the user and ends their sessions; principalOf treats them as anonymous', async () => {
    const { users, sessions, groups } = t.kernel;
    const u = await users.create({ login: 'to.block', email: 'blk@example.com' });
    const s = await sessions.create({ userId: u.id, ip: '', userAgent: '' });
    const blocked = await users.setActive(u.id, false);
    assert.equal(blocked.active, false);
    assert.equal(await sessions.load(s.id), null);
    const everyone = (await groups.byCode('everyone')).id;
    assert.deepEqual(await users.principalOf(blocked), { userId: null, groupIds: [everyone], isAdmin: false });
    assert.equal((await users.setActive(u.id, true)).active, true);
  });

  it('principalOf gives everyone for anonymous and adds everyone/registered for users', async () => {
    const { users, groups } = t.kernel;
    const everyone = (await groups.byCode('everyone')).id;
    const registered = (await groups.byCode('registered')).id;
    assert.deepEqual(await users.principalOf(null), { userId: null, groupIds: [everyone], isAdmin: false });
    const u = await users.create({ login: 'principal', email: 'p@example.com' });
    const p = await users.principalOf(u);
    assert.equal(p.userId, u.id);
    assert.ok(p.groupIds.includes(everyone) && p.groupIds.includes(registered));
    assert.equal(p.isAdmin, false);
  });

  it('never removes, blocks or deletes the last active administrator', async () => {
    const { users, groups } = t.kernel;
    const admins = await groups.byCode('administrators');
    for (const id of await groups.members(admins.id)) {
      await t.kernel.db('main').write('user_groups').where({ user_id: id, group_id: admins.id }).delete();
      await t.kernel.cache.invalidateTags(`main:user:${id}`);
    }
    const a = await users.create({ login: 'only.admin', email: 'oa@example.com', groupIds: [admins.id] });
    await assert.rejects(users.setActive(a.id, false), { code: 'USER_LAST_ADMIN', status: 409 });
    await assert.rejects(users.delete(a.id), { code: 'USER_LAST_ADMIN' });
    await assert.rejects(users.update(a.id, { groupIds: [] }), { code: 'USER_LAST_ADMIN' });
    await assert.rejects(groups.removeUser(admins.id, a.id), { code: 'USER_LAST_ADMIN' });
    const b = await users.create({ login: 'second.admin', email: 'sa@example.com', groupIds: [admins.id] });
    await users.delete(a.id);
    assert.equal(await users.findByLogin('only.admin'), null);
    assert.equal((await users.get(b.id)).isAdmin, true);
  });

  it('deletes a user with tokens and sessions and emits deleted', async () => {
    const { users, tokens, sessions, events } = t.kernel;
    const u = await users.create({ login: 'to.delete', email: 'del@example.com' });
    const { token } = await tokens.issue(u.id, 'script');
    const s = await sessions.create({ userId: u.id });
    const deleted: number[] = [];
    const off = events.onAfter('main.user.deleted', (e) => void deleted.push(e.id));
    try {
      await users.delete(u.id);
    } finally {
      off();
    }
    assert.deepEqual(deleted, [u.id]);
    await assert.rejects(users.get(u.id), { code: 'USER_NOT_FOUND' });
    assert.equal(await tokens.verify(token), null);
    assert.equal(await sessions.load(s.id), null);
    assert.equal((await t.kernel.db('main').write('user_groups').where({ user_id: u.id })).length, 0);
  });
});
