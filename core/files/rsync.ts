import { execa } from 'execa';
import { defineErrors } from '../errors/portal-error.js';

export const rsyncErrors = defineErrors({
  RSYNC_FAILED: { status: 500, message: (m) => m },
});

export interface RsyncTarget {
  /** A folder (on this machine, or on `ssh`'s host). */
  path: string;
  /** `user@host`: the copy goes over ssh (rsync -e ssh). */
  ssh?: string;
}

export interface RsyncOptions {
  /** Paths (rsync patterns, relative to the source) taken even if an exclude matches (given first). */
  include?: string[];
  /** Paths (rsync patterns, relative to the source) left out. */
  exclude?: string[];
  /** Delete what the source no longer has. */
  delete?: boolean;
  /** Hard-link unchanged files from this folder on the target (the previous release). */
  linkDest?: string;
  /** Compare by checksum instead of size and mtime (the audit). */
  checksum?: boolean;
  /** Print what changed (--itemize-changes); the lines are returned. */
  itemize?: boolean;
  /** Keep the path of `files` below the source (rsync --relative with /./ in the source). */
  files?: string[];
  timeoutMs?: number;
}

/** The rsync argument naming a target folder: `/dir/` or `user@host:/dir/`. */
export function rsyncPath(target: RsyncTarget): string {
  const dir = target.path.endsWith('/') ? target.path : `${target.path}/`;
  return target.ssh ? `${target.ssh}:${dir}` : dir;
}

/**
 * Copies the contents of folder `from` (on this machine) into `to` with rsync, through
 * execa (no shell). Returns the changed paths when `itemize` is set. Fails with one line.
 */
export async function rsync(from: string, to: RsyncTarget, options: RsyncOptions = {}): Promise<string[]> {
  const args = ['-a', '--mkpath'];
  if (options.delete) args.push('--delete');
  if (options.checksum) args.push('--checksum');
  if (options.linkDest) args.push(`--link-dest=${options.linkDest}`);
  if (options.itemize) args.push('--itemize-changes', '--out-format=%i %n');
  for (const pattern of options.include ?? []) args.push(`--include=${pattern}`);
  for (const pattern of options.exclude ?? []) args.push(`--exclude=${pattern}`);
  if (to.ssh) args.push('-e', 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new');
  if (options.files?.length) {
    // Only these files, each at its path below `from` (…/./relative/path).
    args.push('--relative', ...options.files.map((f) => `${from.replace(/\/$/, '')}/./${f}`), rsyncPath(to));
  } else args.push(from.endsWith('/') ? from : `${from}/`, rsyncPath(to));
  const r = await execa('rsync', args, { reject: false, timeout: options.timeoutMs ?? 10 * 60_000, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    const why = String(r.stderr || r.shortMessage).trim().split('\n').filter(Boolean).pop() ?? `exit ${r.exitCode}`;
    throw rsyncErrors.RSYNC_FAILED(`rsync to ${rsyncPath(to)} failed: ${why}`);
  }
  return options.itemize ? String(r.stdout).split('\n').filter((l) => l.trim() !== '') : [];
}
