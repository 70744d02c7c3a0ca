import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extract } from 'tar';
import { projectRoot } from '../../core/config/paths.js';
import { buildRelease } from '../../cli/release/build-release.js';
import { linkTree } from '../../cli/release/place-release.js';

/**
 * Releases built from this working tree into temp folders: the tarball of `portal release`,
 * unpacked, with a test module "bkt" whose migrations differ per release.
 */
export class ReleaseFixture {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'portal-releases-'));
  private tarball = '';

  async base(): Promise<string> {
    if (!this.tarball) this.tarball = (await buildRelease({ outDir: path.join(this.dir, 'built'), build: false })).file;
    const into = mkdtempSync(path.join(this.dir, 'src-'));
    await extract({ file: this.tarball, cwd: into, strip: 1 });
    return into;
  }

  /** A release folder of `version` whose bkt module has `migrations` (JS source of each up()). */
  async release(version: string, migrations: { name: string; up: string }[]): Promise<string> {
    const dir = await this.base();
    const pkgFile = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
    pkg.version = version;
    writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
    const info = path.join(dir, 'release.json');
    writeFileSync(info, JSON.stringify({ ...JSON.parse(readFileSync(info, 'utf8')), version }));
    const mod = path.join(dir, 'dist/modules/bkt');
    mkdirSync(mod, { recursive: true });
    writeFileSync(path.join(mod, 'module.js'), `export default {
  id: 'bkt',
  version: '${version}',
  title: { en: 'Backup test', ru: 'Проверка резервных копий' },
  migrations: [${migrations.map((m) => `{ name: ${JSON.stringify(m.name)}, async up(db) { ${m.up} }, async down() {} }`).join(',\n')}],
};
`);
    return dir;
  }

  /** A tarball of a release folder, as `portal release` would write it. */
  async pack(dir: string): Promise<string> {
    const { create } = await import('tar');
    const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    const stage = mkdtempSync(path.join(this.dir, 'pack-'));
    cpSync(dir, path.join(stage, `portal-${version}`), { recursive: true });
    const file = path.join(this.dir, `portal-${version}.tar.gz`);
    await create({ file, cwd: stage, gzip: true }, [`portal-${version}`]);
    return file;
  }

  /** The first install, as docs/operations.md describes it: releases/<v>, current, a shared var and node_modules. */
  async install(release: string): Promise<{ root: string; current: string }> {
    const root = mkdtempSync(path.join(this.dir, 'root-'));
    const version = (JSON.parse(readFileSync(path.join(release, 'package.json'), 'utf8')) as { version: string }).version;
    const dir = path.join(root, 'releases', version);
    mkdirSync(path.dirname(dir), { recursive: true });
    cpSync(release, dir, { recursive: true });
    mkdirSync(path.join(root, 'var'));
    symlinkSync('../../var', path.join(dir, 'var'));
    await linkTree(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'));
    symlinkSync(path.join('releases', version), path.join(root, 'current'));
    return { root, current: path.join(root, 'current') };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
