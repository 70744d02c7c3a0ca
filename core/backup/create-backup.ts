import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createTar } from 'tar';
import type { Knex } from 'knex';
import type { PortalConfig } from '../config/types.js';
import { SETTINGS_FILE } from '../config/load-config.js';
import { createKnex } from '../db/connections.js';
import { parseDbUrl } from '../db/db-url.js';
import { coreErrors } from '../errors/codes.js';
import { databaseLayout, type DatabaseTarget } from './databases.js';
import { scanDump } from './dump-scanner.js';
import { backupErrors } from './errors.js';
import { ARCHIVE_FORMAT, FILES_PREFIX, FORMAT_VERSION, MANIFEST_ENTRY, SETTINGS_ENTRY, type ArchiveEntry, type ArchivedDatabase, type Manifest } from './format.js';
import { eachLimit, formatBytes, freeBytes, fsyncPath, hashFile, isSafeRelative, linkOrCopy, listFiles } from './fs-util.js';
import { readIdentity, releaseVersion } from './identity.js';
import { dumpDatabase, mysqlUrl } from './mysql-tools.js';
import { hasTable, openSqlite, snapshotSqlite, sqliteCounts } from './sqlite-file.js';
import { silentBackupUi, type BackupUi } from './ui.js';

export interface BackupOptions {
  config: PortalConfig;
  /** The archive to write; default <dir>/portal-backup-<UTC time>.tar.gz. */
  out?: string;
  /** Folder for the default name; default <var>/backups. */
  dir?: string;
  /** gzip level 1-9 (default 6). */
  gzipLevel?: number;
  ui?: BackupUi;
}

export interface BackupResult {
  file: string;
  bytes: number;
  durationMs: number;
  manifest: Manifest;
}

export const STAGING_PREFIX = '.backup-';
export const BACKUP_NAME = /^portal-backup-\d{8}T\d{6}(?:\d{3})?Z\.tar\.gz$/;

/** portal-backup-20260101T020000123Z.tar.gz */
export function defaultBackupName(now = new Date()): string {
  return `portal-backup-${now.toISOString().replace(/[-:]/g, '').replace('.', '')}.tar.gz`;
}

interface StagedFile {
  path: string;
  size: number;
  checksum: string;
}

/**
 * Writes one archive of the portal while it keeps serving: the upload tree is hard-linked
 * into a staging folder first (deletes after that point cannot take a file away), then every
 * database is snapshotted (SQLite backup API, mariadb-dump --single-transaction), and only the
 * files main_files lists in that snapshot are packed. The archive is written under a temporary
 * name and renamed when complete.
 */
