import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../core/config/load-config.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { PortalError } from '../../core/errors/portal-error.js';
import { admin } from '../infoblocks/fixture.js';
import { assertOneLineError, ok, runCli, type CliPortal } from '../cli/cli-harness.js';
import { demoPortal, visibleState } from '../backup/harness.js';
import { createTestDatabase, mysqlServerUrl, type TestDatabase } from '../harness/db-matrix.js';

const ELEMENTS = Number(process.env.SHARDS_TEST_ELEMENTS ?? 200);
const FILTERS = [
  { '>=PROPERTY_PRICE': 500, '%NAME': '7' },
  { 'PROPERTY_COLOR': 'red', '<PROPERTY_PRICE': 250 },
  { LOGIC: 'OR', '=PROPERTY_COLOR': 'blue', '%NAME': 'item 12' },
];

async function withKernel<T>(env: Record<string, string>, fn: (k: Kernel) => Promise<T>): Promise<T> {
  const kernel = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}

/** Ids of the catalog's elements matching each filter, in the list's order. */
async function filterResults(env: Record<string, string>): Promise<string[]> {
  return withKernel(env, async (k) => {
    const api = k.api('infoblocks');
    const ib = (await api.iblocks.list(admin)).find((i) => i.code === 'catalog')!;
    const out: string[] = [];
    for (const filter of FILTERS) {
      const r = await api.elements.list(admin, ib.id, { filter, order: { 'PROPERTY_PRICE': 'desc', ID: 'asc' }, pageSize: 50 });
      out.push(`${r.total}: ${r.items.map((e) => e.id).join(',')}`);
    }
    return out;
  });
}

describe('portal db move: a SQLite portal to MariaDB while it takes writes', () => {
  let portal: CliPortal;
  let env: Record<string, string>;
  const dbs: TestDatabase[] = [];

  before(async function () {
    this.timeout(600_000);
    portal = await demoPortal('sqlite');
    env = { PORTAL_VAR_DIR: portal.dir }; // var/settings.json names the database from now on
    await withKernel(env, async (k) => {
      const api = k.api('infoblocks');
      const type = (await api.iblocks.listTypes())[0]!;
      for (const code of ['catalog', 'journal']) {
        const ib = await api.iblocks.add(admin, { typeId: type.id, code, name: code });
        await api.properties.add(admin, ib.id, { code: 'PRICE', name: 'Price', type: 'number', filterable: true });
        await api.properties.add(admin, ib.id, { code: 'COLOR', name: 'Color', type: 'string', filterable: true });
      }
      const catalog = (await api.iblocks.list(admin)).find((i) => i.code === 'catalog')!;
      const colors = ['red', 'green', 'blue'];
      for (let i = 0; i < ELEMENTS; i++) {
        await api.elements.add(admin, catalog.id, { name: `item ${i}`, code: `item-${i}`, detailText: `Text of item ${i} — «ёлка» ${'x'.repeat(i % 300)}`, properties: { PRICE: (i * 37) % 1000 + 0.5, COLOR: colors[i % 3] } });
      }
    });
  });
  after(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
    await portal?.cleanup();
  });

  async function emptyTarget(): Promise<TestDatabase> {
    const db = await createTestDatabase('mariadb', portal.dir);
    dbs.push(db);
    return db;
  }

  it('refuses a bad target with one line and changes nothing', async function () {
    this.timeout(120_000);
    const settings = readFileSync(path.join(portal.dir, 'settings.json'), 'utf8');
    assertOneLineError(await runCli(['db', 'move', '--to', 'sqlite:/tmp/other.db'], env), /MariaDB URL.*TARGET_INVALID/);
    assertOneLineError(await runCli(['db', 'move', '--to', 'mysql://root@127.0.0.1:1/portal'], env), /cannot connect.*TARGET_UNREACHABLE/);
    const full = await emptyTarget();
    const conn = await mysql.createConnection(full.url);
    await conn.query('CREATE TABLE someone_elses (id INT PRIMARY KEY)');
    await conn.end();
    assertOneLineError(await runCli(['db', 'move', '--to', full.url], env), /already holds 1 tables.*TARGET_NOT_EMPTY/);
    assert.equal(readFileSync(path.join(portal.dir, 'settings.json'), 'utf8'), settings);
    assert.equal(existsSync(path.join(portal.dir, 'db-move.json')), false);
  });

  it('moves every table verified, the same pages, filters and files afterwards, and loses no write made during the move', async function () {
    this.timeout(900_000);
    const pagesBefore = await visibleState(env);
    const filtersBefore = await filterResults(env);
    const sqliteFile = (JSON.parse(readFileSync(path.join(portal.dir, 'settings.json'), 'utf8')) as { db: { url: string } }).db.url;
    const target = await emptyTarget();

    // A running portal on the SQLite file keeps writing to the journal while the mover works.
    const written: number[] = [];
    const refused = new Map<string, number>();
    const running = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
    let moving = true;
    const writer = (async () => {
      const api = running.api('infoblocks');
      const journal = (await api.iblocks.list(admin)).find((i) => i.code === 'journal')!;
      for (let i = 0; moving; i++) {
        await new Promise((r) => setTimeout(r, 20));
        try {
          written.push((await api.elements.add(admin, journal.id, { name: `entry ${i}`, properties: { PRICE: i } })).id);
        } catch (err) {
          const code = err instanceof PortalError ? err.code : String(err);
          refused.set(code, (refused.get(code) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    let out: string;
    try {
      const r = await runCli(['db', 'move', '--to', target.url, '--json'], env, { timeoutMs: 300_000 });
      if (r.exitCode !== 0) console.error(r.stderr);
      out = ok(r);
    } finally {
      moving = false;
      await writer;
      await running.close();
    }
    const result = JSON.parse(out) as { tables: number; rows: number; readOnlyMs: number; catchUp: number[]; finalPass: string[] };
    assert.ok(result.tables > 20 && result.rows > ELEMENTS, out);
    assert.ok(written.length > 0, 'the running portal wrote during the move');
    assert.deepEqual([...refused.keys()].filter((c) => c !== 'DB_MOVED'), [], `writes fail only once the portal moved: ${JSON.stringify([...refused])}`);

    const settings = JSON.parse(readFileSync(path.join(portal.dir, 'settings.json'), 'utf8')) as { db: { url: string } };
    assert.equal(settings.db.url, target.url);
    assert.ok(existsSync(sqliteFile.replace(/^sqlite:/, '')), 'the SQLite file stays');

    // After a restart the portal runs on MariaDB: every acknowledged write is there, once.
    const journalIds = await withKernel(env, async (k) => {
      assert.equal(k.db('main').dialect, 'mysql');
      const api = k.api('infoblocks');
      const journal = (await api.iblocks.list(admin)).find((i) => i.code === 'journal')!;
      return ((await k.db('infoblocks').read('elements').where({ iblock_id: journal.id }).orderBy('id').pluck('id')) as number[]).map(Number);
    });
    assert.deepEqual(journalIds, [...written].sort((a, b) => a - b));
    assert.deepEqual(await filterResults(env), filtersBefore);
    const pagesAfter = await visibleState(env);
    assert.deepEqual(pagesAfter, pagesBefore);
    // The moved portal takes writes on its new server.
    await withKernel(env, async (k) => {
      const api = k.api('infoblocks');
      const catalog = (await api.iblocks.list(admin)).find((i) => i.code === 'catalog')!;
      await api.elements.add(admin, catalog.id, { name: 'after the move' });
    });
    assert.match(mysqlServerUrl(), /^mysql:/);
  });
});
