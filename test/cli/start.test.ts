import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { projectRoot } from '../../core/config/paths.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { freePort } from '../harness/free-port.js';
import { assertOneLineError, childEnv, freshPortal, ok, runCli, shownPasswords, withPortalKernel, type CliPortal } from './cli-harness.js';

interface Started {
  child: ResultPromise;
  url: string;
  output: () => string;
}

/** Runs `portal start` and resolves once it prints its URL. */
async function start(env: Record<string, string>): Promise<Started> {
  const child = execa(process.execPath, [path.join(projectRoot, 'bin/portal.js'), 'start'], {
    cwd: projectRoot,
    env: childEnv(env),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  const deadline = Date.now() + 45_000;
  for (;;) {
    const m = /Portal is running at (http:\/\/\S+)/.exec(out);
    if (m) return { child, url: m[1]!, output: () => out };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`portal start did not come up (exit ${child.exitCode})\nstdout: ${out}\nstderr: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(s: Started): Promise<number | undefined> {
  s.child.kill('SIGTERM');
  const r = await s.child;
  return r.exitCode;
}

describeEachDb('portal start (CLI)', (kind) => {
  let portal: CliPortal;
  let env: Record<string, string>;

  before(async () => {
    portal = await freshPortal(kind);
    const port = await freePort();
    // SQLite: no DB URL at all, so the embedded default (var/portal.db) is used.
    env = { PORTAL_VAR_DIR: portal.dir, PORTAL_HTTP_PORT: String(port), PORTAL_LOG_LEVEL: 'info', PORTAL_AGENTS_IN_WEB: '0' };
    if (kind === 'mariadb') env.PORTAL_DB_URL = portal.db.url;
  });
  after(async () => portal?.cleanup());

  it('installs on a fresh var dir, serves HTTP, and a second start reuses the install', async function () {
    this.timeout(90_000);
    const first = await start(env);
    let password: string | undefined;
    try {
      assert.equal(first.url, `http://127.0.0.1:${env.PORTAL_HTTP_PORT}`);
      const res = await fetch(`${first.url}/healthz`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { status: string }).status, 'ok');
      [password] = shownPasswords(first.output());
      assert.ok(password, first.output());
    } finally {
      assert.equal(await stop(first), 0, 'SIGTERM stops it cleanly');
    }
    await withPortalKernel(env, async (k) => assert.equal((await k.users.authenticate('admin', password!, '127.0.0.1')).isAdmin, true));
    // The foreground logs to var/log/portal.log as well as to its terminal, so `portal logs` shows it.
    const logged = ok(await runCli(['logs', '--lines', '50'], env));
    assert.match(logged, /"msg":"portal listening"/);
    assert.match(logged, /"msg":"portal stopped"/);

    const second = await start(env);
    try {
      assert.equal((await fetch(`${second.url}/healthz`)).status, 200);
      assert.deepEqual(shownPasswords(second.output()), [], 'no new admin password');
      assert.doesNotMatch(second.output(), /Portal installed/);
    } finally {
      assert.equal(await stop(second), 0);
    }
  });

  it('on a busy port says which port and what to do, in one line, and exits non-zero', async function () {
    this.timeout(60_000);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(env.PORTAL_HTTP_PORT), '127.0.0.1', resolve));
    try {
      const r = await runCli(['start'], env);
      assertOneLineError(r, new RegExp(`port ${env.PORTAL_HTTP_PORT} on 127\\.0\\.0\\.1 is already in use .*choose another port with PORTAL_HTTP_PORT=<port> \\[PORT_IN_USE\\]$`));
      assert.doesNotMatch(r.stdout, /Portal is running/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
