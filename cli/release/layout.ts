import { existsSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { releaseVersion } from '../../core/backup/identity.js';
import { releaseErrors } from './errors.js';

/**
 * A portal installed from releases, the way Ghost-CLI lays it out:
 *   <root>/releases/<version>/   one unpacked release each
 *   <root>/current -> releases/<version>
 *   <root>/var/                  shared by every release (each has a `var` link to it)
 *   <root>/upgrade-state.json    which release came before and the backup taken on the way
 */
export interface ReleaseLayout {
  root: string;
  releasesDir: string;
  currentDir: string;
  currentVersion: string;
}

export interface UpgradeState {
  current: string;
  previous: string | null;
  /** The backup taken just before the upgrade to `current`: what --rollback restores. */
  backup: string | null;
  at: string;
}

export const STATE_FILE = 'upgrade-state.json';

/** The layout this code runs in, or a NOT_A_RELEASE_INSTALL error saying what is missing. */
export function detectLayout(codeRoot = projectRoot): ReleaseLayout {
  const real = realpathSync(codeRoot);
  const releasesDir = path.dirname(real);
  const root = path.dirname(releasesDir);
  const current = path.join(root, 'current');
  const inLayout = path.basename(releasesDir) === 'releases' && existsSync(current) && realpathSync(current) === real;
  if (!inLayout) {
    throw releaseErrors.NOT_A_RELEASE_INSTALL(`this portal (${real}) does not run from a release install (<root>/releases/<version> behind <root>/current); see docs/operations.md, "Installing from a release"`);
  }
  return { root, releasesDir, currentDir: real, currentVersion: releaseVersion(real) };
}

export function readState(layout: ReleaseLayout): UpgradeState {
  const file = path.join(layout.root, STATE_FILE);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as UpgradeState;
    } catch {
      // a damaged state file is treated as no history
    }
  }
  return { current: layout.currentVersion, previous: null, backup: null, at: new Date().toISOString() };
}

export function writeState(layout: ReleaseLayout, state: UpgradeState): void {
  const file = path.join(layout.root, STATE_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Points <root>/current at a release in one rename. */
export function switchCurrent(layout: ReleaseLayout, version: string): void {
  const link = path.join(layout.root, 'current');
  const tmp = `${link}.next-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(path.join('releases', version), tmp);
  renameSync(tmp, link);
}

export function releaseDir(layout: ReleaseLayout, version: string): string {
  return path.join(layout.releasesDir, version);
}
