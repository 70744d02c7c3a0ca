import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDbUrl } from '../db/db-url.js';
import { backupErrors } from './errors.js';
import type { Manifest } from './format.js';
import { formatBytes, freeBytes } from './fs-util.js';
import { checkSqliteCopy, countDifferences } from './load-database.js';
import { countRows, createDatabase, dropDatabase, withServer } from './mysql-admin.js';
import { loadDump, type MysqlUrl } from './mysql-tools.js';
import { readArchive } from './read-archive.js';
import { silentBackupUi, type BackupUi } from './ui.js';

export interface VerifyOptions {
  file: string;
  /** A MariaDB server (mysql://user:pass@host:port) to load MariaDB dumps into a scratch database; else the portal's own server. */
  scratchServer?: string;
  /** The portal's DB URL, whose server is used when no scratchServer is given. */
  portalDbUrl?: string;
  ui?: BackupUi;
}

export interface VerifyResult {
  manifest: Manifest;
  entries: number;
  databases: { entry: string; tables: number; rows: number }[];
}

/**
 * Checks an archive without touching the portal: the manifest, every entry's size and
 * checksum, and that each dump loads into a scratch database with the row counts it lists.
 */
export async function verifyBackup(opts: VerifyOptions): Promise<VerifyResult> {
  const ui = opts.ui ?? silentBackupUi;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-verify-'));
  try {
    ui.step(`Reading ${path.basename(opts.file)}`);
    const manifest = await readArchive(opts.file, {
      ui,
      onManifest: async (m) => {
        const need = m.databases.reduce((n, d) => n + (m.entries.find((e) => e.path === d.entry)?.size ?? 0), 0);
        const free = await freeBytes(tmp);
        if (free < need) throw backupErrors.RESTORE_NO_SPACE(`not enough space in ${os.tmpdir()} to check the dumps: ${formatBytes(need)} needed, ${formatBytes(free)} free`);
        if (m.databases.some((d) => d.dialect === 'mysql')) scratchServer(opts); // fail before reading the files
      },
      target: (e) => (e.path.startsWith('db/') ? path.join(tmp, ...e.path.split('/')) : null),
    });
    const databases: VerifyResult['databases'] = [];
    for (const db of manifest.databases) {
      ui.step(`Loading ${db.entry} into a scratch database`);
      const staged = path.join(tmp, ...db.entry.split('/'));
      if (db.dialect === 'sqlite') checkSqliteCopy(staged, db);
      else await checkMysqlDump(staged, db.tables, db.entry, scratchServer(opts), tmp);
      databases.push({ entry: db.entry, tables: Object.keys(db.tables).length, rows: Object.values(db.tables).reduce((a, b) => a + b, 0) });
    }
    return { manifest, entries: manifest.entries.length + 1, databases };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function scratchServer(opts: VerifyOptions): MysqlUrl {
  const raw = opts.scratchServer ?? (opts.portalDbUrl && parseDbUrl(opts.portalDbUrl).client === 'mysql' ? opts.portalDbUrl : undefined);
  if (!raw) throw backupErrors.VERIFY_SCRATCH_DB_REQUIRED('the archive holds a MariaDB dump and this portal has no MariaDB server to load it into; pass --scratch-db mysql://user:pass@host:port');
  const withDb = /^(mysql|mariadb):\/\/[^/]+\/?$/.test(raw) ? `${raw.replace(/\/$/, '')}/scratch` : raw;
  const url = parseDbUrl(withDb);
  if (url.client !== 'mysql') throw backupErrors.VERIFY_SCRATCH_DB_REQUIRED('--scratch-db must be a mysql:// URL');
  return { ...url, database: `portal_verify_${randomBytes(5).toString('hex')}` };
}

async function checkMysqlDump(staged: string, tables: Record<string, number>, entry: string, server: MysqlUrl, tmp: string): Promise<void> {
  await withServer(server, (c) => createDatabase(c, server.database));
  try {
    try {
      await loadDump(server, staged, tmp);
    } catch (err) {
      throw backupErrors.ARCHIVE_INVALID(`the dump ${entry} does not load: ${(err as Error).message}`);
    }
    const diff = countDifferences(await withServer(server, (c) => countRows(c, server.database)), tables);
    if (diff.length) throw backupErrors.ARCHIVE_INVALID(`the dump ${entry} does not hold the rows its manifest lists (${diff.slice(0, 3).join('; ')})`);
  } finally {
    await withServer(server, (c) => dropDatabase(c, server.database)).catch(() => undefined);
  }
}
