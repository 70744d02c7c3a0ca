import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertOneLineError, freshPortal, ok, runCli, type CliPortal } from '../cli/cli-harness.js';
import { demoPortal, manifestOf, repack, visibleState, withPortal } from './harness.js';

describeEachDb('portal backup and restore (CLI)', (kind) => {
  let source: CliPortal;
  let target: CliPortal;
  let archive: string;
  let original: Record<string, string>;

  before(async function () {
    this.timeout(120_000);
    [source, target] = await Promise.all([demoPortal(kind), freshPortal(kind)]);
    archive = path.join(source.dir, 'archives', 'demo.tar.gz');
    original = await visibleState(source.env);
  });
  after(async () => {
    await source?.cleanup();
    await target?.cleanup();
  });

  it('writes one archive with a manifest of sizes and checksums, ends with its path, size and duration', async function () {
    this.timeout(60_000);
    const human = await runCli(['backup', '--out', path.join(source.dir, 'archives', 'first.tar.gz')], source.env);
    assert.match(ok(human), /^Backup written: \S+first\.tar\.gz \(\d+(\.\d)? KB, 4 files\) in \d+\.\d s$/);
    const r = JSON.parse(ok(await runCli(['backup', '--out', archive, '--json'], source.env))) as { file: string; bytes: number; durationMs: number; files: number; databases: { entry: string; rows: number }[] };
    assert.equal(r.file, archive);
    assert.equal(r.bytes, statSync(archive).size);
    assert.equal(r.files, 4);
    assert.deepEqual(r.databases.map((d) => d.entry), [kind === 'sqlite' ? 'db/default.sqlite' : 'db/default.sql']);
    const m = await manifestOf(archive);
    assert.equal(m.portal.release, JSON.parse(readFileSync('package.json', 'utf8')).version);
    assert.deepEqual(m.modules.map((x) => x.id), ['forum', 'infoblocks', 'main']);
    assert.ok(m.entries.some((e) => e.path === 'settings.json'), 'var/settings.json is in it');
    assert.equal(m.entries.filter((e) => e.path.startsWith('files/')).length, 4);
    const users = await withPortal(source.env, async (k) => (await k.users.list({ limit: 1 })).total);
    assert.equal(m.databases[0]!.tables.main_users, users, 'row counts of the snapshot');
    assert.equal(m.databases[0]!.tables.infoblocks_elements, 6);
    assert.deepEqual(readdirSync(path.dirname(archive)).sort(), ['demo.tar.gz', 'first.tar.gz'], 'no temporary file left');
  });

  it('backup verify checks the manifest, the checksums and that the dump loads into a scratch database', async function () {
    this.timeout(60_000);
    const out = ok(await runCli(['backup', 'verify', archive], source.env));
    assert.match(out, /^Backup OK: .*entries match their checksums, db\/default\.(sqlite|sql) loads with \d+ rows in \d+ tables\.$/);
  });

  it('restores into a fresh directory and database: pages, filters, downloads and sign-ins are the same', async function () {
    this.timeout(120_000);
    const out = ok(await runCli(['restore', archive], target.env));
    assert.match(out, /^Restored the backup of .* \(release .*\): \d+ rows in \d+ tables and 4 files \(.*\) match the archive; took/);
    assert.deepEqual(await visibleState(target.env), original);
    const settings = JSON.parse(readFileSync(path.join(target.dir, 'settings.json'), 'utf8')) as { db: { url: string } };
    assert.equal(new URL(settings.db.url.replace(/^sqlite:/, 'file:')).pathname.length > 0, true);
    assert.ok(settings.db.url.includes(kind === 'sqlite' ? target.dir : target.db.url.split('/').pop()!), 'the target keeps its own database');
    await withPortal(target.env, async (k) => {
      const log = await k.users.securityLog.list({ event: 'backup.restored' });
      assert.equal(log.total, 1);
    });
  });

  it('refuses to replace an installed portal without --yes, and replaces it with --yes', async function () {
    this.timeout(120_000);
    await withPortal(target.env, (k) => k.users.create({ login: 'latecomer', email: 'late@example.com', password: 'Late-pass-789' }));
    const refused = await runCli(['restore', archive], target.env);
    assertOneLineError(refused, /Replace the portal installed in .*: pass --yes to confirm \[CONFIRMATION_REQUIRED\]$/);
    await withPortal(target.env, async (k) => assert.ok(await k.users.findByLogin('latecomer'), 'untouched'));
    ok(await runCli(['restore', archive, '--yes'], target.env));
    await withPortal(target.env, async (k) => assert.equal(await k.users.findByLogin('latecomer'), null, 'back to the archive'));
  });

  describe('bad input is one line, a non-zero exit, and the installed portal untouched', () => {
    let marker: string;
    const untouched = async () => {
      await withPortal(target.env, async (k) => assert.ok(await k.users.findByLogin(marker), 'the portal still has its data'));
      assert.equal(existsSync(path.join(target.dir, 'RESTORE-IN-PROGRESS.json')), false, 'no restore marker');
      assert.deepEqual(readdirSync(target.dir).filter((n) => n.startsWith('.restore-')), [], 'no staging left');
    };
    before(async () => {
      marker = `keep${kind}`;
      await withPortal(target.env, (k) => k.users.create({ login: marker, email: `${marker}@example.com`, password: 'Keep-pass-123' }));
    });

    it('a missing archive', async () => {
      assertOneLineError(await runCli(['restore', path.join(target.dir, 'nope.tar.gz'), '--yes'], target.env), /no backup archive at .*nope\.tar\.gz \[ARCHIVE_NOT_FOUND\]$/);
      await untouched();
    });

    it('a truncated archive and a file that is no archive at all', async () => {
      const cut = path.join(target.dir, 'cut.tar.gz');
      copyFileSync(archive, cut);
      truncateSync(cut, Math.floor(statSync(cut).size / 2));
      assertOneLineError(await runCli(['restore', cut, '--yes'], target.env), /is damaged or not a gzipped tar.*\[ARCHIVE_INVALID\]$|is incomplete.*\[ARCHIVE_INVALID\]$/);
      const text = path.join(target.dir, 'notes.tar.gz');
      writeFileSync(text, 'just some text, not a backup\n'.repeat(50));
      assertOneLineError(await runCli(['restore', text, '--yes'], target.env), /\[ARCHIVE_INVALID\]$/);
      await untouched();
    });

    it('an entry whose checksum differs', async () => {
      const bad = path.join(target.dir, 'tampered.tar.gz');
      await repack(archive, bad, (dir, m) => {
        const file = m.entries.find((e) => e.path.startsWith('files/'))!;
        const abs = path.join(dir, file.path);
        const bytes = readFileSync(abs);
        bytes[bytes.length - 1] ^= 0xff;
        writeFileSync(abs, bytes);
      });
      assertOneLineError(await runCli(['restore', bad, '--yes'], target.env), /is damaged: files\/\S+ does not match the checksum in its manifest \[ARCHIVE_CHECKSUM_MISMATCH\]$/);
      assertOneLineError(await runCli(['backup', 'verify', bad], target.env), /\[ARCHIVE_CHECKSUM_MISMATCH\]$/);
      await untouched();
    });

    it('an archive of another portal needs --other-portal', async () => {
      const other = path.join(target.dir, 'other.tar.gz');
      await repack(archive, other, (_dir, m) => {
        m.portal.id = 'portal-someoneelse';
        m.portal.installedAt = '2020-01-01T00:00:00.000Z';
      });
      assertOneLineError(await runCli(['restore', other, '--yes'], target.env), /the archive is of another portal \(installed 2020-01-01T00:00:00\.000Z; this one was installed .*\); pass --other-portal .*\[ARCHIVE_OTHER_PORTAL\]$/);
      await untouched();
    });

    it('an archive of a newer release is refused with a clear message', async () => {
      const newer = path.join(target.dir, 'newer.tar.gz');
      await repack(archive, newer, (_dir, m) => {
        m.portal.release = '99.0.0';
      });
      assertOneLineError(await runCli(['restore', newer, '--yes'], target.env), /the archive was made by release 99\.0\.0 and this portal runs the older release \S+; upgrade this portal .*\[RESTORE_RELEASE_OLDER\]$/);
      const unknown = path.join(target.dir, 'unknown-migration.tar.gz');
      await repack(archive, unknown, (_dir, m) => {
        m.migrations.main!.push('2099-01-01-01-from-the-future');
      });
      assertOneLineError(await runCli(['restore', unknown, '--yes'], target.env), /migration 2099-01-01-01-from-the-future of module main, which release \S+ does not know.*\[RESTORE_RELEASE_OLDER\]$/);
      await untouched();
    });

    it('no space left: the backup and the restore refuse before writing anything', async function () {
      const small = path.join(target.dir, 'tiny-disk');
      mkdirSync(small);
      if ((await execa('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small], { reject: false })).exitCode !== 0) return this.skip(); // needs root
      try {
        assertOneLineError(await runCli(['backup', '--out', path.join(small, 'b.tar.gz')], source.env), /not enough space in .*tiny-disk: the backup needs up to .*, .* free \[BACKUP_NO_SPACE\]$/);
        assert.deepEqual(readdirSync(small), []);
        const env = { PORTAL_VAR_DIR: path.join(small, 'var'), PORTAL_DB_URL: kind === 'sqlite' ? `sqlite:${path.join(small, 'var', 'portal.db')}` : target.env.PORTAL_DB_URL! };
        assertOneLineError(await runCli(['restore', archive, '--yes'], env), /not enough space in .*tiny-disk\/var: the restore unpacks .*, .* free \[RESTORE_NO_SPACE\]$/);
        assert.deepEqual(readdirSync(path.join(small, 'var')), [], 'no marker, no staging');
      } finally {
        await execa('umount', [small], { reject: false });
      }
      await untouched();
    });

    it('an archive that is no portal backup (another tar) and one whose manifest lists a missing entry', async () => {
      const tar = await import('tar');
      const foreign = path.join(target.dir, 'foreign.tar.gz');
      await tar.create({ file: foreign, cwd: target.dir, gzip: true }, ['settings.json']);
      assertOneLineError(await runCli(['restore', foreign, '--yes'], target.env), /is not a portal backup \(it does not start with manifest\.json\) \[ARCHIVE_INVALID\]$/);
      const short = path.join(target.dir, 'short.tar.gz');
      await repack(archive, short, (_dir, m) => {
        m.entries.push({ path: 'files/gone/away.png', size: 1, sha256: '0'.repeat(64) });
      });
      assertOneLineError(await runCli(['restore', short, '--yes'], target.env), /is incomplete: 1 entry of its manifest missing \(first: files\/gone\/away\.png\) \[ARCHIVE_INVALID\]$/);
      await untouched();
    });
  });
});
