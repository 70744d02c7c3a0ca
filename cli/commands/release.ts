import path from 'node:path';
import { Command } from 'commander';
import { formatBytes } from '../../core/backup/fs-util.js';
import { line, printJson } from '../utils/output.js';
import { buildRelease } from '../release/build-release.js';

export function releaseCommand(): Command {
  return new Command('release')
    .description('build this project and pack it as a release tarball (portal-<version>.tar.gz) for `portal upgrade --to`')
    .option('--out <dir>', 'where to write the tarball', '.')
    .option('--with-deps', 'include node_modules, so installing the release needs no npm registry')
    .option('--no-build', 'pack dist/ as it is, without running tsc -b first')
    .option('--json', 'print JSON')
    .action(async (flags: { out: string; withDeps?: boolean; build: boolean; json?: boolean }) => {
      const r = await buildRelease({ outDir: path.resolve(flags.out), withDeps: Boolean(flags.withDeps), build: flags.build });
      if (flags.json) return printJson({ file: r.file, bytes: r.bytes, ...r.info });
      line(`Release ${r.info.version} written: ${r.file} (${formatBytes(r.bytes)}${r.info.withDeps ? ', with node_modules' : ''})`);
    });
}
