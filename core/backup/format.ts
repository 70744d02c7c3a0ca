/**
 * The backup archive: a gzipped tar whose first entry is manifest.json, then settings.json,
 * one dump per database server (db/<key>.sqlite or db/<key>.sql) and the uploaded files
 * (files/<path in the upload directory>). See docs/operations.md.
 */
export const ARCHIVE_FORMAT = 'portal-backup';
export const FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const SETTINGS_ENTRY = 'settings.json';
export const FILES_PREFIX = 'files/';

export type Dialect = 'sqlite' | 'mysql';

/** One database server's dump: "default" holds main and every module not moved by db.modules. */
export interface ArchivedDatabase {
  key: string;
  dialect: Dialect;
  /** Archive entry holding the dump. */
  entry: string;
  /** Installed modules whose tables live there. */
  modules: string[];
  /** Rows per table at the moment of the snapshot. */
  tables: Record<string, number>;
}

export interface ArchiveEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  createdAt: string;
  portal: {
    /** Stable for an install and its restores: derived from when main was installed. */
    id: string;
    installedAt: string;
    /** package.json version of the code that made the backup. */
    release: string;
  };
  modules: { id: string; version: string }[];
  /** Applied migrations per module. */
  migrations: Record<string, string[]>;
  databases: ArchivedDatabase[];
  files: {
    count: number;
    bytes: number;
    /** Recorded in main_files but not on disk when the backup ran (restored as they were: missing). */
    missing: string[];
  };
  /** Every entry after the manifest, in archive order. */
  entries: ArchiveEntry[];
}

/** Total bytes of the entries: what a restore unpacks. */
export function unpackedBytes(manifest: Manifest): number {
  return manifest.entries.reduce((sum, e) => sum + e.size, 0);
}
