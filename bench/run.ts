/**
 * `npm run bench`: bare koa vs the portal on the same machine in one run.
 * Measures req/s, p50 and p99 (autocannon) for koa hello-world, the sign-in page and a
 * signed-in home page; the cold start to the first response; and the idle RSS.
 * Prints a table and writes bench/results/foundation-<timestamp>.json; then runs
 * bench/pages.ts (page with cached components, warm and cold; pages-<timestamp>.json) and
 * bench/pages-signed-in.ts (signed-in home, /news/, /company/, a person page; signed-in-<timestamp>.json).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { freePort } from '../test/harness/free-port.js';
import { HttpClient } from '../test/harness/http-client.js';
import { execa, firstResponse, load, measureBareKoa, rssMb, setupLine, spawnServer, stop, table, type LoadResult } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ADMIN = { login: 'admin', password: 'bench-password-1' };

async function main(): Promise<void> {
  const node = process.execPath;
  const results: LoadResult[] = [];

  // 1. Baseline: bare koa.
  results.push(await measureBareKoa({ seconds, connections }));

  // 2. The portal on the embedded default (SQLite + in-process cache), installed once.
  const varDir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  const port = await freePort();
  const env = {
    ...process.env,
    PORTAL_VAR_DIR: varDir,
    PORTAL_HTTP_PORT: String(port),
    PORTAL_ADMIN_LOGIN: ADMIN.login,
    PORTAL_ADMIN_PASSWORD: ADMIN.password,
    PORTAL_LOG_LEVEL: 'warn',
    PORTAL_AGENTS_IN_WEB: '0',
  };
  const bin = path.join(projectRoot, 'bin/portal.js');
  await execa(node, [bin, 'install', '--yes', '--admin-login', ADMIN.login, '--admin-password', ADMIN.password, '--admin-email', 'admin@example.com'], { env });

  // Cold start: spawn to first response of an installed portal.
  const started = Date.now();
  const portal = spawnServer([node, bin, 'start'], { env });
  const base = `http://127.0.0.1:${port}`;
  const coldStartMs = await firstResponse(`${base}/auth/login/`, started);
  await new Promise((r) => setTimeout(r, 2000));
  const idleRssMb = rssMb(portal.pid!);

  results.push(await load('portal sign-in page', `${base}/auth/login/`, { seconds, connections }));
  const client = new HttpClient(base);
  const signedIn = await client.signIn(ADMIN.login, ADMIN.password);
  if (signedIn.status !== 302) throw new Error(`bench sign-in failed with ${signedIn.status}`);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  results.push(await load('portal signed-in home', `${base}/`, { seconds, connections, headers: { cookie } }));
  const loadedRssMb = rssMb(portal.pid!);
  await stop(portal);
  rmSync(varDir, { recursive: true, force: true });

  const koaRps = results[0]!.reqPerSec;
  const signInShare = Math.round((results[1]!.reqPerSec / koaRps) * 1000) / 10;
  console.log(table(results.map((r) => ({ benchmark: r.name, 'req/s': r.reqPerSec, 'p50 ms': r.p50, 'p99 ms': r.p99, errors: r.errors, non2xx: r.non2xx }))));
  console.log('');
  const targets = [
    { target: 'sign-in page >= 40% of bare koa req/s', measured: `${signInShare}%`, ok: signInShare >= 40 ? 'yes' : 'NO' },
    { target: 'cold start <= 1500 ms', measured: `${coldStartMs} ms`, ok: coldStartMs <= 1500 ? 'yes' : 'NO' },
    { target: 'idle RSS <= 150 MB', measured: `${idleRssMb} MB`, ok: idleRssMb <= 150 ? 'yes' : 'NO' },
  ];
  console.log(table(targets));
  console.log(`\nRSS after load: ${loadedRssMb} MB; ${setupLine(results, { seconds, connections })}`);

  mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
  const file = path.join(projectRoot, 'bench/results', `foundation-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, seconds, connections, results, coldStartMs, idleRssMb, loadedRssMb, signInShareOfKoa: signInShare }, null, 2));
  console.log(`results written to ${path.relative(projectRoot, file)}`);

  // 3. Pages (bench/pages.ts): bare koa again, a page with three cached components, warm and cold.
  console.log('');
  await execa(node, [path.join(projectRoot, 'dist/bench/pages.js')], { stdio: 'inherit' });

  // 4. Signed-in pages on a demo install (bench/pages-signed-in.ts): home, /news/, /company/, a person page.
  console.log('');
  await execa(node, [path.join(projectRoot, 'dist/bench/pages-signed-in.js')], { stdio: 'inherit' });
}

main().catch((err: unknown) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(1);
});
