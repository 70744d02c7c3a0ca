import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { freePort } from '../test/harness/free-port.js';
import { execa, type ResultPromise } from 'execa';
import { load, pinnedToServerCore, type LoadResult } from './load.js';

export { load, pinnedToServerCore, setupLine, type LoadResult } from './load.js';

/** Resident set size of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** Polls a URL until it answers; returns ms from `since` to the first response. */
export async function firstResponse(url: string, since: number, timeoutMs = 30_000): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      await res.arrayBuffer();
      return Date.now() - since;
    } catch {
      if (Date.now() - since > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export async function stop(child: ResultPromise): Promise<void> {
  child.kill('SIGTERM');
  await child.catch(() => undefined);
}

export function table(rows: Record<string, string | number>[]): string {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ');
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}

export { execa };

/** The baseline of every benchmark: koa hello-world in its own process, measured like the rest. */
export async function measureBareKoa(opts: { seconds: number; connections: number; bodyBytes?: number }): Promise<LoadResult> {
  const koaPort = await freePort();
  const env = { PORT: String(koaPort), BODY_BYTES: String(opts.bodyBytes ?? 0) };
  const koa = spawnServer([process.execPath, path.join(projectRoot, 'dist/bench/bare-koa.js')], { env });
  try {
    await firstResponse(`http://127.0.0.1:${koaPort}/`, Date.now());
    const name = opts.bodyBytes ? `bare koa, same ${Math.round(opts.bodyBytes / 102.4) / 10} KB body` : 'bare koa hello-world';
    return await load(name, `http://127.0.0.1:${koaPort}/`, opts);
  } finally {
    await stop(koa);
  }
}

/** Starts a server process on the server's core (see bench/load.ts), output discarded unless inherited. */
export function spawnServer(command: string[], opts: { env?: Record<string, string | undefined>; stderr?: 'inherit' } = {}): ResultPromise {
  const [file, ...args] = [...pinnedToServerCore(), ...command];
  return execa(file!, args, { env: opts.env, reject: false, ...(opts.stderr ? { stderr: opts.stderr } : {}) });
}

/** Latency figures of a series of timed calls, in ms. */
export interface Latency {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function latencyOf(samplesMs: number[]): Latency {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  return { n: s.length, p50: round2(at(0.5)), p99: round2(at(0.99)), mean: round2(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

/**
 * Times `run` once per input, one call at a time (latency, not throughput). `before` runs
 * untimed ahead of each call (e.g. to make a cache cold); the first `warmup` inputs are not recorded.
 */
export async function timeEach<T>(inputs: T[], run: (x: T) => Promise<unknown>, opts: { warmup?: number; before?: (x: T) => Promise<void> } = {}): Promise<Latency> {
  const samples: number[] = [];
  for (const [i, x] of inputs.entries()) {
    if (opts.before) await opts.before(x);
    const t0 = process.hrtime.bigint();
    await run(x);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= (opts.warmup ?? 0)) samples.push(ms);
  }
  return latencyOf(samples);
}
