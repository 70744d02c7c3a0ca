import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../../core/config/paths.js';
import { createTestDatabase, memcachedServer, type DbKind, type TestDatabase } from '../harness/db-matrix.js';
import { ensureDebianPackages, LOGROTATE } from '../harness/debian.js';
import { freePort } from '../harness/free-port.js';
import { socketErrors, startWrk } from '../harness/wrk.js';
import { assertOneLineError, childEnv, ok, runCli } from './cli-harness.js';

interface Proc {
  pmId: number;
  pid: number;
  status: string;
  mode: string;
  restarts: number;
}

const CONNECTIONS = 16;
/** Each connection pauses this long between requests: up to 640 requests/s, and idle gaps a reload must not cut. */
const LOAD_DELAY_MS = 25;

/**
 * The production path: a portal on MariaDB and memcached under a pm2 daemon of its own (private
 * PM2_HOME in a temp dir, killed in `after` whatever happened), two instances in cluster mode,
 * wrk keeping 16 keep-alive connections busy on /readyz (DB and cache) during the operations
 * (probes are not logged; the logs test requests pages).
 */
interface Pm2Portal {
  /** The test's temp dir (var dir, pm2 home and scratch files below it). */
  dir: string;
  env: Record<string, string>;
  url: string;
  cli(args: string[], timeoutMs?: number): ReturnType<typeof runCli>;
  /** `portal status --json`, by pm2 id; every pid seen is killed in `after` should pm2 leave one. */
  processes(): Promise<Proc[]>;
  /** The log file's lines, each parsed (a line that is not JSON fails the test). */
  logLines(): Record<string, unknown>[];
}

/**
 * Before the suite: a fresh var dir, database and private PM2_HOME, `portal install` and
 * `portal start --daemon`; after it (also on failure) pm2 and every process it ran are killed.
 */
