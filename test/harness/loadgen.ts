/** What a load run saw: every answer by status, and the requests that got no answer at all. */
export interface LoadReport {
  requests: number;
  byStatus: Record<number, number>;
  /** Requests that failed at the socket level (refused, reset, timed out). */
  errors: number;
  /** Answers whose status was not the expected one or whose body failed the check. */
  failed: number;
  /** A few examples of what failed, for the assertion message. */
  samples: string[];
  /** Per-request latencies in ms, in order. */
  latencies: number[];
}

export interface LoadOptions {
  url: string;
  /** Concurrent loops (default 4). */
  connections?: number;
  /** Pause of each loop between its requests, so the load stays bounded (default 20 ms). */
  pauseMs?: number;
  headers?: Record<string, string>;
  /** What a good answer is (default: status 200). */
  check?: (status: number, body: string) => boolean;
}

export interface RunningLoad {
  /** Stops the loops, waits for the requests in flight, and reports. */
  stop(): Promise<LoadReport>;
  /** Requests answered so far. */
  readonly count: number;
}

/**
 * A bounded load generator: a few loops of fetch, each waiting for its answer and pausing
 * before the next, until stopped. Unlike a saturating benchmark it keeps a small, steady
 * rate on a shared 2-core machine, and it records every failure.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const report: LoadReport = { requests: 0, byStatus: {}, errors: 0, failed: 0, samples: [], latencies: [] };
  const check = options.check ?? ((status) => status === 200);
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(options.url, { headers: options.headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
        const body = await res.text();
        report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
        if (!check(res.status, body)) {
          report.failed++;
          if (report.samples.length < 5) report.samples.push(`${res.status} ${res.headers.get('location') ?? body.slice(0, 120)}`);
        }
      } catch (err) {
        report.errors++;
        if (report.samples.length < 5) report.samples.push(String((err as Error).cause ?? err));
      }
      report.requests++;
      report.latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, options.pauseMs ?? 20));
    }
  };
  const loops = Array.from({ length: options.connections ?? 4 }, () => loop());
  return {
    get count() {
      return report.requests;
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return report;
    },
  };
}
