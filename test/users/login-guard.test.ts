import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { PortalError } from '../../core/errors/portal-error.js';
import loginThrottle from '../../modules/main/migrations/2026-12-04-20-login-throttle.js';

const MAX = 3;
const WINDOW = 600;
const LOCK = 300;
/** Failures of one login from many places that pause sign-in from new places. */
const ATTACK = 5 * MAX;

describeEachDb('login guard', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind, { overrides: { security: { loginMaxAttempts: MAX, loginWindowSeconds: WINDOW, loginLockSeconds: LOCK } } });
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
  const attempts = () => t.kernel.db('main').write('login_attempts');
  /** Moves every recorded attempt of these logins `seconds` into the past, as if that time had gone by. */
  const elapse = (seconds: number, ...logins: string[]) => attempts().whereIn('login', logins).update({ created_at: t.kernel.db('main').raw('created_at - ?', [seconds * 1000]) });
  const fail = (login: string, ip: string, device?: string) => t.kernel.users.authenticate(login, 'not the password', { ip, device });

  it('signs in with the right password and emits main.user.login', async () => {
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

  it('gives the same generic LOGIN_FAILED for a wrong login and a wrong password, and records both alike', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'generic', email: 'generic@example.com', password: 'right password' });
    const wrongLogin = await errorOf(users.authenticate('No-Such-User', 'whatever1', '10.0.0.2'));
    const wrongPassword = await errorOf(users.authenticate('Generic', 'wrong password', '10.0.0.2'));
    for (const e of [wrongLogin, wrongPassword]) {
      assert.equal(e.code, 'LOGIN_FAILED');
      assert.equal(e.status, 401);
    }
    assert.equal(wrongLogin.message, wrongPassword.message);
    assert.deepEqual(wrongLogin.details, wrongPassword.details);
    const rows = await attempts().where({ ip: '10.0.0.2' }).orderBy('id').select('login', 'success', 'client');
    assert.deepEqual(rows.map((r: { login: string; client: string }) => [r.login, r.client]), [['no-such-user', 'ip:10.0.0.2'], ['generic', 'ip:10.0.0.2']], 'both keyed by the lower-cased login');
    assert.ok(rows.every((a: { success: unknown }) => !a.success));
    const failed = await users.securityLog.list({ event: 'login.failed' });
    assert.ok(failed.items.some((e) => e.login === 'No-Such-User' && e.details?.reason === 'unknown_login'));
  });

  it('a colleague\'s failures from another address never lock the account', async () => {
    const { users } = t.kernel;
    const u = await users.create({ login: 'popular', email: 'popular@example.com', password: 'right password' });
    for (let i = 0; i < MAX + 5; i++) await errorOf(fail('popular', '10.1.0.1'));
    assert.equal((await users.authenticate('popular', 'right password', '10.1.0.2')).id, u.id);
  });

  it('throttles one client after N failures with waits that double up to loginLockSeconds, told in words, the same for unknown logins', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'slow', email: 'slow@example.com', password: 'right password' });
    const ip = '10.2.0.1';
    for (let i = 0; i < MAX; i++) {
      for (const login of ['slow', 'ghost']) assert.equal((await errorOf(fail(login, ip))).code, 'LOGIN_FAILED');
    }
    const waits: number[] = [];
    for (let round = 0; round < 5; round++) {
      const [slow, ghost, right] = [await errorOf(fail('slow', ip)), await errorOf(fail('ghost', ip)), await errorOf(users.authenticate('slow', 'right password', ip))];
      for (const e of [slow, ghost, right]) {
        assert.equal(e.code, 'LOGIN_THROTTLED');
        assert.equal(e.status, 429);
        assert.equal(e.details?.scope, 'client');
        const wait = e.details!.retryAfterSeconds as number;
        assert.match(e.message, new RegExp(`^Too many failed sign-in attempts\\. Try again in ${wait < 60 ? `${wait} seconds?` : `${Math.ceil(wait / 60)} minutes?`}\\.$`));
      }
      // Only the time the checks took tells an unknown login from a real one here.
      assert.ok(Math.abs(Number(slow.details!.retryAfterSeconds) - Number(ghost.details!.retryAfterSeconds)) <= 2, 'an unknown login is answered the same');
      const wait = slow.details!.retryAfterSeconds as number;
      waits.push(wait);
      await elapse(wait + 1, 'slow', 'ghost');
      for (const login of ['slow', 'ghost']) assert.equal((await errorOf(fail(login, ip))).code, 'LOGIN_FAILED', 'tried again after the wait');
    }
    const expected = [60, 120, 240, LOCK, LOCK];
    waits.forEach((w, i) => assert.ok(w <= expected[i]! && w >= expected[i]! - 3, `wait ${i}: ${w}s, expected ${expected[i]}s`));
    const throttled = await users.securityLog.list({ event: 'login.throttled', limit: 100 });
    assert.ok(throttled.items.some((e) => e.login === 'ghost' && e.details?.scope === 'client'));
  });

  it('a streak ends with a success, or when the client stays away for the window', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'streak', email: 'streak@example.com', password: 'right password' });
    const ip = '10.3.0.1';
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < MAX; i++) await errorOf(fail('streak', ip));
      await users.authenticate('streak', 'right password', ip);
    }
    for (let i = 0; i < MAX; i++) await errorOf(fail('streak', ip));
    assert.equal((await errorOf(fail('streak', ip))).code, 'LOGIN_THROTTLED');
    await elapse(60 + WINDOW + 1, 'streak');
    assert.equal((await errorOf(fail('streak', ip))).code, 'LOGIN_FAILED', 'a fresh streak');
    assert.equal((await users.authenticate('streak', 'right password', ip)).login, 'streak');
  });

  it('a device that signed in before is its own client: another person\'s failures from the same address do not hold it up', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'shared.ip', email: 'shared@example.com', password: 'right password' });
    const office = '10.4.0.1';
    const device = await users.deviceToken('shared.ip');
    for (let i = 0; i < MAX + 2; i++) await errorOf(fail('shared.ip', office));
    assert.equal((await errorOf(users.authenticate('shared.ip', 'right password', office))).code, 'LOGIN_THROTTLED', 'without the device cookie');
    assert.equal((await users.authenticate('shared.ip', 'right password', { ip: office, device })).login, 'shared.ip');
    const other = await users.deviceToken('someone.else');
    assert.equal((await errorOf(users.authenticate('shared.ip', 'right password', { ip: office, device: other }))).code, 'LOGIN_THROTTLED', 'a device cookie of another login does not count');
    assert.equal((await errorOf(users.authenticate('shared.ip', 'right password', { ip: office, device: `${device}x` }))).code, 'LOGIN_THROTTLED', 'nor a forged one');
  });

  it('many failures from many addresses pause sign-in from new places (423 with the wait), not from known addresses or devices; unknown logins alike', async () => {
    const { users } = t.kernel;
    const u = await users.create({ login: 'famous', email: 'famous@example.com', password: 'right password' });
    await users.authenticate('famous', 'right password', '10.5.9.9'); // a known address
    const device = await users.deviceToken('famous');
    for (let i = 0; i < ATTACK; i++) {
      const ip = `10.5.${Math.floor(i / MAX)}.1`;
      for (const login of ['famous', 'nobody.here']) assert.equal((await errorOf(fail(login, ip))).code, 'LOGIN_FAILED');
    }
    const known = await errorOf(users.authenticate('famous', 'right password', '10.5.100.1'));
    const unknown = await errorOf(users.authenticate('nobody.here', 'right password', '10.5.100.1'));
    for (const e of [known, unknown]) {
      assert.equal(e.code, 'USER_LOCKED');
      assert.equal(e.status, 423);
      assert.ok(Number(e.details?.retryAfterSeconds) > 0 && Number(e.details?.retryAfterSeconds) <= WINDOW);
      assert.match(e.message, /try again in \d+ minutes?/i);
    }
    assert.equal(known.message.replace(/\d+/g, 'N'), unknown.message.replace(/\d+/g, 'N'));
    assert.equal((await users.authenticate('famous', 'right password', '10.5.9.9')).id, u.id, 'from the known address');
    assert.equal((await users.authenticate('famous', 'right password', { ip: '10.5.200.1', device })).id, u.id, 'with the device cookie');
    assert.ok((await users.securityLog.list({ event: 'login.locked' })).items.some((e) => e.login === 'nobody.here' && e.details?.scope === 'account'));
    await elapse(WINDOW + 1, 'famous', 'nobody.here');
    assert.equal((await users.authenticate('famous', 'right password', '10.5.100.1')).id, u.id, 'over once the failures leave the window');
  });

  it('an address failing across many logins is throttled for all of them (429), devices that signed in before are not', async () => {
    const { users } = t.kernel;
    await users.create({ login: 'victim', email: 'victim@example.com', password: 'right password' });
    const device = await users.deviceToken('victim');
    const ip = '10.9.9.9';
    for (let i = 0; i < 5 * MAX; i++) assert.equal((await errorOf(fail(`sprayed${i}`, ip))).code, 'LOGIN_FAILED');
    const refused = await errorOf(users.authenticate('victim', 'right password', ip));
    assert.equal(refused.code, 'LOGIN_THROTTLED');
    assert.equal(refused.details?.scope, 'ip');
    assert.ok(Number(refused.details?.retryAfterSeconds) > 0);
    assert.equal((await users.authenticate('victim', 'right password', '10.9.9.10')).login, 'victim', 'other addresses are fine');
    assert.equal((await users.authenticate('victim', 'right password', { ip, device })).login, 'victim', 'and so is a known device');
    assert.ok((await users.securityLog.list({ event: 'login.throttled' })).items.some((e) => e.details?.scope === 'ip'));
  });

  it('parallel attempts cannot slip past the throttle', async () => {
    await t.kernel.users.create({ login: 'burst', email: 'burst@example.com', password: 'right password' });
    const results = await Promise.all(Array.from({ length: 12 }, () => errorOf(fail('burst', '10.6.0.1'))));
    const failed = results.filter((e) => e.code === 'LOGIN_FAILED').length;
    assert.ok(failed >= MAX && failed <= MAX + 1, `${failed} passwords were checked`);
    assert.equal(results.filter((e) => e.code === 'LOGIN_THROTTLED').length, 12 - failed);
  });

  it('a new password (admin reset) ends the throttle of the account', async () => {
    const { users } = t.kernel;
    const u = await users.create({ login: 'reset.me', email: 'reset@example.com', password: 'right password' });
    for (let i = 0; i < MAX; i++) await errorOf(fail('reset.me', '10.7.0.1'));
    assert.equal((await errorOf(fail('reset.me', '10.7.0.1'))).code, 'LOGIN_THROTTLED');
    await users.setPassword(u.id, 'a new password');
    assert.equal((await users.authenticate('reset.me', 'a new password', '10.7.0.1')).id, u.id);
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

  it('purges attempts older than their use (30 days), keeping recent ones', async () => {
    const old = Date.now() - 31 * 86_400_000;
    await attempts().insert({ login: 'ancient', ip: '10.8.0.1', client: 'ip:10.8.0.1', success: true, created_at: old });
    const before = Number((await attempts().count({ n: '*' }).first()).n);
    assert.equal(await t.kernel.users.purgeLoginAttempts(), 1);
    assert.equal(Number((await attempts().count({ n: '*' }).first()).n), before - 1);
    await attempts().insert({ login: 'ancient', ip: '10.8.0.1', client: 'ip:10.8.0.1', success: false, created_at: old });
    await t.kernel.agents.runNow('main', 'login_attempts.purge');
    assert.equal((await attempts().where({ login: 'ancient' })).length, 0, 'the hourly agent purges them');
  });

  it('the throttle migration keys old attempts by address and lower-cased login, and goes down again', async () => {
    const db = t.kernel.db('main');
    await loginThrottle.down(db);
    assert.equal(await db.schema.hasColumn(db.table('login_attempts'), 'client'), false);
    await attempts().insert({ login: 'Old.Style', ip: '10.10.0.1', success: false, created_at: Date.now() });
    await loginThrottle.up(db);
    const row = await attempts().where({ ip: '10.10.0.1' }).first('login', 'client');
    assert.deepEqual({ login: row.login, client: row.client }, { login: 'old.style', client: 'ip:10.10.0.1' });
  });

  it('security log records details, filters by event and user, pages newest first and purges', async () => {
    const log = t.kernel.users.securityLog;
    await log.purge(new Date(Date.now() + 1000));
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
