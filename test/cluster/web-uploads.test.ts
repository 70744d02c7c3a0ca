import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UploadSync, PEER_FILE_PATH, PEER_SECRET_HEADER } from '../../core/files/upload-sync.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { discoverModules } from '../../core/modules/discover.js';
import { describeEachDb, memcachedServer } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { ensureDebianPackages, RSYNC } from '../harness/debian.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'uploads pass 42';

/**
 * Two kernels on one database and one memcached, each with an upload folder and an HTTP
 * server of its own, as two web nodes: each replicates to the other with UploadSync (rsync
 * between the folders, the peer endpoint between the servers).
 */
describeEachDb('cluster: uploads reach every web node', (kind) => {
  let t: TestKernel;
  let b: Kernel;
  let serverA: RunningServer;
  let serverB: RunningServer;
  let syncA: UploadSync;
  let syncB: UploadSync;
  let dirB: string;
  const secret = randomBytes(24).toString('hex');

  before(async function () {
    this.timeout(120_000);
    await ensureDebianPackages([RSYNC]);
    const cache = { driver: 'memcached' as const, servers: [memcachedServer()], prefix: `u${randomBytes(4).toString('hex')}:` };
    t = await bootTestKernel(kind, { overrides: { cache } });
    dirB = mkdtempSync(path.join(os.tmpdir(), 'portal-node-b-upload-'));
    b = await Kernel.boot({ ...t.env.config, paths: { ...t.env.config.paths, upload: dirB } }, { log: silentLogger(), definitions: await discoverModules() });
    serverA = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    serverB = await startServer(b, { host: '127.0.0.1', port: 0 });
    syncA = new UploadSync({ uploadDir: t.kernel.files.uploadDir, secret, peers: async () => [{ name: 'b', uploadDir: dirB, url: serverB.url }] });
    syncB = new UploadSync({ uploadDir: dirB, secret, peers: async () => [{ name: 'a', uploadDir: t.kernel.files.uploadDir, url: serverA.url }] });
    t.kernel.files.setReplicator(syncA);
    b.files.setReplicator(syncB);
    await t.kernel.users.create({ login: 'uploader', email: 'up@example.com', password: PASSWORD, name: 'Uploader' });
  });
  after(async () => {
    await serverA?.close();
    await serverB?.close();
    await b?.close();
    await t?.close();
    if (dirB) rmSync(dirB, { recursive: true, force: true });
  });

  async function signedInOnB(): Promise<HttpClient> {
    const c = new HttpClient(serverB.url);
    assert.equal((await c.signIn('uploader', PASSWORD)).status, 302);
    return c;
  }

  it('a file stored on node A is pushed to node B\'s disk right after the write, and node B serves it', async function () {
    this.timeout(30_000);
    const bytes = randomBytes(5000);
    const file = await t.kernel.files.save({ module: 'main', name: 'report.pdf', buffer: bytes, mimeType: 'application/pdf' });
    const onB = path.join(dirB, file.path);
    const started = Date.now();
    while (!existsSync(onB) && Date.now() - started < 10_000) await sleep(25);
    // No timed assertion here (a shared, loaded machine): bench/cluster-web.ts measures the delay.
    assert.ok(existsSync(onB), 'the push reached node B');
    assert.deepEqual(readFileSync(onB), bytes);
    const c = await signedInOnB();
    const res = await c.get(t.kernel.files.url(file));
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
  });

  it('a file node B does not have yet is fetched from node A, not answered 404; rights still apply', async () => {
    t.kernel.files.setReplicator(undefined); // this upload is not pushed
    const bytes = randomBytes(3000);
    const file = await t.kernel.files.save({ module: 'main', name: 'late.txt', buffer: bytes, mimeType: 'text/plain' });
    t.kernel.files.setReplicator(syncA);
    assert.equal(existsSync(path.join(dirB, file.path)), false);
    const anonymous = await new HttpClient(serverB.url).get(t.kernel.files.url(file));
    assert.notEqual(anonymous.status, 200, 'an anonymous visitor still gets no file');
    const c = await signedInOnB();
    const res = await c.get(t.kernel.files.url(file));
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    assert.deepEqual(readFileSync(path.join(dirB, file.path)), bytes, 'node B keeps its copy');
  });

  it('the peer endpoint answers only with the shared secret, and only inside the upload folder', async () => {
    const file = await t.kernel.files.save({ module: 'main', name: 'p.txt', buffer: Buffer.from('peer'), mimeType: 'text/plain' });
    const url = `${serverA.url}${PEER_FILE_PATH}${file.path}`;
    assert.equal((await fetch(url)).status, 403);
    assert.equal((await fetch(url, { headers: { [PEER_SECRET_HEADER]: 'x'.repeat(secret.length) } })).status, 403);
    const good = await fetch(url, { headers: { [PEER_SECRET_HEADER]: secret } });
    assert.equal(good.status, 200);
    assert.equal(await good.text(), 'peer');
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', '%2E%2E/%2E%2E/etc/passwd', '.tmp/x', 'nope/none.txt']) {
      assert.equal((await fetch(`${serverA.url}${PEER_FILE_PATH}${bad}`, { headers: { [PEER_SECRET_HEADER]: secret } })).status, 404, bad);
    }
  });

  it('the checksum audit repairs a node that missed a file or holds a damaged copy', async () => {
    await syncA.flush();
    const missed = await t.kernel.files.save({ module: 'main', name: 'missed.txt', buffer: Buffer.from('missed'), mimeType: 'text/plain' });
    const damaged = await t.kernel.files.save({ module: 'main', name: 'damaged.txt', buffer: Buffer.from('original'), mimeType: 'text/plain' });
    await syncA.flush();
    unlinkSync(path.join(dirB, missed.path));
    const { writeFileSync, utimesSync, statSync } = await import('node:fs');
    const target = path.join(dirB, damaged.path);
    const st = statSync(target);
    writeFileSync(target, 'ORIGINAL'); // same size and time: only a checksum sees it
    utimesSync(target, st.atime, st.mtime);
    const result = await syncA.audit();
    assert.deepEqual(result.failed, []);
    const repaired = result.repaired.find((r) => r.peer === 'b')?.files ?? [];
    assert.ok(repaired.includes(missed.path) && repaired.includes(damaged.path), repaired.join(', '));
    assert.equal(readFileSync(path.join(dirB, missed.path), 'utf8'), 'missed');
    assert.equal(readFileSync(target, 'utf8'), 'original');
    assert.deepEqual((await syncA.audit()).repaired, [], 'a second audit has nothing to do');
  });
});
