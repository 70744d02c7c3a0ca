import type { Knex } from 'knex';
import { gtidReached } from './read-your-writes.js';

/** One look at a replica, from `SHOW SLAVE STATUS` and its GTID position. */
export interface ReplicaSample {
  reachable: boolean;
  /** Whether the server is set up as a replica at all (SHOW SLAVE STATUS has a row). */
  configured: boolean;
  ioRunning: boolean;
  sqlRunning: boolean;
  /** Seconds_Behind_Master; null while the SQL thread is stopped or the IO thread lost the primary. */
  lagSeconds: number | null;
  lastError: string;
  gtidSlavePos: string;
}

export type ReplicaOutReason = 'unreachable' | 'not_replicating' | 'io_stopped' | 'sql_stopped' | 'lag_unknown' | 'lagging' | 'error' | 'warming_up';

export interface ReplicaState {
  url: string;
  inPool: boolean;
  /** Why it is out of the read pool; null while it is in. */
  reason: ReplicaOutReason | null;
  sample: ReplicaSample | null;
  sampledAt: number | null;
  goodInARow: number;
}

export interface ReplicaHealthOptions {
  /** A connection to a replica (the connection manager's pool for its URL). */
  connect(url: string): Knex;
  /** Lag above which a replica leaves the pool, seconds (default 5). */
  maxLagSeconds?: number;
  /** Good samples in a row before a replica that left comes back (default 3). */
  goodSamplesToRejoin?: number;
  /** Sampling period, ms (default 1000). */
  intervalMs?: number;
  /** A replica that does not answer within this is unreachable, ms (default 800). */
  timeoutMs?: number;
  onChange?(state: ReplicaState): void;
}

type Row = Record<string, unknown>;

/** Reads a replica's state; a server that answers but replicates nothing is `not_replicating`. */
export async function sampleReplica(knex: Knex, timeoutMs: number): Promise<ReplicaSample> {
  const down: ReplicaSample = { reachable: false, configured: false, ioRunning: false, sqlRunning: false, lagSeconds: null, lastError: '', gtidSlavePos: '' };
  try {
    const status = await withTimeout(knex.raw('SHOW SLAVE STATUS'), timeoutMs);
    const row = (firstRows(status)[0] ?? null) as Row | null;
    const pos = firstRows(await withTimeout(knex.raw('SELECT @@gtid_slave_pos AS pos'), timeoutMs))[0] as Row | undefined;
    if (!row) return { ...down, reachable: true, gtidSlavePos: String(pos?.pos ?? '') };
    const lag = row.Seconds_Behind_Master;
    return {
      reachable: true,
      configured: true,
      ioRunning: row.Slave_IO_Running === 'Yes',
      sqlRunning: row.Slave_SQL_Running === 'Yes',
      lagSeconds: lag === null || lag === undefined ? null : Number(lag),
      lastError: String(row.Last_SQL_Error || row.Last_IO_Error || ''),
      gtidSlavePos: String(pos?.pos ?? ''),
    };
  } catch {
    return down;
  }
}

/** Why a sample keeps a replica out of the pool, or null when it may serve reads. */
export function outReason(sample: ReplicaSample, maxLagSeconds: number): ReplicaOutReason | null {
  if (!sample.reachable) return 'unreachable';
  if (!sample.configured) return 'not_replicating';
  if (sample.lastError) return 'error';
  if (!sample.sqlRunning) return 'sql_stopped';
  if (!sample.ioRunning) return 'io_stopped';
  if (sample.lagSeconds === null) return 'lag_unknown';
  if (sample.lagSeconds > maxLagSeconds) return 'lagging';
  return null;
}

/**
 * Samples every replica about once a second. A bad sample (lag over the threshold, a NULL lag,
 * a stopped thread, a replication error, no answer) takes a replica out of the read pool at once;
 * it comes back after `goodSamplesToRejoin` good ones. A replica starts out of the pool until its
 * first good samples, so a new node never serves reads it has not caught up on.
 */
export class ReplicaHealth {
  private readonly states = new Map<string, ReplicaState>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly maxLag: number;
  private readonly rejoinAfter: number;

  constructor(private readonly options: ReplicaHealthOptions) {
    this.maxLag = options.maxLagSeconds ?? 5;
    this.rejoinAfter = options.goodSamplesToRejoin ?? 3;
  }

  /** The replicas to watch; states of URLs no longer listed are dropped, new ones start out of the pool. */
  watch(urls: readonly string[]): void {
    for (const url of [...this.states.keys()]) if (!urls.includes(url)) this.states.delete(url);
    for (const url of urls) {
      if (!this.states.has(url)) this.states.set(url, { url, inPool: false, reason: 'warming_up', sample: null, sampledAt: null, goodInARow: 0 });
    }
  }

  inPool(url: string): boolean {
    return this.states.get(url)?.inPool ?? false;
  }

  /** Whether the replica's last sample shows it applied everything up to `gtid`. */
  reached(url: string, gtid: string): boolean {
    const pos = this.states.get(url)?.sample?.gtidSlavePos;
    return pos !== undefined && gtidReached(pos, gtid);
  }

  status(): ReplicaState[] {
    return [...this.states.values()].map((s) => ({ ...s }));
  }

  /** Samples every watched replica once, in parallel. */
  async sampleAll(): Promise<void> {
    const timeout = this.options.timeoutMs ?? 800;
    await Promise.all(
      [...this.states.values()].map(async (state) => {
        const sample = await sampleReplica(this.options.connect(state.url), timeout);
        this.apply(state, sample);
      }),
    );
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      if (this.running) return;
      this.running = this.sampleAll().finally(() => (this.running = null));
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private apply(state: ReplicaState, sample: ReplicaSample): void {
    if (!this.states.has(state.url)) return;
    const reason = outReason(sample, this.maxLag);
    const wasIn = state.inPool;
    state.sample = sample;
    state.sampledAt = Date.now();
    if (reason) {
      state.goodInARow = 0;
      state.inPool = false;
      state.reason = reason;
    } else {
      state.goodInARow += 1;
      if (!state.inPool && state.goodInARow >= this.rejoinAfter) {
        state.inPool = true;
        state.reason = null;
      }
    }
    if (wasIn !== state.inPool) this.options.onChange?.({ ...state });
  }
}

function firstRows(result: unknown): unknown[] {
  // mysql2 through knex.raw answers [rows, fields].
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as unknown[]) : [];
}

function withTimeout<T>(promise: PromiseLike<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    Promise.resolve(promise).then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}
