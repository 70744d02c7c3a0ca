import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectionManager } from '../../core/db/connections.js';
import { ModuleDb } from '../../core/db/module-db.js';
import type { ReplicaHealth } from '../../core/db/replica-health.js';
import { newDbSession, withDbSession } from '../../core/db/read-your-writes.js';
import { startReplicatedMariaDb, type ReplicatedMariaDb } from '../harness/replication.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { bootTestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { forumPeople, makeForum, PASSWORD } from '../forum/setup.js';

const until = async (what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<number> => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
};

/** MariaDB only (replication is the engine's): a real primary and 2 replicas with GTID replication. */
describe('the read pool follows the health of real MariaDB replicas [mariadb]', function () {
  this.timeout(120_000);
  let dir: string;
  let cluster: ReplicatedMariaDb;
  let manager: ConnectionManager;
  let health: ReplicaHealth;
  let db: ModuleDb;
  let urls: string[];
  const setDelay = async (seconds: number) => {
    for (const r of cluster.replicas) {
      await cluster.query(r, 'STOP SLAVE');
      await cluster.query(r, `CHANGE MASTER TO MASTER_DELAY = ${seconds}`);
      await cluster.query(r, 'START SLAVE');
    }
  };
  /** The server that answers a plain read of a session that wrote nothing (another visitor). */
  const serverOfRead = () => withDbSession(newDbSession(), async () => Number(((await db.read('items').select(db.raw('@@server_id AS id')).first()) as { id: number }).id));

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-replicas-'));
    cluster = await startReplicatedMariaDb(dir, 2);
    await cluster.query(cluster.primary, 'CREATE DATABASE portal');
    await cluster.query(cluster.primary, 'CREATE TABLE portal.demo_items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL)');
    urls = cluster.replicas.map((r) => `${r.url}/portal`);
    await until('the schema reaches both replicas', async () => {
      for (const r of cluster.replicas) if (((await cluster.query(r, "SHOW DATABASES LIKE 'portal'")) as unknown[]).length === 0) return false;
      return true;
    }, 30_000);
    manager = new ConnectionManager({ url: `${cluster.primary.url}/portal`, modules: {}, replicas: { default: urls }, pool: { min: 0, max: 4 } });
    health = manager.watchReplicas({ intervalMs: 200, goodSamplesToRejoin: 3, maxLagSeconds: 30 });
    db = new ModuleDb('demo', manager);
    await until('both replicas join the pool', () => urls.every((u) => health.inPool(u)), 60_000);
  });
  after(async () => {
    await manager?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves plain reads from the replicas, which hold what the primary wrote', async () => {
    await db.write('items').insert({ name: 'replicated' });
    await until('the write reaches both replicas', async () => {
      for (const u of urls) if (Number((await manager.pool(u)('demo_items').count({ n: '*' }))[0]!.n) !== 1) return false;
      return true;
    }, 10_000);
    const servers = new Set<number>();
    for (let i = 0; i < 20; i++) servers.add(await serverOfRead());
    assert.ok(!servers.has(1), `no read went to the primary (server ids ${[...servers].join(', ')})`);
    const written = (await db.write('items').select(db.raw('@@server_id AS id')).first()) as { id: number };
    assert.equal(Number(written.id), 1, 'write() is the primary');
  });

  it('a stopped SQL thread takes a replica out within 2 s, it rejoins after 3 good samples, and with none left reads go to the primary', async () => {
    const [first, second] = cluster.replicas as [ReplicatedMariaDb['primary'], ReplicatedMariaDb['primary']];
    await cluster.query(first, 'STOP SLAVE SQL_THREAD');
    await until('the replica leaves the pool', () => !health.inPool(urls[0]!), 2_000);
    assert.equal(health.status().find((s) => s.url === urls[0])!.reason, 'sql_stopped');
    for (let i = 0; i < 10; i++) assert.equal(await serverOfRead(), 3, 'only the healthy replica reads');

    await cluster.query(second, 'STOP SLAVE');
    await until('the second leaves too', () => !health.inPool(urls[1]!), 2_000);
    assert.equal(await serverOfRead(), 1, 'no healthy replica: the primary answers');

    await cluster.query(first, 'START SLAVE SQL_THREAD');
    await cluster.query(second, 'START SLAVE');
    await until('both rejoin', () => urls.every((u) => health.inPool(u)), 10_000);
    assert.ok(health.status().every((s) => s.goodInARow >= 3 && s.reason === null));
  });

  it('a session reads its own writes from replicas that lag: in the same request, and later by its GTID', async () => {
    await setDelay(4);
    try {
      await until('the delayed replicas are back in the pool', () => urls.every((u) => health.inPool(u)), 10_000);
      const session = newDbSession();
      const mine = async () => (await db.read('items').where({ name: 'my own write' }).pluck('name')).length;
      await withDbSession(session, async () => {
        await db.write('items').insert({ name: 'my own write' });
        assert.equal(await mine(), 1, 'the same session sees it at once');
      });
      assert.equal(await withDbSession(newDbSession(), mine), 0, 'a read outside the session goes to a replica 4 s behind: it does not have the row yet');
      await session.pending;
      assert.match(session.gtid ?? '', /^\d+-1-\d+/, 'the primary\'s GTID after the write');
      await new Promise((r) => setTimeout(r, 2_100));
      const later = newDbSession(session.wroteAt, session.gtid);
      assert.equal(await withDbSession(later, mine), 1, 'past the 2 s window the GTID still keeps the session off replicas that lack it');
      await until('the replicas apply it after their delay', async () => (await withDbSession(newDbSession(), mine)) === 1 && urls.every((u) => health.reached(u, session.gtid!)), 15_000);
      assert.equal(await withDbSession(later, mine), 1);
    } finally {
      await setDelay(0);
    }
  });

  it('a write in a transaction counts once it commits', async () => {
    await until('the replicas are in the pool', () => urls.every((u) => health.inPool(u)), 10_000);
    const session = newDbSession();
    await withDbSession(session, () => db.transaction((tx) => tx.table('items').insert({ name: 'in a transaction' })));
    assert.equal(session.changed, true);
    assert.notEqual(session.wroteAt, null);
    await withDbSession(session, async () => {
      const server = Number(((await db.read('items').select(db.raw('@@server_id AS id')).first()) as { id: number }).id);
      assert.ok(server === 1 || health.reached(urls[server - 2]!, session.gtid ?? '9999-1-999999999'), 'the primary, or a replica that holds the write');
    });
  });

  it('over HTTP, a reply posted through the form is on the page the form goes back to while replicas are 3 s behind', async () => {
    await cluster.query(cluster.primary, 'CREATE DATABASE portal_http');
    const t = await bootTestKernel('mariadb', { overrides: { db: { url: `${cluster.primary.url}/portal_http`, replicas: { default: cluster.replicas.map((r) => `${r.url}/portal_http`) } } } });
    let server: RunningServer | undefined;
    try {
      await t.kernel.modules.install('forum');
      const people = await forumPeople(t.kernel);
      const forumId = await makeForum(t.kernel, people, 'Replicated');
      const { topic } = await t.kernel.api('forum').createTopic(people.principals.get('ann')!, { forumId, title: 'Across the cluster', body: 'first' });
      await setDelay(3);
      const kernelHealth = t.kernel.connections.watchReplicas();
      await until('the kernel\'s replicas are in its pool', () => kernelHealth.status().every((r) => r.inPool), 20_000);
      server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
      const client = new HttpClient(server.url);
      assert.ok((await client.signIn('bob', PASSWORD)).status < 400);
      const html = await (await client.get(`/forum/topic/${topic.id}/`)).text();
      const posted = await client.post(`/forum/post/reply/${topic.id}/`, { _csrf: HttpClient.csrfFrom(html), body: 'written on the primary', back: `/forum/topic/${topic.id}/` });
      assert.equal(posted.status, 303);
      const stale = await t.kernel.api('forum').messages(people.principals.get('bob')!, topic.id, {});
      assert.equal(stale.items.length, 1, 'a read without the session goes to a replica that does not have the reply yet');
      const page = await (await client.get(posted.headers.get('location')!)).text();
      assert.match(page, /written on the primary/, 'the writer sees it on the next page');
    } finally {
      await server?.close();
      await t.close();
      await setDelay(0);
    }
  });

  it('a replication error takes a replica out and says what failed', async () => {
    await until('both replicas are back in the pool after the last test restarted them', () => urls.every((u) => health.inPool(u)), 10_000);
    // A row only the first replica has, then the same key from the primary: the duplicate stops its SQL thread.
    await manager.pool(urls[0]!).raw('INSERT INTO demo_items (id, name) VALUES (100, ?)', ['only on the replica']);
    await db.write('items').insert({ id: 100, name: 'from the primary' });
    await until('the replica leaves the pool on the error', () => !health.inPool(urls[0]!), 5_000);
    // The SQL thread may show as stopped a moment before its error text is filled in: the next sample names it.
    await until('the status names the error', () => health.status().find((s) => s.url === urls[0])!.reason === 'error', 5_000);
    const state = health.status().find((s) => s.url === urls[0])!;
    assert.match(state.sample!.lastError, /Duplicate/i);
    assert.equal(health.inPool(urls[1]!), true, 'the other replica keeps serving');
  });
});
