import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ensureDebianPackages, WRK } from './debian.js';

export interface WrkFigures {
  requests: number;
  /** Socket errors: connect, read, write, timeout. */
  errors: { connect: number; read: number; write: number; timeout: number };
  /** Responses with a status of 400 or more (wrk's "Non-2xx or 3xx responses"). */
  non2xx: number;
  report: string;
}

export interface WrkRun {
  /** Stops the load (SIGINT: wrk prints its report) and returns its figures. */
  stop(): Promise<WrkFigures>;
}

/**
 * wrk (Debian's) against `url` with one thread and `connections` keep-alive connections, for at
 * most `maxSeconds`; stop it earlier with `stop()`. `delayMs` paces each connection (a bounded
 * load that leaves the machine room, like clients that pause). Only loopback URLs are ever loaded.
 */
export async function startWrk(url: string, opts: { connections: number; maxSeconds: number; delayMs?: number }): Promise<WrkRun> {
  if (!/^http:\/\/127\.\d+\.\d+\.\d+[:/]/.test(url)) throw new Error(`wrk loads only loopback addresses, not ${url}`);
  await ensureDebianPackages([WRK]);
  const args = ['-t', '1', '-c', String(opts.connections), '-d', `${opts.maxSeconds}s`, '--timeout', '5s'];
  let script: string | undefined;
  if (opts.delayMs) {
    // wrk's Lua hook: each connection waits this long before its next request (bounded load, idle gaps).
    script = path.join(mkdtempSync(path.join(os.tmpdir(), 'wrk-')), 'delay.lua');
    writeFileSync(script, `function delay()\n  return ${Math.round(opts.delayMs)}\nend\n`);
    args.push('-s', script);
  }
  const child = execa('wrk', [...args, url], { reject: false });
  return {
    stop: async () => {
      child.kill('SIGINT');
      const r = await child;
      if (script) rmSync(path.dirname(script), { recursive: true, force: true });
      return parseWrkReport(String(r.stdout));
    },
  };
}

export function parseWrkReport(report: string): WrkFigures {
  const requests = /(\d+) requests in /.exec(report);
  if (!requests) throw new Error(`unexpected wrk output:\n${report}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report)?.slice(1).map(Number) ?? [0, 0, 0, 0];
  return {
    requests: Number(requests[1]),
    errors: { connect: socket[0]!, read: socket[1]!, write: socket[2]!, timeout: socket[3]! },
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0),
    report,
  };
}

export function socketErrors(f: WrkFigures): number {
  return f.errors.connect + f.errors.read + f.errors.write + f.errors.timeout;
}
