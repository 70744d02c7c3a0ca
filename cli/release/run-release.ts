import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { PortalConfig } from '../../core/config/types.js';
import { releaseErrors } from './errors.js';

/** Runs `portal <args>` of the release in `dir` (its own code, the same environment); returns stdout. */
export async function runReleaseCli(dir: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<{ ok: boolean; stdout: string; error: string }> {
  const r = await execa(process.execPath, [path.join(dir, 'bin/portal.js'), ...args], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? 30 * 60_000,
    env: { PORTAL_DEBUG: '' },
  });
  const error = String(r.stderr).split('\n').filter((l) => l.startsWith('portal: ')).pop()?.replace(/^portal: /, '') ?? `exit ${r.exitCode}`;
  return { ok: r.exitCode === 0, stdout: String(r.stdout), error };
}

export function readyUrl(config: PortalConfig): string {
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}/readyz`;
}

/** Whether something answers /readyz with 200 now. */
export async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Whether anything answers HTTP at the portal's address (a portal running outside pm2). */
export async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

export async function waitReady(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    if (await isReady(url)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw releaseErrors.UPGRADE_FAILED(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s`);
}

/**
 * Starts the release in the foreground on the configured address (no agents), waits for
 * /readyz, and stops it again: the check for a portal that pm2 does not run.
 */
export async function smokeStart(dir: string, config: PortalConfig, timeoutMs = 60_000): Promise<void> {
  const child: ResultPromise = execa(process.execPath, [path.join(dir, 'bin/portal.js'), 'start'], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    env: { PORTAL_AGENTS_IN_WEB: '0', PORTAL_DEBUG: '' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
  try {
    await waitReady(readyUrl(config), timeoutMs, () => child.exitCode === null);
    if (child.exitCode !== null) throw new Error('exited');
  } catch {
    const why = stderr.split('\n').filter((l) => l.startsWith('portal: ')).pop()?.replace(/^portal: /, '') ?? 'it did not become ready';
    throw releaseErrors.UPGRADE_FAILED(`release ${path.basename(dir)} does not start: ${why}`);
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await child;
    clearTimeout(timer);
  }
}
