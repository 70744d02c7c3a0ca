import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from '../log/logger.js';
import { throttledWarn } from '../log/throttled.js';
import { parseDbUrl, type DbUrl } from './db-url.js';
import type { DbRoutes } from './routes.js';
import { ReplicaHealth, type ReplicaHealthOptions } from './replica-health.js';
import { currentDbSession, newDbSession } from './read-your-writes.js';
import { gatedSqliteClient, WriteGate } from './write-gate.js';

export type Dialect = 'sqlite' | 'mysql';

export interface PoolSettings {
  min: number;
  max: number;
}

/**
 * knex's own warnings (a failed connection attempt logs its whole stack on every query
 * during an outage) go to the JSON log, one line per message and 30 s, not to the console.
 */
export function knexLog(log: Logger): Knex.Config['log'] {
  const warn = throttledWarn(log);
  const firstLine = (m: unknown) => String(m instanceof Error ? m.message : m).split('\n')[0]!.slice(0, 500);
  return {
    warn: (m: unknown) => warn({ source: 'knex' }, firstLine(m)),
    error: (m: unknown) => log.error({ source: 'knex', detail: String(m) }, firstLine(m)),
    deprecate: (method: unknown, alternative: unknown) => log.warn({ source: 'knex' }, `${String(method)} is deprecated; use ${String(alternative)}`),
    debug: (m: unknown) => log.debug({ source: 'knex', detail: m }, 'knex debug'),
  };
}

/**
 * Builds a knex instance for one DB URL. SQLite runs in WAL mode; MySQL talks UTC. With
 * `writeGateFile`, SQLite writes honour the marker of `portal db move` (core/db/write-gate.ts).
 */
export function createKnex(url: DbUrl, pool: PoolSettings = { min: 0, max: 10 }, log?: Logger, writeGateFile?: string): Knex {
  const logOption = log ? { log: knexLog(log) } : {};
  if (url.client === 'sqlite') {
    if (url.filename !== ':memory:') mkdirSync(path.dirname(url.filename), { recursive: true });
    const gate = writeGateFile && url.filename !== ':memory:' ? { client: gatedSqliteClient() as unknown as string, writeGate: new WriteGate(writeGateFile, url.filename) } : {};
    return knexFactory({
      client: 'better-sqlite3',
      ...gate,
      ...logOption,
      connection: { filename: url.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 10000');
          conn.pragma('foreign_keys = ON');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        },
      },
    });
  }
  return knexFactory({
    client: 'mysql2',
    ...logOption,
    connection: {
      host: url.host,
      port: url.port,
      user: url.user,
      password: url.password,
      database: url.database,
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: true,
    },
    pool: { min: pool.min, max: pool.max },
    acquireConnectionTimeout: 10_000,
  });
}

export function dialectOf(knex: Knex): Dialect {
  // The dialect knex's client class declares: `config.client` may be a class (the write-gated SQLite client).
  const client = String((knex.client as { dialect?: string }).dialect ?? (knex.client as { config: { client: string } }).config.client);
  return client.includes('sqlite') ? 'sqlite' : 'mysql';
}

/** Which server holds whose tables: the main URL, modules on their own servers, read replicas per server. */
export interface DbTopology {
  url: string;
  modules: Record<string, string>;
  replicas: Record<string, string[]>;
  /** Share of plain reads per replica URL (default 1 each); 0 keeps a replica out of reads. */
  weights?: Record<string, number>;
}

/**
 * Owns every connection pool of the process, one per distinct URL, so modules that
 * share a server share a pool. It is the modules' DbRoutes: ModuleDb asks it on every
 * query, so `reconfigure` (a replica leaving, a module moving) takes effect at once.
 */
export class ConnectionManager implements DbRoutes {
  private readonly pools = new Map<string, Knex>();
  private topology: DbTopology;
  private replicaList: readonly string[];
  private readonly poolSettings: PoolSettings;

  constructor(
    settings: DbTopology & { pool: PoolSettings },
    private readonly log?: Logger,
    /** `portal db move`'s marker file; SQLite writes wait or are refused while it says so. */
    private readonly writeGateFile?: string,
  ) {
    this.topology = { url: settings.url, modules: { ...settings.modules }, replicas: { ...settings.replicas } };
    this.replicaList = distinctReplicas(this.topology);
    this.poolSettings = settings.pool;
  }

  private health: ReplicaHealth | null = null;
  private readonly tracked = new WeakSet<Knex>();
  /** The session of work outside any request (install, agents, CLI): it reads its own writes too. */
  private readonly background = newDbSession();

  /** A write on `knex` in the current session: note when, then learn the primary's GTID position after it. */
  private noteWrite(knex: Knex): void {
    const session = currentDbSession() ?? this.background;
    session.wroteAt = Date.now();
    session.gtid = null;
    session.changed = true;
    const seq = ++session.seq;
    if (!this.health || dialectOf(knex) !== 'mysql') return;
    session.pending = knex
      .raw('SELECT @@gtid_binlog_pos AS pos')
      .then((result: unknown) => {
        const pos = String((firstRow(result) as { pos?: unknown } | undefined)?.pos ?? '');
        if (session.seq === seq && pos) session.gtid = pos;
      })
      .catch(() => undefined);
  }

