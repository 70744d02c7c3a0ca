import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectionManager } from '../../core/db/connections.js';
import { ModuleDb } from '../../core/db/module-db.js';
import { newDbSession, withDbSession } from '../../core/db/read-your-writes.js';
import { createTestDatabase, describeEachDb, type TestDatabase } from '../harness/db-matrix.js';

/** Three servers stand in for a primary, a module's own server and a replica; each row says where it landed. */
describeEachDb('a module handle resolves its server on every query', (kind) => {
  let dir: string;
  let dbs: TestDatabase[];
  let manager: ConnectionManager;
  let db: ModuleDb;
  const [primary, own, replica] = [0, 1, 2];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-routing-'));
    dbs = [];
    for (const i of [primary, own, replica]) {
      mkdirSync(path.join(dir, String(i)));
      dbs.push(await createTestDatabase(kind, path.join(dir, String(i))));
    }
    manager = new ConnectionManager({ url: dbs[primary]!.url, modules: {}, replicas: {}, pool: { min: 0, max: 4 } });
    for (const t of dbs) {
      await manager.pool(t.url).schema.createTable('demo_items', (table) => {
        table.increments('id');
        table.string('name', 50).notNullable();
      });
    }
    db = new ModuleDb('demo', manager);
  });
  after(async () => {
    await manager?.close();
    for (const t of dbs ?? []) await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const namesOn = async (i: number) => (await manager.pool(dbs[i]!.url)('demo_items').orderBy('id').pluck('name')) as string[];
  const topology = (modules: Record<string, string>, replicas: Record<string, string[]>) => ({ url: dbs[primary]!.url, modules, replicas });

  it('follows a module moved to its own server and a replica joining or leaving, without a new handle', async () => {
    await db.write('items').insert({ name: 'before the move' });
    manager.reconfigure(topology({ demo: dbs[own]!.url }, {}));
    await db.write('items').insert({ name: 'after the move' });
    await db.transaction((tx) => tx.table('items').insert({ name: 'in a transaction' }));
    assert.deepEqual(await namesOn(primary), ['before the move']);
    assert.deepEqual(await namesOn(own), ['after the move', 'in a transaction']);
    assert.deepEqual(await db.read('items').orderBy('id').pluck('name'), ['after the move', 'in a transaction'], 'reads follow too');

    manager.reconfigure(topology({}, { default: [dbs[replica]!.url] }));
    await manager.pool(dbs[replica]!.url)('demo_items').insert({ name: 'on the replica' });
    assert.deepEqual(await withDbSession(newDbSession(), () => db.read('items').pluck('name')), ['on the replica'], 'plain reads of a session that wrote nothing go to the replica');
    await db.write('items').insert({ name: 'written with a replica in the pool' });
    assert.deepEqual(await namesOn(primary), ['before the move', 'written with a replica in the pool'], 'writes never do');
    assert.deepEqual(await db.read('items').orderBy('id').pluck('name'), ['before the move', 'written with a replica in the pool'], 'this one just wrote (outside a request): its reads stay on the primary');
    assert.deepEqual(await withDbSession(newDbSession(), () => db.read('items').pluck('name')), ['on the replica'], 'a session that wrote nothing still reads the replica');
    manager.reconfigure(topology({}, {}));
    assert.deepEqual(await db.read('items').orderBy('id').pluck('name'), ['before the move', 'written with a replica in the pool'], 'the replica left the pool');
  });

  it('keeps a running transaction on the server it began on when the topology changes under it', async () => {
    manager.reconfigure(topology({}, {}));
    await db.transaction(async (tx) => {
      await tx.table('items').insert({ name: 'first of the transaction' });
      manager.reconfigure(topology({ demo: dbs[own]!.url }, {}));
      await tx.table('items').insert({ name: 'second of the transaction' });
    });
    assert.deepEqual((await namesOn(primary)).slice(-2), ['first of the transaction', 'second of the transaction']);
    assert.ok(!(await namesOn(own)).includes('second of the transaction'));
    manager.reconfigure(topology({}, {}));
  });
});
