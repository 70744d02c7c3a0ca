/**
 * Signed-in pages (part of `npm run bench`, or alone: `node dist/bench/pages-signed-in.js`).
 * A demo install on SQLite (`portal install --demo`, then `portal start`), signed in as the
 * administrator through the real form; in one run, on the same machine: bare koa hello-world,
 * then the home dashboard, /news/, /company/ and a person page (/company/<id>/), warm.
 * Prints a table and writes bench/results/signed-in-<timestamp>.json.
 *
 * BENCH_PROFILE=<dir> starts the portal with `node --cpu-prof --cpu-prof-dir=<dir>` (the
 * profile is written when the bench stops it), for the write-up in docs/decisions.md.
 * BENCH_PAGES=home,news limits the pages measured.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { freePort } from '../test/harness/free-port.js';
import { HttpClient } from '../test/harness/http-client.js';
import { execa, firstResponse, load, measureBareKoa, setupLine, spawnServer, stop, table, type LoadResult } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ADMIN = { login: 'admin', password: 'bench-password-1' };
const SHARE_AIM = 25;
const P99_AIM_MS = 20;

/** The measured pages by short name; the person page's id is found on /company/. */
const PAGES: Record<string, (personId: number) => string> = {
  home: () => '/',
  news: () => '/news/',
  company: () => '/company/',
  person: (id) => `/company/${id}/`,
};

export async function benchSignedIn(): Promise<{ results: LoadResult[]; koa: number }> {
  const node = process.execPath;
  const results: LoadResult[] = [await measureBareKoa({ seconds, connections })];
  const varDir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-signed-in-'));
  const port = await freePort();
  const env = {
    ...process.env,
    PORTAL_VAR_DIR: varDir,
    PORTAL_HTTP_PORT: String(port),
    PORTAL_LOG_LEVEL: 'warn',
    PORTAL_AGENTS_IN_WEB: '0',
    NODE_ENV: 'production',
  };
  const bin = path.join(projectRoot, 'bin/portal.js');
  await execa(node, [bin, 'install', '--yes', '--demo', '--admin-login', ADMIN.login, '--admin-password', ADMIN.password, '--admin-email', 'admin@example.com'], { env });
  const profile = process.env.BENCH_PROFILE;
  const portal = spawnServer([node, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), bin, 'start'], { env });
  const base = `http://127.0.0.1:${port}`;
  try {
    await firstResponse(`${base}/auth/login/`, Date.now(), 60_000);
    const client = new HttpClient(base);
    const signedIn = await client.signIn(ADMIN.login, ADMIN.password);
    if (signedIn.status !== 302) throw new Error(`bench sign-in failed with ${signedIn.status}`);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const directory = await (await client.get('/company/')).text();
    const personId = Number(/href="\/company\/(\d+)\/"/.exec(directory)?.[1] ?? 0);
    if (!personId) throw new Error('no person page linked from /company/');
    const wanted = (process.env.BENCH_PAGES ?? Object.keys(PAGES).join(',')).split(',');
    for (const name of wanted) {
      const url = PAGES[name]?.(personId);
      if (!url) throw new Error(`unknown page ${name}`);
      const probe = await client.get(url);
      const html = await probe.text();
      if (probe.status !== 200 || !html.includes('data-signed-in') && !html.includes('/auth/logout')) {
        throw new Error(`${url} answered ${probe.status} or not as a signed-in page: ${html.slice(0, 200)}`);
      }
      results.push(await load(`signed in ${url}`, `${base}${url}`, { seconds, connections, headers: { cookie } }));
    }
  } finally {
    await stop(portal);
    rmSync(varDir, { recursive: true, force: true });
  }
  return { results, koa: results[0]!.reqPerSec };
}

async function main(): Promise<void> {
  const { results, koa } = await benchSignedIn();
  const share = (r: LoadResult) => Math.round((r.reqPerSec / koa) * 1000) / 10;
  console.log(
    table(results.map((r) => ({ benchmark: r.name, 'req/s': r.reqPerSec, 'of koa': `${share(r)}%`, 'p50 ms': r.p50, 'p99 ms': r.p99, errors: r.errors, non2xx: r.non2xx }))),
  );
  console.log('');
  console.log(
    table(
      results.slice(1).map((r) => ({
        page: r.name,
        [`>= ${SHARE_AIM}% of koa`]: share(r) >= SHARE_AIM ? 'yes' : 'NO',
        [`p99 <= ${P99_AIM_MS} ms`]: r.p99 <= P99_AIM_MS ? 'yes' : 'NO',
      })),
    ),
  );
  console.log(`\n${setupLine(results, { seconds, connections })}; demo install on SQLite, signed in as the administrator`);
  mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
  const file = path.join(projectRoot, 'bench/results', `signed-in-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, seconds, connections, db: 'sqlite', results }, null, 2));
  console.log(`results written to ${path.relative(projectRoot, file)}`);
}

main().catch((err: unknown) => {
  console.error(`bench signed-in: ${(err as Error).message}`);
  process.exit(1);
});
