/**
 * `npm run bench:cluster-web` (see docs/cluster-web.md): on this machine, with private
 * MariaDB and memcached instances,
 *  (a) requests failed during `portal cluster deploy` under load: 2 web nodes under pm2
 *      behind nginx, a signed-in session requesting its profile page the whole time;
 *  (b) the extra latency a dead memcached node costs: 2 memcached behind one client, 400
 *      sequential cache reads before and after one node stops (refuses) or stops answering
 *      (a blackhole: the 250 ms timeout), the slowest call and the calls slower than 50 ms;
 *  (c) the delay from a stored upload to its copy on the peer (rsync push).
 * Prints a table, writes bench/results/cluster-web-<timestamp>.json.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { MemcachedDriver } from '../core/cache/memcached-driver.js';
import { TaggedCache } from '../core/cache/tagged-cache.js';
import { UploadSync } from '../core/files/upload-sync.js';
import { deploy } from '../modules/cluster/web/deploy.js';
import { ensureDebianPackages, MARIADB, MEMCACHED, NGINX, RSYNC } from '../test/harness/debian.js';
import { HttpClient } from '../test/harness/http-client.js';
import { startLoad } from '../test/harness/loadgen.js';
import { ADMIN_PASSWORD, startWebCluster } from '../test/harness/pm2-web-cluster.js';
import { startMariaDb, startMemcached, type RunningService } from '../test/harness/services.js';
import { TcpProxy } from '../test/harness/tcp-proxy.js';
import { latencyOf, table, type Latency } from './lib.js';

const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deployUnderLoad() {
  const cluster = await startWebCluster(2);
  try {
    const c = new HttpClient(cluster.url);
    if ((await c.signIn('admin', ADMIN_PASSWORD)).status !== 302) throw new Error('sign-in through nginx failed');
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const load = startLoad({ url: `${cluster.url}/profile/`, headers: { cookie }, connections: 8, pauseMs: 10, check: (s, body) => s === 200 && body.includes('name="name"') });
    await sleep(2000);
    const started = Date.now();
    await deploy(cluster.deps);
    const seconds = (Date.now() - started) / 1000;
    await sleep(1000);
    const r = await load.stop();
    return { requests: r.requests, failed: r.errors + r.failed, deploySeconds: seconds, latency: latencyOf(r.latencies), samples: r.samples };
  } finally {
    await cluster.stop();
  }
}

async function deadMemcached(mode: 'refuse' | 'blackhole') {
  const [a, b] = await Promise.all([startMemcached(), startMemcached()]);
  const proxy = await TcpProxy.start(b.url);
  const driver = new MemcachedDriver({ servers: [a.url, proxy.address], prefix: `b${randomBytes(3).toString('hex')}:`, retryMs: 60_000 });
  const cache = new TaggedCache(driver);
  const keys = Array.from({ length: 400 }, (_, i) => `k${i}`);
  const round = async () => {
    const ms: number[] = [];
    let errors = 0;
    for (const k of keys) {
      const t = performance.now();
      try {
        await cache.remember(k, { tags: ['bench'] }, async () => k);
      } catch {
        errors++;
      }
      ms.push(performance.now() - t);
    }
    return { ms, errors };
  };
  try {
    await round();
    const before = await round();
    await proxy.cut(mode);
    const after = await round();
    return {
      mode,
      before: latencyOf(before.ms),
      after: latencyOf(after.ms),
      slowestMs: Math.round(Math.max(...after.ms)),
      over50ms: after.ms.filter((m) => m > 50).length,
      errors: after.errors,
      failedCommands: driver.stats().reduce((n, s) => n + s.failures, 0),
    };
  } finally {
    await cache.close();
    await proxy.close();
    await Promise.all([a.stop(), b.stop()]);
  }
}

async function uploadPush() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-upload-'));
  try {
    const [here, peer] = [path.join(dir, 'a'), path.join(dir, 'b')];
    mkdirSync(here);
    const sync = new UploadSync({ uploadDir: here, secret: randomBytes(16).toString('hex'), peers: async () => [{ name: 'b', uploadDir: peer, url: 'http://127.0.0.1:1' }] });
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const rel = `main/2026/12/${i}-${randomBytes(4).toString('hex')}.bin`;
      mkdirSync(path.dirname(path.join(here, rel)), { recursive: true });
      writeFileSync(path.join(here, rel), randomBytes(64 * 1024));
      const t = performance.now();
      sync.stored(rel);
      while (!existsSync(path.join(peer, rel))) await sleep(5);
      ms.push(performance.now() - t);
    }
    await sync.flush();
    return latencyOf(ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await ensureDebianPackages([MARIADB, MEMCACHED, NGINX, RSYNC]);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-cluster-web-'));
  const services: RunningService[] = [];
  try {
    const [db, mc] = await Promise.all([startMariaDb(path.join(tmp, 'mariadb')), startMemcached()]);
    services.push(db, mc);
    process.env.PORTAL_TEST_MYSQL = db.url;
    process.env.PORTAL_TEST_MEMCACHED = mc.url;
    log('deploy under load (2 web nodes, nginx)');
    const dep = await deployUnderLoad();
    log('a dead memcached node');
    const refused = await deadMemcached('refuse');
    const silent = await deadMemcached('blackhole');
    log('upload push');
    const push = await uploadPush();
    const lat = (l: Latency) => `p50 ${l.p50} / p99 ${l.p99}`;
    console.log(table([
      { measure: 'deploy under load: failed requests', value: `${dep.failed} of ${dep.requests}`, aim: '0', detail: `deploy ${dep.deploySeconds.toFixed(1)} s, ${lat(dep.latency)} ms` },
      ...[refused, silent].map((m) => ({
        measure: `dead memcached (${m.mode === 'refuse' ? 'stopped' : 'no answer'}): slowest read`,
        value: `${m.slowestMs} ms`, aim: '<= ~250 ms once',
        detail: `${m.over50ms} read(s) > 50 ms, ${m.errors} errors, ${m.failedCommands} failed command(s); before ${lat(m.before)}, after ${lat(m.after)} ms`,
      })),
      { measure: 'upload on node A on node B\'s disk', value: `p99 ${push.p99} ms`, aim: '< 3000 ms', detail: lat(push) },
    ]));
    mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
    const file = path.join(projectRoot, 'bench/results', `cluster-web-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, deploy: dep, memcached: [refused, silent], uploadPush: push }, null, 2));
    console.log(`\nJSON: ${file}`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
