/**
 * Load generation for the benchmarks. The server under test and the load generator
 * each get their own core (taskset), and the generator is wrk, a C program: a
 * generator in Node on the same cores as the server (autocannon) spends more CPU
 * parsing large responses than the server spends producing them, so it measured
 * itself. autocannon remains the fallback where wrk cannot be installed.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { execa } from 'execa';
import { ensureDebianPackages, WRK } from '../test/harness/debian.js';

export interface LoadResult {
  name: string;
  reqPerSec: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Which generator measured it. */
  tool: 'wrk' | 'autocannon';
}

export interface LoadOptions {
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
  warmupSeconds?: number;
}

/** Cores for the server and the generator: two different ones when the machine has two. */
export const CPUS = os.cpus().length >= 2 ? { server: '0', generator: '1' } : null;

/** Prefix for a command so it runs on the server's core ([] on one-core machines). */
export function pinnedToServerCore(): string[] {
  return CPUS ? ['taskset', '-c', CPUS.server] : [];
}

let wrkReady: Promise<boolean> | undefined;

/** wrk from Debian (installed on first use when we may); false when it cannot be had. */
function haveWrk(): Promise<boolean> {
  if (process.env.BENCH_TOOL === 'autocannon') return Promise.resolve(false);
  wrkReady ??= ensureDebianPackages([WRK], (l) => console.error(l)).then(
    () => true,
    (err: unknown) => {
      console.error(`bench: wrk is not available (${(err as Error).message}); falling back to autocannon`);
      return false;
    },
  );
  return wrkReady;
}

/** Runs the load against one URL (after a warm-up of the same shape) and keeps the figures we report. */
export async function load(name: string, url: string, opts: LoadOptions): Promise<LoadResult> {
  const warmup = opts.warmupSeconds ?? Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
  const run = (await haveWrk()) ? runWrk : runAutocannon;
  if (warmup > 0) await run(name, url, { ...opts, seconds: warmup });
  return run(name, url, opts);
}

async function runWrk(name: string, url: string, opts: LoadOptions): Promise<LoadResult> {
  const args = ['-t', '1', '-c', String(opts.connections), '-d', `${opts.seconds}s`, '--latency', '--timeout', '5s'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(url);
  const cmd = CPUS ? ['taskset', '-c', CPUS.generator, 'wrk', ...args] : ['wrk', ...args];
  const { stdout } = await execa(cmd[0]!, cmd.slice(1));
  return { name, tool: 'wrk', ...parseWrk(stdout) };
}

/** Figures from wrk's text report (with --latency). */
export function parseWrk(out: string): Omit<LoadResult, 'name' | 'tool'> {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`unexpected wrk output:\n${out}`);
  const pct = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return Math.round((m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v) * 100) / 100;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { reqPerSec: Math.round(Number(rps[1])), p50: pct('50'), p99: pct('99'), errors, non2xx };
}

async function runAutocannon(name: string, url: string, opts: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({ url, duration: opts.seconds, connections: opts.connections, headers: opts.headers ?? {} });
  return { name, tool: 'autocannon', reqPerSec: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

/** One line saying how the load was made, for the report. */
export function setupLine(results: LoadResult[], opts: LoadOptions): string {
  const tools = [...new Set(results.map((r) => r.tool))].join(' + ');
  const pinning = CPUS ? `servers pinned to core ${CPUS.server}, load generator to core ${CPUS.generator}` : 'one core: no pinning';
  return `${opts.seconds} s per run after ${process.env.BENCH_WARMUP_SECONDS ?? 2} s warm-up, ${opts.connections} connections, generator ${tools} (1 thread); ${pinning}; ${os.cpus().length} cores, Node ${process.version}`;
}
