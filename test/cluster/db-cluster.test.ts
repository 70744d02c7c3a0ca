import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../core/config/load-config.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { installPortal } from '../../installer/install.js';
import { startReplicatedMariaDb, type ReplicatedMariaDb } from '../harness/replication.js';
import { startMariaDb, type RunningService } from '../harness/services.js';
import { freePort } from '../harness/free-port.js';
import { memcachedServer } from '../harness/db-matrix.js';
import { assertOneLineError, ok, runCli } from '../cli/cli-harness.js';
import { stopLocal } from '../../modules/cluster/local-mariadb.js';
import type { ClusterStatus } from '../../modules/cluster/status.js';

const until = async (what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * MariaDB only (replication is the engine's): a primary with a binlog, an empty server for --url, and the
 * replica `--local` starts itself; a kernel in this process plays a web node and keeps writing.
 */
describe('portal cluster: replicas, switchover, registry [mariadb]', function () {
  this.timeout(240_000);
  let dir: string;
  let db: ReplicatedMariaDb;
  let spare: RunningService;
  let env: Record<string, string>;
  let kernel: Kernel;
  let localDir: string | null = null;
  const cli = (...args: string[]) => runCli(['cluster', ...args], env, { timeoutMs: 180_000 });
  const status = async () => JSON.parse(ok(await cli('status', '--json'))) as ClusterStatus;
  const onServer = async (url: string, sql: string): Promise<Record<string, unknown>[]> => {
    const c = await mysql.createConnection(url);
    try {
      return (await c.query(sql))[0] as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };

  /** Inserts rows with increasing seq through the kernel's module handle; a failed insert is retried with the same seq. */
  let runs = 0;
  function writeGenerator() {
    const wdb = kernel.db('wgen');
    const run = ++runs;
    let stop = false;
    let acked = 0;
    let retried = 0;
    const done = (async () => {
      for (let seq = 1; !stop; seq++) {
        for (;;) {
          try {
            await wdb.write('rows').insert({ run, seq });
            acked = seq;
            break;
          } catch {
            retried++;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    return { run, stop: async () => ((stop = true), await done, { acked, retried }) };
  }

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-cluster-'));
    db = await startReplicatedMariaDb(path.join(dir, 'db'), 0);
    spare = await startMariaDb(path.join(dir, 'spare'), { serverId: 7, bufferPool: '32M' });
    env = { PORTAL_VAR_DIR: path.join(dir, 'var'), PORTAL_DB_URL: `${db.primary.url}/portal` };
    await installPortal({ env, adminPassword: 'Admin-pass-123', modules: ['cluster'] });
    kernel = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
    await kernel.db('wgen').schema.createTable('wgen_rows', (t) => {
      t.increments('id');
      t.integer('run').notNullable();
      t.integer('seq').notNullable();
    });
  });
  after(async () => {
    await kernel?.close();
    if (localDir) await stopLocal(localDir, false);
    await spare?.stop();
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('status --json on one server: the primary, no replicas, reads on the primary', async () => {
    const s = await status();
    assert.equal(s.database.engine, 'mariadb');
    assert.equal(s.database.primary?.reachable, true);
    assert.equal(s.database.primary?.readOnly, false);
    assert.match(s.database.primary?.gtidBinlogPos ?? '', /^0-1-\d+$/);
    assert.deepEqual(s.database.replicas, []);
    assert.equal(s.database.readsGoTo, 'primary');
  });

  it('a cache node added by another process reaches this one through the hook within 1 s', async () => {
    const seen: string[][] = [];
    const off = kernel.api('cluster').watcher.onCacheNodes((a) => seen.push(a));
    try {
      const out = ok(await cli('node', 'add', 'cache', '--host', memcachedServer().split(':')[0]!, '--port', memcachedServer().split(':')[1]!));
      await until('the hook hears of the new node', () => seen.some((a) => a.includes(memcachedServer())), 1000);
      const s = await status();
      const node = s.cache.nodes.find((c) => c.address === memcachedServer())!;
      assert.equal(node.up, true);
      assert.equal(typeof node.hits, 'number');
      const id = /Node (\d+)/.exec(out)![1]!;
      ok(await cli('node', 'remove', id));
      await until('and of its removal', () => seen.at(-1)?.length === 0, 1000);
      assertOneLineError(await cli('node', 'add', 'cache', '--host', '127.0.0.1', '--port', String(await freePort())), /Cannot reach memcached/);
    } finally {
      off();
    }
  });

  it('bad input for a new replica is one line, a non-zero exit, and nothing changed', async () => {
    const epoch = async () => kernel.api('cluster').registry.epoch();
    const before = await epoch();
    const spareUrl = new URL(spare.url);
    const closed = await freePort();
    assertOneLineError(await cli('node', 'add', 'db-replica', '--url', `mysql://portal:portal@127.0.0.1:${closed}`), /Cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) \[CLUSTER_UNREACHABLE\]/);
    assertOneLineError(await cli('node', 'add', 'db-replica', '--url', `mysql://portal:wrong@127.0.0.1:${spareUrl.port}`), /wrong user or password \[CLUSTER_ACCESS_DENIED\]/);
    const liar = net.createServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
    try {
      const port = (liar.address() as net.AddressInfo).port;
      assertOneLineError(await cli('node', 'add', 'db-replica', '--url', `mysql://portal:portal@127.0.0.1:${port}`), /not a MariaDB server \[CLUSTER_NOT_MARIADB\]/);
    } finally {
      liar.close();
    }
    await onServer(spare.url, 'CREATE DATABASE crm');
    assertOneLineError(await cli('node', 'add', 'db-replica', '--url', spare.url), /has the database crm \[CLUSTER_NOT_EMPTY\]/);
    await onServer(spare.url, 'DROP DATABASE crm');
    await onServer(spare.url, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=1");
    assertOneLineError(await cli('node', 'add', 'db-replica', '--url', spare.url), /\[CLUSTER_ALREADY_REPLICA\]/);
    await onServer(spare.url, "RESET SLAVE ALL");
    assertOneLineError(await cli('node', 'add', 'db-replica', '--local', '--port', new URL(db.primary.url).port), /in use already \[CLUSTER_PORT_IN_USE\]/);
    assertOneLineError(await cli('node', 'add', 'db-replica'), /--url .* or --local --port P \[CLUSTER_BAD_INPUT\]/);
    assert.equal(await epoch(), before, 'the registry did not change');
    assert.equal((await onServer(spare.url, "SHOW DATABASES LIKE 'portal'")).length, 0, 'the spare server holds nothing of ours');
    assert.equal((await onServer(spare.url, 'SHOW SLAVE STATUS')).length, 0);
  });

  it('node add db-replica --local seeds a new mariadbd under writes, checks it and adds it to the read pool', async () => {
    const gen = writeGenerator();
    const port = await freePort();
    const r = await cli('node', 'add', 'db-replica', '--local', '--port', String(port));
    await gen.stop();
    const out = ok(r);
    assert.match(out, /Node \d+: replica 127\.0\.0\.1:\d+ added/);
    assert.match(r.stderr, /seeded: [\d.]+ MB/);
    assert.match(r.stderr, /checksums equal: \d+ tables/);
    localDir = path.join(env.PORTAL_VAR_DIR!, 'cluster', `mariadb-${port}`);
    assert.ok(existsSync(path.join(localDir, 'data')));
    const health = () => kernel.connections.watchReplicas();
    await until('this node reads from the new replica', () => kernel.connections.replicaUrls().length === 1 && health().status().every((s) => s.inPool), 15_000);
    const s = await status();
    assert.equal(s.database.replicas.length, 1);
    const rep = s.database.replicas[0]!;
    assert.equal(rep.state, 'ramping');
    assert.ok(rep.ioRunning && rep.sqlRunning && rep.lagSeconds !== null);
    assert.ok(rep.effectiveWeight >= 1 && rep.effectiveWeight <= rep.weight, 'a new replica ramps its weight');
  });

  it('node add db-replica --url adds an empty server the same way; the primary cannot be removed', async () => {
    const out = ok(await cli('node', 'add', 'db-replica', '--url', spare.url));
    assert.match(out, /replica 127\.0\.0\.1:\d+ added/);
    await until('both replicas serve this node', () => kernel.connections.replicaUrls().length === 2, 2_000);
    const primary = (await kernel.api('cluster').registry.list('db-primary'))[0]!;
    assertOneLineError(await cli('node', 'remove', String(primary.id)), /the DB primary.*switchover --to <replica> first \[CLUSTER_REMOVE_REFUSED\]/);
  });

  it('switchover under writes: no write lost or applied twice, every node follows the new primary', async () => {
    const spareAddress = `127.0.0.1:${new URL(spare.url).port}`;
    const gen = writeGenerator();
    await new Promise((r) => setTimeout(r, 1000));
    const r = await cli('switchover', '--to', spareAddress);
    await new Promise((r) => setTimeout(r, 1000));
    const { acked, retried } = await gen.stop();
    const out = ok(r);
    assert.match(out, new RegExp(`Switched over: ${spareAddress.replace(/\./g, '\\.')} is the primary`));
    assert.equal(new URL(kernel.connections.current().url).port, new URL(spare.url).port, 'this node writes to the new primary');
    const newPrimary = `${spare.url}/portal`;
    const count = await onServer(newPrimary, `SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MAX(seq) AS m FROM wgen_rows WHERE run = ${gen.run}`);
    assert.equal(Number(count[0]!.n), acked, `every acknowledged write is there once (${retried} retried)`);
    assert.equal(Number(count[0]!.d), acked);
    assert.equal(Number(count[0]!.m), acked);
    const pos = String((await onServer(spare.url, 'SELECT @@gtid_binlog_pos AS p'))[0]!.p);
    const servers = [db.primary.url, `mysql://portal:portal@127.0.0.1:${path.basename(localDir!).split('-')[1]}`];
    for (const s of servers) {
      assert.equal(Number((await onServer(s, `SELECT MASTER_GTID_WAIT('${pos}', 30) AS w`))[0]!.w), 0, `${s} replicates from the new primary`);
    }
    const sum = async (url: string) => String((await onServer(url, 'CHECKSUM TABLE portal.wgen_rows'))[0]!.Checksum);
    const expected = await sum(spare.url);
    for (const s of servers) assert.equal(await sum(s), expected, `${s} holds the same rows`);
    const st = await status();
    assert.equal(st.database.primary?.address, spareAddress);
    assert.equal(st.database.replicas.length, 2);
    for (const rep of st.database.replicas) assert.ok(rep.ioRunning && rep.sqlRunning && !rep.lastError, `${rep.address} replicates cleanly`);
  });
});
