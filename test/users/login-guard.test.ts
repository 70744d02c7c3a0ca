import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { PortalError } from '../../core/errors/portal-error.js';

const MAX = 3;

describeEachDb('login guard', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind, { overrides: { security: { loginMaxAttempts: MAX, loginWindowSeconds: 600, loginLockSeconds: 1 } } });
  });
  after(async () => {
    await t?.close();
  });

  const errorOf = async (p: Promise<unknown>): Promise<PortalError> => {
    try {
      await p;
    } catch (err) {
      return err as PortalError;
    }
    assert.fail('expected a rejection');
  };

  it('signs in with the right password, resets counters and emits main.user.login', async () => {
    const { users, events } = t.kernel;
    const u = await users.create({ login: 'good.user', email: 'good@example.com', password: 'right password' });
    const logins: string[] = [];
    const off = events.onAfter('main.user.login', (e) => void logins.push(`${e.user.login}@${e.ip}`));
    try {
      const signedIn = await users.authenticate('GOOD.user', 'right password', '10.0.0.1');
      assert.equal(signedIn.id, u.id);
      assert.ok(signedIn.lastLoginAt instanceof Date);
    } finally {
      off();
    }
    assert.deepEqual(logins, ['good.user@10.0.0.1']);
    const log = await users.securityLog.list({ event: 'login.success' });
    assert.equal(log.items[0]?.userId, u.id);
    assert.equal(log.items[0]?.ip, '10.0.0.1');
  });

  it('gives the same generic LOGIN_FAILED for a wrong login and a wrong password', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'generic', email: 'generic@example.com', password: 'right password' });
    const wrongLogin = await errorOf(users.authenticate('no-such-user', 'whatever1', '10.0.0.2'));
    const wrongPassword = await errorOf(users.authenticate('generic', 'wrong password', '10.0.0.2'));
    for (const e of [wrongLogin, wrongPassword]) {
      assert.equal(e.code, 'LOGIN_FAILED');
      assert.equal(e.status, 401);
    }
    assert.equal(wrongLogin.message, wrongPassword.message);
    assert.deepEqual(wrongLogin.details, wrongPassword.details);
    const attempts = await t.kernel.db('main').write('login_attempts').where({ ip: '10.0.0.2' }).select('login', 'success');
    assert.equal(attempts.length, 2);
    assert.ok(attempts.every((a: { success: unknown }) => !a.success || a.success === 0));
    const failed = await users.securityLog.list({ event: 'login.failed' });
    assert.ok(failed.items.some((e) => e.login === 'no-such-user' && e.details?.reason === 'unknown_login'));
  });

  it('locks the account after N consecutive failures (423, even with the right password) and unlocks after the lock time', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'lock.me', email: 'lock@example.com', password: 'right password' });
    for (let i = 1; i < MAX; i++) {
      await assert.rejects(users.authenticate('lock.me', `wrong ${i}`, '10.0.1.1'), { code: 'LOGIN_FAILED' });
    }
    const locking = await errorOf(users.authenticate('lock.me', 'wrong last', '10.0.1.1'));
    assert.equal(locking.code, 'USER_LOCKED');
    assert.equal(locking.status, 423);
    assert.match(locking.message, /locked until \d{4}-\d\d-\d\dT/);
    const locked = await errorOf(users.authenticate('lock.me', 'right password', '10.0.1.2'));
    assert.equal(locked.code, 'USER_LOCKED', 'the right password does not help while locked');
    assert.equal(locked.message, (await errorOf(users.authenticate('lock.me', 'wrong again', '10.0.1.2'))).message);
    const row = await t.kernel.db('main').write('users').where({ login: 'lock.me' }).first();
    assert.equal(Number(row.failed_logins), MAX);
    assert.ok(Number(row.locked_until) > Date.now());
    assert.ok((await users.securityLog.list({ event: 'login.locked' })).total >= 2);

    await new Promise((r) => setTimeout(r, 1100));
    // Failures made before and during the lock no longer count: one more failure does not re-lock.
    await assert.rejects(users.authenticate('lock.me', 'wrong after', '10.0.1.3'), { code: 'LOGIN_FAILED' });
    const ok = await users.authenticate('lock.me', 'right password', '10.0.1.3');
    assert.equal(ok.login, 'lock.me');
    const after = await t.kernel.db('main').write('users').where({ login: 'lock.me' }).first();
    assert.equal(Number(after.failed_logins), 0);
    assert.equal(after.locked_until, null);
  });

  it('counts only consecutive failures: a success resets the streak', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'streak', email: 'streak@example.com', password: 'right password' });
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < MAX; i++) await assert.rejects(users.authenticate('streak', 'nope nope', '10.0.2.1'), { code: 'LOGIN_FAILED' });
      await new Promise((r) => setTimeout(r, 5));
      await users.authenticate('streak', 'right password', '10.0.2.1');
      await new Promise((r) => setTimeout(r, 5));
    }
  });

  it('blocks inactive users with USER_BLOCKED only when the password is right', async () => {
    const { users } = t.kernel;
    const u = await users.create({ login: 'blocked.one', email: 'b1@example.com', password: 'right password', active: false });
    await assert.rejects(users.authenticate('blocked.one', 'wrong password', '10.0.3.1'), { code: 'LOGIN_FAILED' });
    await assert.rejects(users.authenticate('blocked.one', 'right password', '10.0.3.1'), { code: 'USER_BLOCKED', status: 403 });
    assert.equal((await users.securityLog.list({ event: 'login.blocked' })).items[0]?.userId, u.id);
  });

  it('refuses external users here (they sign in through their own module)', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'ldap.user', email: 'ldap@example.com', externalAuthId: 'ldap' });
    await assert.rejects(users.authenticate('ldap.user', 'any password', '10.0.4.1'), { code: 'LOGIN_FAILED', status: 401 });
    await assert.rejects(users.authenticate('', '', '10.0.4.1'), { code: 'LOGIN_FAILED' });
  });

  it('throttles an IP after 5× the per-account limit of failures (429)', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'victim', email: 'victim@example.com', password: 'right password' });
    const ip = '10.9.9.9';
    for (let i = 0; i < 5 * MAX; i++) {
      await assert.rejects(users.authenticate(`nobody${i}`, 'x', ip), { code: 'LOGIN_FAILED' });
    }
    await assert.rejects(users.authenticate('victim', 'right password', ip), { code: 'TOO_MANY_REQUESTS', status: 429 });
    assert.equal((await users.authenticate('victim', 'right password', '10.9.9.10')).login, 'victim', 'other IPs are fine');
    assert.ok((await users.securityLog.list({ event: 'login.throttled' })).total >= 1);
  });

  it('security log records details, filters by event and user, pages newest first and purges', async () => {
    const log = t.kernel.users.securityLog;
    await log.record('access.denied', { userId: 77, login: 'x'.repeat(80), ip: '203.0.113.5', details: { operation: 'main.admin.view' } });
    await log.record('access.denied', { userId: 78 });
    const denied = await log.list({ event: 'access.denied' });
    assert.equal(denied.total, 2);
    assert.equal(denied.items[0]?.userId, 78, 'newest first');
    const first = denied.items[1]!;
    assert.deepEqual(first.details, { operation: 'main.admin.view' });
    assert.equal(first.login?.length, 50, 'long logins are cut to the column');
    assert.ok(first.createdAt instanceof Date);
    assert.equal((await log.list({ event: 'access.denied', userId: 77 })).total, 1);
    assert.equal((await log.list({ event: 'access.denied', limit: 1, offset: 1 })).items[0]?.userId, 77);
    assert.ok((await log.purge(new Date(Date.now() + 1000))) >= 2);
    assert.equal((await log.list()).total, 0);
  });
});
