import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';

/** Left out of a project copy: installed packages are linked, state is not copied. */
const SKIP = new Set(['node_modules', 'var', '.git', '.pm2']);
const SKIP_NESTED = ['test/artifacts', 'bench/results'];

export interface ProjectCopy {
  root: string;
  remove(): void;
}

/**
 * A throw-away copy of the project (sources and dist, timestamps kept so `tsc -b` stays
 * incremental; node_modules linked), for tests of commands that write into the project.
 */
export function copyProject(prefix: string): ProjectCopy {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of readdirSync(projectRoot)) {
    if (SKIP.has(entry)) continue;
    cpSync(path.join(projectRoot, entry), path.join(root, entry), {
      recursive: true,
      preserveTimestamps: true,
      filter: (src) => !SKIP_NESTED.some((p) => src.startsWith(path.join(projectRoot, p))),
    });
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