export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const ui = opts.ui ?? silentBackupUi;
  const { config } = opts;
  const out = path.resolve(opts.out ?? path.join(opts.dir ?? path.join(config.paths.var, 'backups'), defaultBackupName()));
  if (existsSync(out)) throw backupErrors.BACKUP_FAILED(`${out} already exists; choose another --out`);
  await mkdir(path.dirname(out), { recursive: true });

  const main = createKnex(parseDbUrl(config.db.url), { min: 0, max: 2 });
  let identity;
  let liveBytes: number;
  try {
    identity = await readIdentity(main);
    if (!identity) throw coreErrors.NOT_INSTALLED();
    liveBytes = await estimateBytes(main, config);
  } finally {
    await main.destroy();
  }
  const free = await freeBytes(path.dirname(out));
  if (free < liveBytes) {
    throw backupErrors.BACKUP_NO_SPACE(`not enough space in ${path.dirname(out)}: the backup needs up to ${formatBytes(liveBytes)}, ${formatBytes(free)} free`);
  }

  const upload = config.paths.upload;
  await mkdir(upload, { recursive: true });
  await removeStaleStaging(upload);
  const staging = path.join(upload, `${STAGING_PREFIX}${Date.now()}-${process.pid}`);
  const partial = `${out}.partial-${process.pid}`;
  try {
    await mkdir(path.join(staging, 'db'), { recursive: true });
    ui.step('Freezing the upload folder');
    const frozen = await freezeUploads(upload, path.join(staging, 'files'));

    const layout = databaseLayout(config.db, identity.modules.map((m) => m.id));
    ui.step(`Taking a snapshot of ${layout.length === 1 ? 'the database' : `${layout.length} databases`}`);
    const snapshots = await Promise.all(layout.map((db) => snapshot(db, staging)));
    const listed = snapshots.find((s) => s.db.key === 'default')!.files;

    ui.step(`Collecting ${listed.length} files`);
    const missing = await completeFiles(listed, frozen, upload, path.join(staging, 'files'));
    if (missing.length) ui.warn(`${missing.length} file(s) recorded in the database were not on disk: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`);

    const entries: ArchiveEntry[] = [];
    const settings = path.join(config.paths.var, SETTINGS_FILE);
    if (existsSync(settings)) {
      await copyFile(settings, path.join(staging, SETTINGS_ENTRY));
      entries.push({ path: SETTINGS_ENTRY, ...(await hash(staging, SETTINGS_ENTRY)) });
    }
    for (const s of snapshots) entries.push({ path: s.db.entry, ...(await hash(staging, s.db.entry)) });
    const present = listed.filter((f) => !missing.includes(f.path));
    ui.step('Checksumming the files');
    const total = present.reduce((n, f) => n + f.size, 0);
    let done = 0;
    const fileEntries: ArchiveEntry[] = new Array(present.length);
    await eachLimit(present, 8, async (f, i) => {
      const h = await hash(staging, FILES_PREFIX + f.path);
      if (h.sha256 !== f.checksum) ui.warn(`${f.path}: its checksum differs from the one recorded at upload`);
      fileEntries[i] = { path: FILES_PREFIX + f.path, ...h };
      done += h.size;
      ui.progress(done, total);
    });
    ui.done();
    entries.push(...fileEntries);

    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      portal: { id: identity.id, installedAt: identity.installedAt, release: releaseVersion() },
      modules: identity.modules,
      migrations: identity.migrations,
      databases: snapshots.map((s) => s.db),
      files: { count: present.length, bytes: total, missing },
      entries,
    };
    await writeFile(path.join(staging, MANIFEST_ENTRY), `${JSON.stringify(manifest, null, 2)}\n`);

    ui.step(`Writing ${path.basename(out)}`);
    await pack(staging, [MANIFEST_ENTRY, ...entries.map((e) => e.path)], partial, opts.gzipLevel ?? 6, entries, ui);
    await fsyncPath(partial);
    await rename(partial, out);
    await fsyncPath(path.dirname(out));
    const { size } = await stat(out);
    return { file: out, bytes: size, durationMs: Date.now() - started, manifest };
  } catch (err) {
    await rm(partial, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw backupErrors.BACKUP_NO_SPACE(`no space left while writing the backup: ${(err as Error).message}`);
    throw err;
  } finally {
    ui.done();
    await rm(staging, { recursive: true, force: true });
  }
}

async function hash(staging: string, rel: string): Promise<{ size: number; sha256: string }> {
  const h = await hashFile(path.join(staging, rel));
  return { size: h.size, sha256: h.sha256 };
}

