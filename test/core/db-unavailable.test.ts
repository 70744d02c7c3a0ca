import assert from 'node:assert/strict';
import knexFactory from 'knex';
import { isDbUnavailable } from '../../core/db/unavailable.js';
import { freePort } from '../harness/free-port.js';

const quiet = { warn() {}, error() {}, debug() {}, deprecate() {} };

describe('database unavailability: which errors are a 503', () => {
  it('a refused MariaDB connection and a pool that gives no connection in time', async () => {
    const port = await freePort(); // nothing listens there
    const knex = knexFactory({ client: 'mysql2', connection: { host: '127.0.0.1', port, user: 'x', password: 'y' }, log: quiet });
    const refused = await knex.raw('select 1').then(() => null, (err: unknown) => err);
    await knex.destroy();
    assert.equal(isDbUnavailable(refused), true, String(refused));

    const busy = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 }, acquireConnectionTimeout: 100, log: quiet });
    await busy.transaction(async () => {
      const timedOut = await busy.raw('select 1').then(() => null, (err: unknown) => err);
      assert.equal(isDbUnavailable(timedOut), true, String(timedOut));
    });
    await busy.destroy();
  });

  it('not a bad query, nor a refused connection of some other client', async () => {
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, log: quiet });
    const bad = await knex.raw('select * from no_such_table').then(() => null, (err: unknown) => err);
    await knex.destroy();
    assert.equal(isDbUnavailable(bad), false);
    assert.equal(isDbUnavailable(Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:389'), { code: 'ECONNREFUSED' })), false, 'an LDAP server that is down');
    assert.equal(isDbUnavailable(new Error('wrapped', { cause: Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST' }) })), true);
  });
});
