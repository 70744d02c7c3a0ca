import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createKnex } from '../../core/db/connections.js';
import { parseDbUrl } from '../../core/db/db-url.js';
import { PortalError } from '../../core/errors/portal-error.js';
import { LockService } from '../../core/locks/lock-service.js';
import { createTestEnv, describeEachDb, type TestEnv } from '../harness/db-matrix.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDb('LockService', (kind) => {
  let env: TestEnv;
  let knex: Knex;
  let a: LockService;
  let b: LockService;

  before(async () => {
    env = await createTestEnv(kind);
    knex = createKnex(parseDbUrl(env.config.db.url));
    await LockService.ensureTable(knex);
    a = new LockService(knex, 'owner-a');
    b = new LockService(knex, 'owner-b');
  });

  after(async () => {
    await knex.destroy();
    await env.cleanup();
  });

  it('acquires and releases a lock', async () => {
    const lease = await a.acquire('acq', 10_000);
    assert.ok(lease);
    assert.equal(lease.owner, 'owner-a');
    assert.equal((await a.holder('acq'))?.owner, 'owner-a');
    await a.release(lease);
    assert.equal(await a.holder('acq'), null);
    const again = await b.acquire('acq', 10_000);
    assert.equal(again?.owner, 'owner-b');
    await b.release(again!);
  });

  it('blocks a second owner while the lease is valid, but lets the holder re-acquire', async () => {
    const lease = await a.acquire('busy', 10_000);
    assert.ok(lease);
    assert.equal(await b.acquire('busy', 10_000), null);
    assert.ok(await a.acquire('busy', 10_000), 'the holder may take its own lock again');
    await b.release({ name: 'busy', owner: 'owner-b', expiresAt: 0 }); // not the holder: no effect
    assert.equal((await a.holder('busy'))?.owner, 'owner-a');
    await a.release(lease);
  });

  it('lets another owner take over an expired lease; the old holder cannot extend it', async () => {
    const old = await a.acquire('expire', 50);
    assert.ok(old);
    await sleep(80);
    assert.equal(await a.holder('expire'), null);
    const taken = await b.acquire('expire', 10_000);
    assert.equal(taken?.owner, 'owner-b');
    assert.equal(await a.extend(old, 10_000), false);
    await a.release(old); // releasing a lost lease must not drop the new holder's
    assert.equal((await a.holder('expire'))?.owner, 'owner-b');
    await b.release(taken!);
  });

  it('extends a held lease', async () => {
    const lease = await a.acquire('extend', 1000);
    assert.ok(lease);
    const before = lease.expiresAt;
    assert.equal(await a.extend(lease, 60_000), true);
    assert.ok(lease.expiresAt >= before + 50_000);
    assert.equal((await a.holder('extend'))?.expiresAt, lease.expiresAt);
    await a.release(lease);
  });

  it('gives a free lock to exactly one of many racing owners', async () => {
    const owners = Array.from({ length: 10 }, (_, i) => new LockService(knex, `racer-${i}`));
    const leases = await Promise.all(owners.map((o) => o.acquire('race', 10_000)));
    const won = leases.filter((l) => l !== null);
    assert.equal(won.length, 1);
    assert.equal((await a.holder('race'))?.owner, won[0]!.owner);
    await a.release(won[0]!);
  });

  it('withLock throws CONFLICT with the busy message when the lock is held', async () => {
    const lease = await a.acquire('with-busy', 10_000);
    let ran = false;
    await assert.rejects(
      b.withLock('with-busy', async () => { ran = true; }, { waitMs: 0, busyMessage: 'someone else is migrating' }),
      (err: unknown) => err instanceof PortalError && err.code === 'CONFLICT' && err.status === 409 && err.message === 'someone else is migrating',
    );
    assert.equal(ran, false);
    await a.release(lease!);
  });

  it('withLock waits up to waitMs for the lock, then runs and releases it', async () => {
    const lease = await a.acquire('with-wait', 10_000);
    setTimeout(() => void a.release(lease!), 150);
    const result = await b.withLock('with-wait', async () => (await b.holder('with-wait'))?.owner, { waitMs: 3000 });
    assert.equal(result, 'owner-b');
    assert.equal(await a.holder('with-wait'), null);
  });

  it('withLock releases the lock when fn throws', async () => {
    await assert.rejects(b.withLock('with-throw', async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await a.holder('with-throw'), null);
  });

  it('withLock renews the lease while fn runs longer than the ttl', async () => {
    const ttlMs = 1200;
    let firstExpiry = 0;
    await b.withLock('with-renew', async () => {
      firstExpiry = (await a.holder('with-renew'))!.expiresAt;
      await sleep(1450); // past the first expiry; the renewal at ~1 s keeps it
      const holder = await a.holder('with-renew');
      assert.equal(holder?.owner, 'owner-b');
      assert.ok(holder.expiresAt > firstExpiry, 'expiry moved forward');
      assert.equal(await a.acquire('with-renew', 10_000), null);
    }, { ttlMs });
    assert.ok(firstExpiry > 0);
    assert.equal(await a.holder('with-renew'), null);
  });
});
