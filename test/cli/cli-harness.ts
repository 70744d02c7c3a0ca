import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../../core/config/load-config.js';
import { projectRoot } from '../../core/config/paths.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { createTestDatabase, type DbKind, type TestDatabase } from '../harness/db-matrix.js';
import { installPortal } from '../../installer/install.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI child: no PORTAL_* from the caller except the test services, plus `env`. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && (!k.startsWith('PORTAL_') || k.startsWith('PORTAL_TEST_'))),
  ) as Record<string, string>;
  return { ...base, ...env };
}

/** Runs `node bin/portal.js ...args` of the project at `root` (default: this one) without a terminal. */
export async function runCli(args: string[], env: Record<string, string>, opts: { root?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const root = opts.root ?? projectRoot;
  const r = await execa(process.execPath, [path.join(root, 'bin/portal.js'), ...args], {
    cwd: root,
    env: childEnv(env),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Asserts a clean success and returns stdout. */
export function ok(r: CliResult): string {
  assert.equal(r.exitCode, 0, `exit ${r.exitCode}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** Asserts the failure shape every command shares: non-zero exit, one `portal: ...` line on stderr, no stack. */
export function assertOneLineError(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.exitCode, 0, `expected a failure, got exit 0\nstdout: ${r.stdout}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^portal: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

/** The passwords shown in "password: xxx" lines of the output. */
export function shownPasswords(stdout: string): string[] {
  return [...stdout.matchAll(/\|\s+password:\s+(\S+)\s+\|/g)].map((m) => m[1]!);
}

export interface CliPortal {
  dir: string;
  db: TestDatabase;
  /** PORTAL_VAR_DIR and PORTAL_DB_URL for the children. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A fresh var dir and an empty database of `kind`, nothing installed. */
export async function freshPortal(kind: DbKind): Promise<CliPortal> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `portal-cli-${kind}-`));
  const db = await createTestDatabase(kind, dir);
  return {
    dir,
    db,
    env: { PORTAL_VAR_DIR: dir, PORTAL_DB_URL: db.url },
    cleanup: async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Two fresh portals of `kind` with `modules` installed: the source and target of export/import tests. */
export async function installedPortalPair(kind: DbKind, modules: string[]): Promise<[CliPortal, CliPortal]> {
  const pair = await Promise.all([freshPortal(kind), freshPortal(kind)]);
  for (const p of pair) await installPortal({ env: p.env, adminPassword: 'Admin-pass-123', modules });
  return pair;
}

/** Boots a kernel on the portal the CLI children use, runs `fn`, closes it. */
export async function withPortalKernel<T>(env: Record<string, string>, fn: (kernel: Kernel) => Promise<T>): Promise<T> {
  const kernel = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}
