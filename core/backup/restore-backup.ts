import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { PortalConfig, PortalConfigInput } from '../config/types.js';
import { SETTINGS_FILE } from '../config/load-config.js';
import { parseDbUrl, redact } from '../db/db-url.js';
import type { ModuleDefinition } from '../modules/types.js';
import { backupErrors } from './errors.js';
import { FILES_PREFIX, SETTINGS_ENTRY, unpackedBytes, type ArchivedDatabase, type Manifest } from './format.js';
import { eachLimit, formatBytes, freeBytes, hashFile } from './fs-util.js';
import { releaseVersion, type PortalIdentity } from './identity.js';
import { checkSqliteCopy, countDifferences, countsAt, identityAt, loadMysql, replaceSqlite } from './load-database.js';
import { readArchive } from './read-archive.js';
import { clearRestoreMarker, writeRestoreMarker } from './restore-marker.js';
import { silentBackupUi, type BackupUi } from './ui.js';

export interface RestoreOptions {
  file: string;
  /** The target portal's configuration (where the data goes). */
  config: PortalConfig;
  /** The module manifests of the code doing the restore. */
  definitions: ModuleDefinition[];
  /** Asked before an installed portal is replaced; throws to refuse. */
  confirm(question: string): Promise<void>;
  /** Restore an archive of a different portal over this one. */
  otherPortal?: boolean;
  /** After the data is back and checked: run pending migrations, clear the cache (the marker is still there). */
  afterRestore(config: PortalConfig, manifest: Manifest): Promise<string[]>;
  ui?: BackupUi;
}

export interface RestoreResult {
  manifest: Manifest;
  replaced: boolean;
  tables: number;
  rows: number;
  files: number;
  migrated: string[];
  durationMs: number;
}

/**
 * Restores an archive into the configured portal. Everything that can be checked is checked
 * before the portal is touched (manifest, release, portal, layout, space, every checksum while
 * unpacking into a staging folder). Then a marker is left in the var dir, the databases and
 * the upload folder are replaced, row counts and file checksums are compared with the
 * manifest, pending migrations run, and only then the marker goes away.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
  const ui = opts.ui ?? silentBackupUi;
  const { config } = opts;
  const varDir = config.paths.var;
  const archive = path.resolve(opts.file);
  await mkdir(varDir, { recursive: true });
  const staging = path.join(varDir, `.restore-${Date.now()}-${process.pid}`);
  let installed: PortalIdentity | null = null;
  let touched = false;
  let marked = false;
  try {
    installed = await identityAt(config.db.url).catch((err: unknown) => {
      throw backupErrors.RESTORE_FAILED(`cannot reach the target database ${redact(config.db.url)}: ${(err as Error).message}`);
    });
    ui.step(`Checking ${path.basename(archive)}`);
    const manifest = await readArchive(archive, {
      ui,
      onManifest: async (m) => {
        checkRelease(m, opts.definitions);
        checkPortal(m, installed, Boolean(opts.otherPortal));
        targetsFor(m, config);
        const need = unpackedBytes(m);
        const free = await freeBytes(varDir);
        if (free < need) throw backupErrors.RESTORE_NO_SPACE(`not enough space in ${varDir}: the restore unpacks ${formatBytes(need)}, ${formatBytes(free)} free`);
        if (installed) await opts.confirm(`Replace the portal installed in ${redact(config.db.url)} (installed ${installed.installedAt}) with the backup of ${m.createdAt}?`);
        writeRestoreMarker(varDir, archive);
        marked = true;
        ui.step(`Unpacking ${m.entries.length} entries (${formatBytes(need)})`);
      },
      target: (e) => path.join(staging, ...e.path.split('/')),
    });
    const targets = targetsFor(manifest, config);
    for (const { db } of targets) if (db.dialect === 'sqlite') checkSqliteCopy(path.join(staging, ...db.entry.split('/')), db);

    touched = true;
    const emptied = new Set<string>();
    for (const { db, url } of targets) {
      ui.step(`Restoring ${db.entry} into ${redact(url)}`);
      const staged = path.join(staging, ...db.entry.split('/'));
      if (db.dialect === 'sqlite') await replaceSqlite(staged, url);
      else await loadMysql(staged, url, staging, { empty: !emptied.has(url) });
      emptied.add(url);
    }
    ui.step('Restoring the uploaded files');
    await swapUploads(path.join(staging, 'files'), config.paths.upload, staging);
    if (manifest.entries.some((e) => e.path === SETTINGS_ENTRY)) await restoreSettings(path.join(staging, SETTINGS_ENTRY), varDir, config);

    ui.step('Checking the restored data');
    let rows = 0;
    let tables = 0;
    for (const { db, url } of targets) {
      const diff = countDifferences(await countsAt(url), db.tables);
      if (diff.length) throw backupErrors.RESTORE_CHECK_FAILED(`the restored ${db.entry} differs from the archive (${diff.slice(0, 3).join('; ')}); run the restore again`);
      tables += Object.keys(db.tables).length;
      rows += Object.values(db.tables).reduce((a, b) => a + b, 0);
    }
    await checkFiles(manifest, config.paths.upload, ui);

    ui.step('Applying migrations of this release');
    const migrated = await opts.afterRestore(config, manifest);
    clearRestoreMarker(varDir);
    return { manifest, replaced: Boolean(installed), tables, rows, files: manifest.files.count, migrated, durationMs: Date.now() - started };
  } catch (err) {
    // Nothing was replaced yet: the portal is as it was, so it may start again.
    if (marked && !touched) clearRestoreMarker(varDir);
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw backupErrors.RESTORE_NO_SPACE(`no space left while restoring: ${(err as Error).message}`);
    throw err;
  } finally {
    ui.done();
    await rm(staging, { recursive: true, force: true });
  }
}

/** An archive from a newer release (or with migrations this code does not know) cannot come back here. */
function checkRelease(m: Manifest, definitions: ModuleDefinition[]): void {
  const here = releaseVersion();
  const upgrade = `upgrade this portal to release ${m.portal.release} or later first (\`portal upgrade\`), then restore`;
  if (semver.valid(m.portal.release) && semver.valid(here) && semver.gt(m.portal.release, here)) {
    throw backupErrors.RESTORE_RELEASE_OLDER(`the archive was made by release ${m.portal.release} and this portal runs the older release ${here}; ${upgrade}`);
  }
  const byId = new Map(definitions.map((d) => [d.id, d]));
  for (const mod of m.modules) {
    const def = byId.get(mod.id);
    if (!def) throw backupErrors.RESTORE_RELEASE_OLDER(`the archive has module ${mod.id}, which release ${here} does not have; ${upgrade}`);
    const known = new Set((def.migrations ?? []).map((x) => x.name));
    const unknown = (Object.hasOwn(m.migrations, mod.id) ? m.migrations[mod.id]! : []).filter((name) => !known.has(name));
    if (unknown.length) throw backupErrors.RESTORE_RELEASE_OLDER(`the archive has migration ${unknown[0]} of module ${mod.id}, which release ${here} does not know; ${upgrade}`);
  }
}

