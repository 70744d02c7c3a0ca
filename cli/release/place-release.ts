import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { cp, copyFile, link, mkdir, mkdtemp, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import semver from 'semver';
import { extract } from 'tar';
import { releaseVersion } from '../../core/backup/identity.js';
import { lockSha256, RELEASE_INFO, type ReleaseInfo } from './build-release.js';
import { releaseErrors } from './errors.js';
import { releaseDir, type ReleaseLayout } from './layout.js';

export interface PlacedRelease {
  version: string;
  dir: string;
  /** How node_modules got there. */
  deps: 'bundled' | 'linked from the current release' | 'npm ci';
}

const SKIP_FROM_DIR = new Set(['node_modules', '.git', 'var', '.pm2']);

/**
 * Puts a release (a tarball from `portal release`, or a built project folder) at
 * releases/<version> beside the current one, linked to the shared var dir and pm2 home, with
 * the site's portal.config carried over and its dependencies in place.
 */
export async function placeRelease(layout: ReleaseLayout, source: string, log: (m: string) => void): Promise<PlacedRelease> {
  const from = path.resolve(source);
  if (!existsSync(from)) throw releaseErrors.RELEASE_INVALID(`no release at ${from}`);
  const incoming = await mkdtemp(path.join(layout.releasesDir, '.incoming-'));
  try {
    let unpacked: string;
    if (statSync(from).isDirectory()) {
      if (!existsSync(path.join(from, 'package.json')) || !existsSync(path.join(from, 'dist/cli/index.js'))) {
        throw releaseErrors.RELEASE_INVALID(`${from} is not a built portal (package.json and dist/cli/index.js are needed)`);
      }
      unpacked = path.join(incoming, 'release');
      await cp(from, unpacked, { recursive: true, verbatimSymlinks: true, filter: (src) => !(path.dirname(src) === from && SKIP_FROM_DIR.has(path.basename(src))) });
      if (existsSync(path.join(from, 'node_modules'))) await linkTree(path.join(from, 'node_modules'), path.join(unpacked, 'node_modules'));
    } else {
      unpacked = await unpackTarball(from, incoming);
    }
    const version = releaseVersion(unpacked);
    if (!semver.valid(version)) throw releaseErrors.RELEASE_INVALID(`${from} has no valid version in package.json (${version})`);
    if (!semver.gt(version, layout.currentVersion)) {
      throw releaseErrors.UPGRADE_REFUSED(semver.eq(version, layout.currentVersion)
        ? `release ${version} is the one installed already`
        : `release ${version} is older than the installed ${layout.currentVersion}; go back with \`portal upgrade --rollback\``);
    }
    const dir = releaseDir(layout, version);
    await rm(dir, { recursive: true, force: true }); // a leftover of an upgrade that failed
    await rename(unpacked, dir);
    await shareState(layout, dir);
    await carryConfig(layout.currentDir, dir);
    const deps = await installDeps(layout.currentDir, dir, log);
    return { version, dir, deps };
  } finally {
    await rm(incoming, { recursive: true, force: true });
  }
}

async function unpackTarball(file: string, into: string): Promise<string> {
  try {
    await extract({ file, cwd: into, strict: true });
  } catch (err) {
    throw releaseErrors.RELEASE_INVALID(`${file} is not a release tarball: ${(err as Error).message}`);
  }
  const tops = readdirSync(into);
  const top = tops.length === 1 ? path.join(into, tops[0]!) : '';
  const infoFile = top ? path.join(top, RELEASE_INFO) : '';
  if (!top || !existsSync(infoFile)) throw releaseErrors.RELEASE_INVALID(`${file} is not a release tarball (no ${RELEASE_INFO} in one top folder)`);
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as ReleaseInfo;
  if (info.format !== 'portal-release' || info.version !== releaseVersion(top)) throw releaseErrors.RELEASE_INVALID(`${file} has a ${RELEASE_INFO} that does not match its package.json`);
  if (!existsSync(path.join(top, 'dist/cli/index.js'))) throw releaseErrors.RELEASE_INVALID(`${file} holds no built portal (dist/cli/index.js)`);
  return top;
}

/** The var dir and pm2 home are the install's, not the release's: link them to what the current release uses. */
async function shareState(layout: ReleaseLayout, dir: string): Promise<void> {
  for (const name of ['var', '.pm2']) {
    const here = path.join(layout.currentDir, name);
    if (name === 'var' && process.env.PORTAL_VAR_DIR) continue;
    let target = path.join(layout.root, name);
    if (existsSync(here)) {
      if (name === 'var' && !lstatSync(here).isSymbolicLink()) {
        throw releaseErrors.UPGRADE_REFUSED(`${here} is a folder inside the release; move it to ${target} and link it (ln -s ../../var ${here}), see docs/operations.md`);
      }
      target = realpathSync(here);
    } else {
      await mkdir(target, { recursive: true });
    }
    await rm(path.join(dir, name), { recursive: true, force: true });
    await symlink(target, path.join(dir, name));
  }
}

/** The site's portal.config (source and compiled) stays the site's across releases. */
async function carryConfig(current: string, next: string): Promise<void> {
  for (const rel of ['portal.config.ts', 'dist/portal.config.js']) {
    const from = path.join(current, rel);
    if (existsSync(from)) await copyFile(from, path.join(next, rel));
  }
}

/** Bundled node_modules stay; the same lock file reuses the current ones (hard links); otherwise npm ci. */
async function installDeps(current: string, dir: string, log: (m: string) => void): Promise<PlacedRelease['deps']> {
  if (existsSync(path.join(dir, 'node_modules'))) return 'bundled';
  if (lockSha256(current) && lockSha256(current) === lockSha256(dir) && existsSync(path.join(current, 'node_modules'))) {
    await linkTree(realpathSync(path.join(current, 'node_modules')), path.join(dir, 'node_modules'));
    return 'linked from the current release';
  }
  log('The dependencies changed: running npm ci --omit=dev (needs the npm registry or a filled npm cache)');
  const r = await execa('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, reject: false });
  if (r.exitCode !== 0) throw releaseErrors.RELEASE_INVALID(`npm ci failed in ${dir}: ${String(r.stderr).trim().split('\n').pop() ?? ''}`);
  return 'npm ci';
}

/** Copies a folder as hard links (files are never changed in place by npm), copying across filesystems. */
export async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) await linkTree(a, b);
    else if (e.isSymbolicLink()) await symlink(await readlink(a), b);
    else {
      try {
        await link(a, b);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        await copyFile(a, b);
      }
    }
  }
}
