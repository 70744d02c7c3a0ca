import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { create as createTar } from 'tar';
import { projectRoot } from '../../core/config/paths.js';
import { releaseVersion } from '../../core/backup/identity.js';
import { releaseErrors } from './errors.js';

/** What a release tarball says about itself (release.json at its top). */
export interface ReleaseInfo {
  format: 'portal-release';
  version: string;
  builtAt: string;
  /** sha256 of package-lock.json: equal locks let an upgrade reuse the installed node_modules. */
  lockSha256: string;
  withDeps: boolean;
}

export const RELEASE_INFO = 'release.json';

/** What a release carries: the built project without tests, benches, local state or git. */
const INCLUDE = ['package.json', 'package-lock.json', 'README.md', 'portal.config.ts', 'tsconfig.json', 'bin', 'dist', 'core', 'cli', 'installer', 'modules', 'components', 'templates', 'docs'];
const EXCLUDE = new Set(['dist/test', 'dist/bench', 'dist/tsconfig.tsbuildinfo', 'dist/.tsbuildinfo']);

export function lockSha256(root: string): string {
  const lock = path.join(root, 'package-lock.json');
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : '';
}

/**
 * Builds (tsc -b) and packs this project as `portal-<version>.tar.gz`: one folder
 * `portal-<version>/` holding release.json and the INCLUDE list (with node_modules when
 * `withDeps`, so an upgrade needs no registry).
 */
export async function buildRelease(opts: { outDir: string; withDeps?: boolean; build?: boolean; root?: string }): Promise<{ file: string; info: ReleaseInfo; bytes: number }> {
  const root = opts.root ?? projectRoot;
  if (opts.build !== false) {
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const r = await execa(process.execPath, [tsc, '-b'], { cwd: root, reject: false });
    if (r.exitCode !== 0) throw releaseErrors.RELEASE_BUILD_FAILED(`the build failed: ${String(r.stdout || r.stderr).split('\n')[0]}`);
  }
  if (!existsSync(path.join(root, 'dist/cli/index.js'))) throw releaseErrors.RELEASE_BUILD_FAILED(`${root} is not built (no dist/cli/index.js); run \`npm run build\``);
  const info: ReleaseInfo = { format: 'portal-release', version: releaseVersion(root), builtAt: new Date().toISOString(), lockSha256: lockSha256(root), withDeps: Boolean(opts.withDeps) };
  const name = `portal-${info.version}`;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-release-'));
  try {
    const stage = path.join(tmp, name);
    await mkdir(stage);
    for (const entry of [...INCLUDE, ...(opts.withDeps ? ['node_modules'] : [])]) {
      const from = path.join(root, entry);
      if (!existsSync(from)) continue;
      await cp(from, path.join(stage, entry), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (src) => !EXCLUDE.has(path.relative(root, src).split(path.sep).join('/')),
      });
    }
    await writeFile(path.join(stage, RELEASE_INFO), `${JSON.stringify(info, null, 2)}\n`);
    await mkdir(opts.outDir, { recursive: true });
    const file = path.join(path.resolve(opts.outDir), `${name}.tar.gz`);
    const partial = `${file}.partial-${process.pid}`;
    await createTar({ file: partial, cwd: tmp, gzip: true, portable: true }, [name]);
    await rename(partial, file);
    return { file, info, bytes: (await stat(file)).size };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
