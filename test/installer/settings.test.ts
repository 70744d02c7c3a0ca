import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { merge } from '../../core/config/load-config.js';
import { writeSettings } from '../../installer/settings.js';

describe('var/settings.json written by the installer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'portal-settings-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what it does not own at any depth: a module moved to its own server, a key added by hand', () => {
    const before = { db: { url: 'mysql://old@127.0.0.1/portal', modules: { forum: 'mysql://f@10.0.0.5/forum' } }, cache: { driver: 'memory' }, mail: { from: 'it@example.com' } };
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(before));
    writeSettings(dir, { db: { url: 'mysql://new@127.0.0.1/portal' }, cache: { driver: 'memcached', servers: ['127.0.0.1:11211'] } });
    const after = JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    assert.deepEqual(after, {
      db: { url: 'mysql://new@127.0.0.1/portal', modules: { forum: 'mysql://f@10.0.0.5/forum' } },
      cache: { driver: 'memcached', servers: ['127.0.0.1:11211'] },
      mail: { from: 'it@example.com' },
    });
  });

  it('never lets a key of the file reach an object prototype', () => {
    const merged = merge<Record<string, unknown>>({ db: {} }, JSON.parse('{"__proto__": {"polluted": true}, "db": {"__proto__": {"polluted": true}}}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.equal((merged.db as Record<string, unknown>).polluted, undefined);
  });
});