/** Upper bound of what the archive takes: the databases' size plus the recorded files. */
async function estimateBytes(main: Knex, config: PortalConfig): Promise<number> {
  const row = (await main('main_files').sum({ n: 'size' }).first()) as { n: number | string | null } | undefined;
  let bytes = Number(row?.n ?? 0);
  for (const url of new Set([config.db.url, ...Object.values(config.db.modules)])) {
    const parsed = parseDbUrl(url);
    if (parsed.client === 'sqlite') {
      bytes += await stat(parsed.filename).then((s) => s.size, () => 0);
    } else {
      const knex = url === config.db.url ? main : createKnex(parsed, { min: 0, max: 1 });
      try {
        const r = (await knex.raw('SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [parsed.database])) as [{ n: number | string }[]];
        bytes += Number(r[0][0]?.n ?? 0);
      } finally {
        if (knex !== main) await knex.destroy();
      }
    }
  }
  return bytes;
}

/** Backup staging folders left by a process that no longer runs (kill -9). */
async function removeStaleStaging(upload: string): Promise<void> {
  for (const name of await readdir(upload)) {
    const m = /^\.backup-\d+-(\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = pid === process.pid;
    try {
      if (!alive) process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) await rm(path.join(upload, name), { recursive: true, force: true });
  }
}

/** Hard-links every file of the upload tree into `dest`; returns the relative paths linked. */
async function freezeUploads(upload: string, dest: string): Promise<Set<string>> {
  const linked = new Set<string>();
  await eachLimit(await listFiles(upload), 16, async (rel) => {
    if (await linkOrCopy(path.join(upload, ...rel.split('/')), path.join(dest, ...rel.split('/')))) linked.add(rel);
  });
  return linked;
}

/** Links the listed files created after the freeze; returns those on disk nowhere. */
async function completeFiles(listed: StagedFile[], frozen: Set<string>, upload: string, dest: string): Promise<string[]> {
  const missing: string[] = [];
  for (const f of listed) {
    if (!isSafeRelative(f.path)) throw backupErrors.BACKUP_FAILED(`main_files holds a path outside the upload folder: ${f.path}`);
    if (frozen.has(f.path)) continue;
    if (!(await linkOrCopy(path.join(upload, ...f.path.split('/')), path.join(dest, ...f.path.split('/'))))) missing.push(f.path);
  }
  return missing;
}

interface Snapshot {
  db: ArchivedDatabase;
  files: StagedFile[];
}

async function snapshot(db: DatabaseTarget, staging: string): Promise<Snapshot> {
  const holdsFiles = db.key === 'default';
  if (db.dialect === 'sqlite') {
    const entry = `db/${db.key}.sqlite`;
    const file = path.join(staging, entry);
    const parsed = parseDbUrl(db.url);
    if (parsed.client !== 'sqlite') throw new Error('unreachable');
    await snapshotSqlite(parsed.filename, file);
    const copy = openSqlite(file, { readonly: true });
    try {
      const files = holdsFiles && hasTable(copy, 'main_files')
        ? (copy.prepare('SELECT path, size, checksum FROM main_files ORDER BY id').all() as StagedFile[]).map((f) => ({ path: String(f.path), size: Number(f.size), checksum: String(f.checksum) }))
        : [];
      return { db: { key: db.key, dialect: 'sqlite', entry, modules: db.modules, tables: sqliteCounts(copy) }, files };
    } finally {
      copy.close();
    }
  }
  const entry = `db/${db.key}.sql`;
  const file = path.join(staging, entry);
  await dumpDatabase(mysqlUrl(db.url), file, staging);
  const contents = await scanDump(file, holdsFiles ? ['main_files'] : []);
  const files = (contents.rows.get('main_files') ?? []).map((r) => ({ path: String(r.path), size: Number(r.size), checksum: String(r.checksum) }));
  return { db: { key: db.key, dialect: 'mysql', entry, modules: db.modules, tables: contents.tables }, files };
}

/** tar + gzip of the staged entries, in order, into `file`; progress by bytes packed. */
async function pack(staging: string, list: string[], file: string, level: number, entries: ArchiveEntry[], ui: BackupUi): Promise<void> {
  const total = entries.reduce((n, e) => n + e.size, 0);
  const sizes = new Map(entries.map((e) => [e.path, e.size]));
  let done = 0;
  const tar = createTar({
    cwd: staging,
    gzip: { level },
    portable: true,
    noDirRecurse: true,
    onWriteEntry: (entry) => {
      done += sizes.get(entry.path) ?? 0;
      ui.progress(Math.min(done, total), total);
    },
  }, list);
  await pipeline(tar, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  ui.done();
}