  /** Replaces the topology; queries started after it use the new one, running ones finish where they are. */
  reconfigure(topology: DbTopology): void {
    this.topology = { url: topology.url, modules: { ...topology.modules }, replicas: { ...topology.replicas }, weights: { ...topology.weights } };
    this.replicaList = distinctReplicas(this.topology);
    this.health?.watch(this.replicaUrls());
  }

  /** The topology in force (a copy). */
  current(): DbTopology {
    return { url: this.topology.url, modules: { ...this.topology.modules }, replicas: { ...this.topology.replicas }, weights: { ...this.topology.weights } };
  }

  private readonly closeHooks: (() => Promise<void> | void)[] = [];

  /** Runs `fn` first when the manager closes (a watcher that polls through its pools stops before they go). */
  onClose(fn: () => Promise<void> | void): void {
    this.closeHooks.push(fn);
  }

  /**
   * Samples the replicas from now on; plain reads go only to those in the pool (`ReplicaHealth`),
   * the primary when none is. Without it every listed replica takes reads.
   */
  watchReplicas(options: Omit<ReplicaHealthOptions, 'connect'> = {}): ReplicaHealth {
    if (!this.health) {
      this.health = new ReplicaHealth({ ...options, connect: (url) => this.pool(url) });
      this.health.watch(this.replicaUrls());
      this.health.start();
    }
    return this.health;
  }

  /** Every replica URL of the topology, once. */
  replicaUrls(): readonly string[] {
    return this.replicaList;
  }

  /** The URL that holds a module's tables. */
  urlFor(moduleId: string): string {
    return ownValue(this.topology.modules, moduleId) ?? this.topology.url;
  }

  writer(moduleId: string): Knex {
    const knex = this.pool(this.urlFor(moduleId));
    // Writes are only noted where a replica could serve a stale read: no replicas, no cost on the write path.
    if (this.replicaList.length > 0 && !this.tracked.has(knex)) {
      this.tracked.add(knex);
      knex.on('query-response', (_response: unknown, query: { sql?: string }) => {
        if (!/^\s*(select|show|pragma)\b/i.test(query.sql ?? '')) this.noteWrite(knex);
      });
    }
    return knex;
  }

  committed(moduleId: string): void {
    this.noteWrite(this.pool(this.urlFor(moduleId)));
  }

  reader(moduleId: string): Knex {
    const key = ownValue(this.topology.modules, moduleId) ? moduleId : 'default';
    const listed = ownValue(this.topology.replicas, key) ?? [];
    let replicas = this.health ? listed.filter((url) => this.health!.inPool(url)) : listed;
    const session = currentDbSession() ?? this.background;
    if (replicas.length > 0 && session.wroteAt != null) {
      // Read-your-writes: only replicas known to hold the session's last write; without its GTID, none for a while.
      if (session.gtid && this.health) replicas = replicas.filter((url) => this.health!.reached(url, session.gtid!));
      else if (Date.now() - session.wroteAt < READ_YOUR_WRITES_WINDOW_MS) replicas = [];
    }
    const pick = weightedPick(replicas, this.topology.weights ?? {});
    return pick ? this.pool(pick) : this.writer(moduleId);
  }

  /** The connection holding kernel bookkeeping (module registry, migrations, locks). */
  main(): Knex {
    return this.pool(this.topology.url);
  }

  pool(raw: string): Knex {
    let knex = this.pools.get(raw);
    if (!knex) {
      knex = createKnex(parseDbUrl(raw), this.poolSettings, this.log, this.writeGateFile);
      this.pools.set(raw, knex);
    }
    return knex;
  }

  async close(): Promise<void> {
    for (const hook of this.closeHooks.splice(0)) await hook();
    await this.health?.stop();
    this.health = null;
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((k) => k.destroy()));
  }
}

/** A replica chosen at random in proportion to its weight (1 when unlisted); null when every weight is 0. */
export function weightedPick(urls: readonly string[], weights: Record<string, number>): string | null {
  const w = urls.map((u) => Math.max(0, Object.hasOwn(weights, u) ? weights[u]! : 1));
  const total = w.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  let r = Math.random() * total;
  for (let i = 0; i < urls.length; i++) if ((r -= w[i]!) < 0) return urls[i]!;
  return urls[urls.length - 1]!;
}

function distinctReplicas(topology: DbTopology): string[] {
  return [...new Set(Object.values(topology.replicas).flat())];
}

function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Without a GTID to wait for, a session reads from the primary this long after its last write. */
export const READ_YOUR_WRITES_WINDOW_MS = 2000;

function firstRow(result: unknown): unknown {
  return Array.isArray(result) && Array.isArray(result[0]) ? result[0][0] : undefined;
}
