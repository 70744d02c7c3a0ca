import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { backupErrors } from './errors.js';

/** Left in the var dir while a restore runs; a portal with it refuses to start. */
export const RESTORE_MARKER = 'RESTORE-IN-PROGRESS.json';

export interface RestoreMarker {
  archive: string;
  startedAt: string;
  pid: number;
}

export function writeRestoreMarker(varDir: string, archive: string): void {
  mkdirSync(varDir, { recursive: true });
  const marker: RestoreMarker = { archive, startedAt: new Date().toISOString(), pid: process.pid };
  writeFileSync(path.join(varDir, RESTORE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

export function clearRestoreMarker(varDir: string): void {
  rmSync(path.join(varDir, RESTORE_MARKER), { force: true });
}

export function readRestoreMarker(varDir: string): RestoreMarker | null {
  const file = path.join(varDir, RESTORE_MARKER);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RestoreMarker;
  } catch {
    return { archive: '(unknown archive)', startedAt: '?', pid: 0 };
  }
}

/** Throws RESTORE_INCOMPLETE while a restore has not finished: the data may be half replaced. */
export function assertNoRestoreInProgress(varDir: string): void {
  const marker = readRestoreMarker(varDir);
  if (!marker) return;
  throw backupErrors.RESTORE_INCOMPLETE(
    `a restore from ${marker.archive} started ${marker.startedAt} did not finish, so the data may be half replaced; run \`portal restore ${marker.archive} --yes\` again`,
  );
}