function pm2Portal(kind: DbKind, cache: 'memory' | 'memcached', instances: number): Pm2Portal {
  let db: TestDatabase | undefined;
  const seenPids = new Set<number>();
  const t: Pm2Portal = {
    dir: '',
    env: {},
    url: '',
    cli: (args, timeoutMs = 120_000) => runCli(args, t.env, { timeoutMs }),
    processes: async () => {
      const r = await t.cli(['status', '--json']);
      const list = (JSON.parse(r.stdout) as { processes: Proc[] }).processes.sort((a, b) => a.pmId - b.pmId);
      for (const p of list) if (p.pid) seenPids.add(p.pid);
      return list;
    },
    logLines: () =>
      readFileSync(path.join(t.env.PORTAL_VAR_DIR!, 'log', 'portal.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
  };

  before(async function () {
    this.timeout(240_000);
    const dir = (t.dir = mkdtempSync(path.join(os.tmpdir(), 'portal-pm2-')));
    db = await createTestDatabase(kind, dir);
    const port = await freePort();
    t.url = `http://127.0.0.1:${port}`;
    t.env = {
      PORTAL_VAR_DIR: path.join(dir, 'var'),
      PM2_HOME: path.join(dir, 'pm2'),
      PORTAL_HTTP_PORT: String(port),
      PORTAL_LOG_LEVEL: 'debug', // request lines
      PORTAL_AGENTS_IN_WEB: '0',
    };
    const cacheUrl = cache === 'memory' ? 'memory' : `memcached://${memcachedServer()}`;
    ok(await t.cli(['install', '-y', '--db', db.url, '--cache', cacheUrl, '--admin-password', 'Admin-pass-123', '--modules', '']));
    const started = ok(await t.cli(['start', '--daemon', '--instances', String(instances)], 180_000));
    assert.match(started, new RegExp(`running under pm2 \\(${instances} instances?\\) at ${t.url}`));
  });

  after(async function () {
    this.timeout(90_000);
    if (t.env.PM2_HOME) await killPm2(t.env, seenPids);
    await db?.drop();
    if (t.dir) rmSync(t.dir, { recursive: true, force: true });
  });
  return t;
}

describe('portal under pm2 (MariaDB, memcached, 2 instances): start --daemon, status, reload and kill -9 under load, logs, stop', function () {
  const t = pm2Portal('mariadb', 'memcached', 2);
  const { cli, processes, logLines } = t;
  let env: Record<string, string>;
  let url: string;
  let dir: string;
  before(() => {
    ({ env, url, dir } = t);
  });

  it('status lists two online instances in cluster mode, and the portal answers', async () => {
    const list = await processes();
    assert.equal(list.length, 2);
    assert.deepEqual(list.map((p) => [p.status, p.mode]), [['online', 'cluster'], ['online', 'cluster']]);
    assert.notEqual(list[0]!.pid, list[1]!.pid);
    const res = await fetch(`${url}/readyz`);
    assert.equal(res.status, 200, await res.text());
  });

  it('reload under load replaces both instances and fails no request (0 socket errors, 0 non-2xx)', async function () {
    this.timeout(180_000);
    const before = await processes();
    const load = await startWrk(`${url}/readyz`, { connections: CONNECTIONS, maxSeconds: 150, delayMs: LOAD_DELAY_MS });
    let figures;
    try {
      await sleep(1000);
      const r = await cli(['reload'], 150_000);
      assert.match(ok(r), /Portal reloaded \(2 processes\)/);
      await sleep(1000);
    } finally {
      figures = await load.stop();
    }
    console.log(`      reload under load: ${figures.requests} requests, socket errors ${JSON.stringify(figures.errors)}, non-2xx ${figures.non2xx}`);
    assert.equal(socketErrors(figures), 0, figures.report);
    assert.equal(figures.non2xx, 0, figures.report);
    assert.ok(figures.requests > 0, figures.report);
    const after = await processes();
    assert.deepEqual(after.map((p) => p.status), ['online', 'online']);
    for (const p of after) assert.ok(!before.some((b) => b.pid === p.pid), `instance ${p.pmId} was replaced`);
    // The old instances drained and said so.
    const stopped = new Set(logLines().filter((l) => l.msg === 'portal stopped').map((l) => l.pid));
    for (const b of before) assert.ok(stopped.has(b.pid), `old instance ${b.pid} logged 'portal stopped'`);
  });

  it('kill -9 of one worker under load: only its connections fail, the other keeps answering, pm2 starts a new one', async function () {
    this.timeout(120_000);
    const [victim, survivor] = await processes();
    const load = await startWrk(`${url}/readyz`, { connections: CONNECTIONS, maxSeconds: 100, delayMs: LOAD_DELAY_MS });
    let figures;
    let replacement: Proc | undefined;
    try {
      await sleep(1500);
      process.kill(victim!.pid, 'SIGKILL');
      // While pm2 starts the replacement, the survivor serves every new connection.
      const deadline = Date.now() + 90_000;
      while (!replacement && Date.now() < deadline) {
        await sleep(500);
        replacement = (await processes()).find((p) => p.pmId === victim!.pmId && p.pid !== victim!.pid && p.status === 'online');
      }
      await sleep(1000);
    } finally {
      figures = await load.stop();
    }
    // Requests in flight on the killed process die with it: at most one per connection it held.
    console.log(`      kill -9 of one of 2 workers, ${CONNECTIONS} connections: ${figures.requests} requests, socket errors ${JSON.stringify(figures.errors)}, non-2xx ${figures.non2xx}`);
    assert.ok(replacement, 'pm2 started a replacement');
    assert.ok(socketErrors(figures) < CONNECTIONS, `the survivor's connections did not fail\n${figures.report}`);
    assert.equal(figures.non2xx, 0, figures.report);
    const list = await processes();
    assert.deepEqual(list.map((p) => p.status), ['online', 'online']);
    assert.equal(list.find((p) => p.pmId === survivor!.pmId)!.pid, survivor!.pid, 'the other worker was not touched');
    for (let i = 0; i < 6; i++) assert.equal(await freshGet(`${url}/readyz`), 200);
  });

  it('logs shows the JSON lines of both instances (startup and requests), --lines N and --follow', async function () {
    this.timeout(60_000);
    const pids = (await processes()).map((p) => p.pid);
    // New connections each: the cluster master hands them round-robin to both instances.
    for (let i = 0; i < 10; i++) assert.ok((await freshGet(`${url}/`)) < 400);
    await sleep(500); // pino writes asynchronously
    const lines = ok(await cli(['logs', '--lines', '100000'])).trimEnd().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as { pid: number; msg: string; path?: string });
    for (const pid of pids) {
      assert.ok(parsed.some((l) => l.pid === pid && l.msg === 'portal listening'), `startup line of ${pid}`);
      assert.ok(parsed.some((l) => l.pid === pid && l.msg === 'request' && l.path === '/'), `request line of ${pid}`);
    }
    assert.equal(ok(await cli(['logs', '--lines', '3'])).trimEnd().split('\n').length, 3);

    const follow = followLogs(env);
    try {
      const marker = `/follow-${Date.now()}/`;
      const deadline = Date.now() + 30_000;
      while (!follow.output().includes(`"path":"${marker}"`) && Date.now() < deadline) {
        await freshGet(`${url}${marker}`);
        await sleep(300);
      }
      assert.ok(follow.output().includes(`"path":"${marker}"`), `a request made after \`logs --follow\` started shows up:\n${follow.output()}`);
    } finally {
      await follow.stop();
    }
  });

  it('logrotate with the documented config (copytruncate): both instances go on at the start of the emptied file, logs --follow too', async function () {
    this.timeout(90_000);
    await ensureDebianPackages([LOGROTATE]);
    const logFile = path.join(env.PORTAL_VAR_DIR!, 'log', 'portal.log');
    const conf = path.join(dir, 'logrotate.conf');
    const documented = readFileSync(path.join(projectRoot, 'docs/examples/logrotate/portal'), 'utf8');
    assert.ok(documented.includes('/srv/portal/var/log/portal.log {'));
    writeFileSync(conf, documented.replace('/srv/portal/var/log/portal.log', logFile), { mode: 0o644 });
    const pids = (await processes()).map((p) => p.pid);
    const follow = followLogs(env);
    try {
      await sleep(1500); // --follow has printed its last line and polls
      const sizeBefore = statSync(logFile).size;
      const r = await execa(LOGROTATE.file, ['-f', '-s', path.join(dir, 'logrotate.state'), conf], { reject: false });
      assert.equal(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
      assert.ok(statSync(`${logFile}.1`).size >= sizeBefore, 'the old lines are in portal.log.1');
      const marker = `/rotated-${Date.now()}/`;
      for (let i = 0; i < 10; i++) await freshGet(`${url}${marker}`);
      await waitFor(() => pids.every((pid) => readFileSync(logFile, 'utf8').includes(`"pid":${pid},`)), 20_000);
      const text = readFileSync(logFile, 'utf8');
      assert.doesNotMatch(text, /\0/, 'no hole of NUL bytes: the writers append');
      const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { pid: number; path?: string });
      for (const pid of pids) assert.ok(lines.some((l) => l.pid === pid && l.path === marker), `${pid} wrote to the new file`);
      await waitFor(() => follow.output().includes(`"path":"${marker}"`), 10_000);
    } finally {
      await follow.stop();
    }
  });

  it('stop ends every process after it drained; status then says NOT_RUNNING and logs still shows what happened', async function () {
    this.timeout(60_000);
    const pids = (await processes()).map((p) => p.pid);
    assert.match(ok(await cli(['stop'])), /Portal stopped \(2 processes\)/);
    for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} ended`);
    assertOneLineError(await cli(['status']), /\[NOT_RUNNING\]$/);
    await sleep(300);
    const stopped = new Set(logLines().filter((l) => l.msg === 'portal stopped').map((l) => l.pid));
    for (const pid of pids) assert.ok(stopped.has(pid), `${pid} logged 'portal stopped'`);
    assert.ok(ok(await cli(['logs', '--lines', '5'])).includes('portal stopped'));
  });
});

/** The in-process cache allows one process: pm2's fork mode, where a reload is a restart and says so. */
describe('portal under pm2 with the in-process cache (SQLite, 1 instance): fork mode, reload is a restart', function () {
  const t = pm2Portal('sqlite', 'memory', 1);

  it('runs one process in fork mode; reload says it restarted it, and the log has both processes', async function () {
    this.timeout(120_000);
    const [before] = await t.processes();
    assert.equal(before!.mode, 'fork');
    const out = ok(await t.cli(['reload']));
    assert.match(out, /^Portal restarted \(1 process in fork mode: it did not answer while it started; with memcached it runs in cluster mode and reloads without downtime\)\.$/m);
    const [after] = await t.processes();
    assert.equal(after!.status, 'online');
    assert.notEqual(after!.pid, before!.pid);
    assert.equal(await freshGet(`${t.url}/readyz`), 200);
    await sleep(300);
    const lines = t.logLines();
    assert.ok(lines.some((l) => l.pid === before!.pid && l.msg === 'portal stopped'), 'the old process drained and logged it');
    assert.ok(lines.some((l) => l.pid === after!.pid && l.msg === 'portal listening'), 'the new one logged its start to the same file');
  });
});

/** `portal logs --follow --lines 1` running until stop(). */
function followLogs(env: Record<string, string>): { output(): string; stop(): Promise<void> } {
  const child = execa(process.execPath, [path.join(projectRoot, 'bin/portal.js'), 'logs', '--follow', '--lines', '1'], {
    cwd: projectRoot,
    env: childEnv(env),
    extendEnv: false,
    reject: false,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  return {
    output: () => out,
    stop: async () => {
      child.kill('SIGINT');
      await child;
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${check.toString()}`);
    await sleep(200);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A GET on a connection of its own (closed after it), so the cluster master picks an instance for each. */
function freshGet(target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(target, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends the test's pm2 daemon and every portal process it ran, politely first, then by SIGKILL. */
async function killPm2(env: Record<string, string>, pids: Set<number>): Promise<void> {
  const pidFile = path.join(env.PM2_HOME!, 'pm2.pid');
  const daemon = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
  if (daemon && alive(daemon)) {
    await execa(process.execPath, [path.join(projectRoot, 'node_modules/pm2/bin/pm2'), 'kill'], { env: childEnv(env), extendEnv: false, reject: false, timeout: 60_000 });
  }
  for (const pid of [daemon, ...pids]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
}