function checkPortal(m: Manifest, installed: PortalIdentity | null, otherPortal: boolean): void {
  if (!installed || installed.id === m.portal.id || otherPortal) return;
  throw backupErrors.ARCHIVE_OTHER_PORTAL(
    `the archive is of another portal (installed ${m.portal.installedAt}; this one was installed ${installed.installedAt}); pass --other-portal to replace this portal with it`,
  );
}

/** Where each archived database goes in this portal's layout; the dialects must match. */
function targetsFor(m: Manifest, config: PortalConfig): { db: ArchivedDatabase; url: string }[] {
  const out = m.databases.map((db) => {
    const urls = new Set(db.key === 'default' ? [config.db.url] : db.modules.map((id) => (Object.hasOwn(config.db.modules, id) ? config.db.modules[id]! : config.db.url)));
    if (urls.size !== 1) throw backupErrors.RESTORE_FAILED(`the archive keeps modules ${db.modules.join(', ')} in one database; this portal's db.modules splits them`);
    const url = [...urls][0]!;
    const dialect = parseDbUrl(url).client;
    if (dialect !== db.dialect) {
      const name = (d: string) => (d === 'sqlite' ? 'SQLite' : 'MariaDB');
      throw backupErrors.RESTORE_FAILED(`the archive holds a ${name(db.dialect)} database (${db.entry}) and this portal is configured for ${name(dialect)} (${redact(url)})`);
    }
    return { db, url };
  });
  const seen = new Set<string>();
  for (const t of out) {
    if (seen.has(t.url) && t.db.dialect === 'sqlite') throw backupErrors.RESTORE_FAILED(`the archive's databases would share ${redact(t.url)}; configure db.modules as the portal had it`);
    seen.add(t.url);
  }
  return out;
}

/** Replaces the upload folder by the staged one in two renames (copying only across filesystems). */
async function swapUploads(staged: string, upload: string, staging: string): Promise<void> {
  await mkdir(staged, { recursive: true });
  await mkdir(path.dirname(upload), { recursive: true });
  const old = path.join(staging, 'previous-upload');
  if (existsSync(upload)) {
    try {
      await rename(upload, old);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      for (const name of await readdir(upload)) await rm(path.join(upload, name), { recursive: true, force: true });
      await rm(upload, { recursive: true, force: true });
    }
  }
  try {
    await rename(staged, upload);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await cp(staged, upload, { recursive: true });
  }
}

/**
 * settings.json comes back from the archive, except what belongs to this machine: the DB and
 * cache this portal is configured for win over the archived ones.
 */
async function restoreSettings(staged: string, varDir: string, config: PortalConfig): Promise<void> {
  const archived = JSON.parse(readFileSync(staged, 'utf8')) as PortalConfigInput;
  const file = path.join(varDir, SETTINGS_FILE);
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PortalConfigInput) : {};
  const merged: PortalConfigInput = { ...archived, db: current.db ?? { url: config.db.url }, ...(current.cache ? { cache: current.cache } : {}) };
  await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** Every restored file has the size and checksum of the archive. */
async function checkFiles(m: Manifest, upload: string, ui: BackupUi): Promise<void> {
  const files = m.entries.filter((e) => e.path.startsWith(FILES_PREFIX));
  const total = files.reduce((n, e) => n + e.size, 0);
  let done = 0;
  await eachLimit(files, 8, async (e) => {
    const abs = path.join(upload, ...e.path.slice(FILES_PREFIX.length).split('/'));
    const h = await hashFile(abs).catch(() => null);
    if (!h || h.sha256 !== e.sha256 || h.size !== e.size) throw backupErrors.RESTORE_CHECK_FAILED(`the restored file ${e.path.slice(FILES_PREFIX.length)} differs from the archive; run the restore again`);
    done += e.size;
    ui.progress(done, total);
  });
  ui.done();
}
