import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { SessionStore } from '../../core/sessions/session-store.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describeEachDb('sessions', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind);
  });
  after(async () => {
    await t?.close();
  });

  it('creates sessions with random ids and CSRF tokens, storing only the id hash', async () => {
    const { sessions } = t.kernel;
    const s = await sessions.create({ userId: null, ip: '192.0.2.1', userAgent: 'Mocha', data: { lang: 'ru' } });
    assert.match(s.id, /^[A-Za-z0-9_-]{43}$/);
    assert.match(s.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(s.id, s.csrfToken);
    assert.ok(s.expiresAt.getTime() > Date.now());
    const rows = await t.kernel.db('main').write('sessions').select('*');
    assert.ok(rows.some((r: { id_hash: string }) => r.id_hash === sha256(s.id)));
    assert.ok(!JSON.stringify(rows).includes(s.id), 'the clear id is never stored');
    const loaded = await sessions.load(s.id);
    assert.deepEqual({ ...loaded, expiresAt: undefined }, { ...s, expiresAt: undefined });
    assert.equal(await sessions.load('no-such-session'), null);
    assert.equal(await sessions.load(''), null);
    assert.equal(await sessions.load('x'.repeat(1000)), null);
  });

  it('saves data, user and CSRF token', async () => {
    const { sessions } = t.kernel;
    const s = await sessions.create({ userId: null });
    s.data.cart = [1, 2];
    s.csrfToken = 'fresh-token';
    await sessions.save(s);
    const loaded = await sessions.load(s.id);
    assert.deepEqual(loaded?.data, { cart: [1, 2] });
    assert.equal(loaded?.csrfToken, 'fresh-token');
  });

  it('rotates on sign-in: new id and CSRF token, same data, old id dead', async () => {
    const { sessions, users } = t.kernel;
    const u = await users.create({ login: 'session.user', email: 'su@example.com' });
    const anon = await sessions.create({ userId: null, ip: '192.0.2.7', userAgent: 'UA', data: { returnTo: '/x' } });
    const rotated = await sessions.rotate(anon, u.id);
    assert.notEqual(rotated.id, anon.id);
    assert.notEqual(rotated.csrfToken, anon.csrfToken);
    assert.equal(rotated.userId, u.id);
    assert.equal(await sessions.load(anon.id), null);
    const loaded = await sessions.load(rotated.id);
    assert.equal(loaded?.userId, u.id);
    assert.deepEqual(loaded?.data, { returnTo: '/x' });
    const row = await t.kernel.db('main').write('sessions').where({ id_hash: sha256(rotated.id) }).first();
    assert.equal(row.ip, '192.0.2.7', 'client info carried over');
  });

  it('expires sessions, slides the expiry at most once a minute and purges expired rows', async () => {
    const db = t.kernel.db('main');
    const store = new SessionStore({ db, ttlSeconds: 3600 });
    const s = await store.create({ userId: null });
    const hash = sha256(s.id);
    // Seen two minutes ago: load slides the expiry forward.
    const past = Date.now() - 120_000;
    await db.write('sessions').where({ id_hash: hash }).update({ last_seen_at: past, expires_at: past + 3_600_000 });
    const loaded = await store.load(s.id);
    const row = await db.write('sessions').where({ id_hash: hash }).first();
    assert.ok(Number(row.last_seen_at) > past);
    assert.ok(Number(row.expires_at) >= Date.now() + 3_590_000);
    assert.equal(loaded?.expiresAt.getTime(), Number(row.expires_at));
    // Seen just now: no write.
    await store.load(s.id);
    assert.equal(Number((await db.write('sessions').where({ id_hash: hash }).first()).last_seen_at), Number(row.last_seen_at));
    // Expired: gone.
    await db.write('sessions').where({ id_hash: hash }).update({ expires_at: Date.now() - 1 });
    assert.equal(await store.load(s.id), null);
    const stale = await store.create({ userId: null });
    await db.write('sessions').where({ id_hash: sha256(stale.id) }).update({ expires_at: Date.now() - 1 });
    const live = await store.create({ userId: null });
    assert.ok((await store.purgeExpired()) >= 1);
    assert.equal(await db.write('sessions').where({ id_hash: sha256(stale.id) }).first(), undefined);
    assert.ok(await store.load(live.id));
  });

  it('destroys one session or every session of a user', async () => {
    const { sessions, users } = t.kernel;
    const u = await users.create({ login: 'many.sessions', email: 'ms@example.com' });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => sessions.create({ userId: u.id })));
    const other = await sessions.create({ userId: null });
    await sessions.destroy(a!.id);
    assert.equal(await sessions.load(a!.id), null);
    assert.equal(await sessions.destroyForUser(u.id, c!.id), 1);
    assert.equal(await sessions.load(b!.id), null);
    assert.ok(await sessions.load(c!.id), 'the excepted session survives');
    await sessions.destroyForUser(u.id);
    assert.equal(await sessions.load(c!.id), null);
    assert.ok(await sessions.load(other.id), 'other users are untouched');
  });
});
