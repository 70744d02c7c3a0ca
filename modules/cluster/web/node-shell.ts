import { execa } from 'execa';
import type { WebNode } from './types.js';

export interface ShellResult {
  ok: boolean;
  stdout: string;
  /** The last line of stderr (or the exit code): the reason, in one line. */
  error: string;
}

/** Quotes one argument for the remote shell of `ssh user@host <command>`. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs a program on the node: here through execa (no shell), or on `node.ssh`'s host
 * through ssh with every argument quoted.
 */
export async function onNode(node: Pick<WebNode, 'ssh'>, file: string, args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ShellResult> {
  const timeout = options.timeoutMs ?? 120_000;
  const r = node.ssh
    ? await execa('ssh', ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', node.ssh, ['env', ...Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`), file, ...args].map(shellQuote).join(' ')], { reject: false, timeout, stdin: 'ignore' })
    : await execa(file, args, { reject: false, timeout, stdin: 'ignore', env: options.env });
  const error = String(r.stderr || r.shortMessage || '').trim().split('\n').filter(Boolean).pop() ?? `exit ${r.exitCode}`;
  return { ok: r.exitCode === 0, stdout: String(r.stdout ?? ''), error };
}
