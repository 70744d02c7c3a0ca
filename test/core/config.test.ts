import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config/load-config.js';
import { parseDbUrl, redact } from '../../core/db/db-url.js';

describe('config', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'portal-cfg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('layers defaults, file, var/settings.json and env in that order', async () => {
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ db: { url: 'sqlite:from-settings.db' }, http: { port: 9001 } }));
    const config = await loadConfig({
      file: { http: { port: 9000, host: '0.0.0.0' }, db: { url: 'sqlite:from-file.db' } },
      env: { PORTAL_VAR_DIR: dir, PORTAL_DB_URL: 'mysql://u:p@127.0.0.1:3306/portal' },
    });
    assert.equal(config.http.host, '0.0.0.0', 'from the file');
    assert.equal(config.http.port, 9001, 'settings.json beats the file');
    assert.equal(config.db.url, 'mysql://u:p@127.0.0.1:3306/portal', 'env beats everything');
    assert.equal(config.paths.var, dir);
    assert.equal(config.paths.upload, path.join(dir, 'upload'));
    assert.equal(config.cache.driver, 'memory', 'default');
  });

  it('parses PORTAL_CACHE and rejects nonsense with a clear message', async () => {
    const c = await loadConfig({ file: {}, env: { PORTAL_VAR_DIR: dir, PORTAL_CACHE: 'memcached://127.0.0.1:11211,10.0.0.2:11211' } });
    assert.equal(c.cache.driver, 'memcached');
    assert.deepEqual(c.cache.servers, ['127.0.0.1:11211', '10.0.0.2:11211']);
    await assert.rejects(loadConfig({ file: {}, env: { PORTAL_VAR_DIR: dir, PORTAL_CACHE: 'redis://x' } }), /cache must be "memory" or "memcached/);
    await assert.rejects(loadConfig({ file: {}, env: { PORTAL_VAR_DIR: dir, PORTAL_HTTP_PORT: 'eighty' } }), /must be a port number/);
  });

  it('reports a broken settings.json by name', async () => {
    writeFileSync(path.join(dir, 'settings.json'), '{ nope');
    await assert.rejects(loadConfig({ file: {}, env: { PORTAL_VAR_DIR: dir } }), /settings\.json is not valid JSON/);
  });
});

describe('DB URLs', () => {
  it('parses sqlite and mysql URLs', () => {
    const s = parseDbUrl('sqlite:/tmp/x.db');
    assert.equal(s.client, 'sqlite');
    const m = parseDbUrl('mysql://user:p%40ss@db.local:3307/portal');
    assert.deepEqual(m.client === 'mysql' && [m.host, m.port, m.user, m.password, m.database], ['db.local', 3307, 'user', 'p@ss', 'portal']);
  });

  it('rejects bad URLs with the reason', () => {
    assert.throws(() => parseDbUrl('postgres://x/y'), /unsupported DB scheme/);
    assert.throws(() => parseDbUrl('mysql://u:p@h:1/'), /names no database/);
    assert.throws(() => parseDbUrl('mysql://u:p@h:1/a;drop'), /may hold only/);
    assert.throws(() => parseDbUrl('sqlite:'), /needs a path/);
  });

  it('hides passwords', () => {
    assert.equal(redact('mysql://u:secret@h:1/db'), 'mysql://u:***@h:1/db');
  });
});
