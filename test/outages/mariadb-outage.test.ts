import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { memcachedServer } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { captureLog } from '../harness/log-capture.js';
import { startMariaDb, type RunningService } from '../harness/services.js';

const PASSWORD = 'correct horse 42';

/** Everything written to stdout and stderr while `fn` runs (knex used to print there). */
async function consoleOutput(fn: () => Promise<void>): Promise<string> {
  const seen: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap = (write: typeof out) => ((chunk: unknown, ...rest: unknown[]) => (seen.push(String(chunk)), write(chunk as string, ...(rest as []))));
  process.stdout.write = tap(out) as typeof process.stdout.write;
  process.stderr.write = tap(err) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return seen.join('');
}

/**
 * The production path (MariaDB + memcached) on a private MariaDB of its own, stopped and
 * started again on the same port while the portal keeps running.
 */
describe('HTTP during a MariaDB outage [mariadb]', function () {
  this.timeout(120_000);
  let dir: string;
  let db: RunningService;
  let port: number;
  let t: TestKernel;
  let server: RunningServer;
  let signedIn: HttpClient;
  let token: string;
  const logs = captureLog();

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-outage-db-'));
    db = await startMariaDb(dir);
    port = Number(new URL(db.url).port);
    const conn = await mysql.createConnection(db.url);
    await conn.query('CREATE DATABASE portal CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await conn.end();
    const cache = { driver: 'memcached' as const, servers: [memcachedServer()], prefix: `db${randomBytes(4).toString('hex')}:` };
    t = await bootTestKernel('mariadb', { overrides: { db: { url: `${db.url}/portal` }, cache }, log: logs.log });
    const ivan = await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Иван' });
    token = (await t.kernel.tokens.issue(ivan.id, 'script')).token;
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    signedIn = new HttpClient(server.url);
    assert.equal((await signedIn.signIn('ivan', PASSWORD)).status, 302);
  });
  after(async () => {
    await server?.close();
    await t?.close();
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = () => fetch(`${server.url}/api/v1/main/me`, { headers: { authorization: `Bearer ${token}` } });
  const home = () => signedIn.get('/');

  /** Stops MariaDB around `fn`, then starts it again where it was. */
  async function outage(fn: () => Promise<void>): Promise<void> {
    await db.stop();
    try {
      await fn();
    } finally {
      db = await startMariaDb(dir, { port });
    }
  }

  it('answers 503 with Retry-After and a "temporarily unavailable" page, JSON with a code for the API; recovers without a restart', async () => {
    assert.equal((await home()).status, 200);
    assert.equal((await api()).status, 200);
    let printed = '';
    await outage(async () => {
      printed = await consoleOutput(async () => {
        for (let i = 0; i < 3; i++) {
          const page = await home();
          assert.equal(page.status, 503);
          assert.equal(page.headers.get('retry-after'), '30');
          assert.match(page.headers.get('content-type') ?? '', /text\/html/);
          const html = await page.text();
          assert.match(html, /<title>Temporarily unavailable<\/title>/);
          assert.match(html, /cannot reach its database/);
          assert.doesNotMatch(html, /ECONNREFUSED|Internal error/);

          const json = await api();
          assert.equal(json.status, 503);
          assert.equal(json.headers.get('retry-after'), '30');
          assert.equal(((await json.json()) as { error: { code: string } }).error.code, 'SERVICE_UNAVAILABLE');
        }
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
      });
    });
    assert.doesNotMatch(printed, /ECONNREFUSED|Acquire connection error|Connection Error/, 'no raw driver output on the console');
    const warned = logs.warnings().map((l) => l.msg);
    assert.equal(warned.filter((m) => m === 'database unavailable; answering 503').length, 1, 'one line per 30 s, not one per request');
    assert.ok(logs.warnings().some((l) => l.source === 'knex' && /ECONNREFUSED/.test(l.msg)), 'knex warnings go to the JSON log');
    assert.equal(logs.lines.filter((l) => l.level >= 50).length, 0, 'no request logged as a 500');

    // Back without restarting the portal: the pool opens new connections.
    assert.equal((await home()).status, 200);
    assert.equal((await api()).status, 200);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  });

  it('shows the page in the site language (ru)', async () => {
    const site = (await t.kernel.sites.list())[0]!;
    await t.kernel.sites.update(site.id, { language: 'ru' });
    assert.equal((await home()).status, 200); // the site, now Russian, is cached
    await outage(async () => {
      const page = await home();
      assert.equal(page.status, 503);
      const html = await page.text();
      assert.match(html, /<html lang="ru">/);
      assert.match(html, /<title>Временно недоступно<\/title>/);
      assert.match(html, /не может связаться со своей базой данных/);
    });
    await t.kernel.sites.update(site.id, { language: 'en' });
  });
});
