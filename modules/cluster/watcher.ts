import type { Knex } from 'knex';
import type { ConnectionManager, DbTopology } from '../../core/db/connections.js';
import type { Logger } from '../../core/log/logger.js';
import { nodeFromRow, type ClusterNode } from './registry.js';
import { nodeUrl } from './node-url.js';
import { topologyFromRegistry } from './topology.js';

export interface RegistryWatcherOptions {
  connections: ConnectionManager;
  /** The topology of settings.json: where to look first, and the credentials every node URL uses. */
  bootstrap: DbTopology;
  /** Full names of the module's tables. */
  tables: { nodes: string; epoch: string };
  log?: Logger;
  /** Poll period, ms (default 500). */
  intervalMs?: number;
}

export type NodesListener = (nodes: ClusterNode[], epoch: number) => void;

/**
 * Runs in every portal process. About every 500 ms it reads the registry's epoch on every DB server it knows
 * (the primary and the replicas) and follows the highest: a switchover writes the new registry on the new
 * primary, and the old one carries it too as soon as it replicates from it, so a node whose settings still name
 * the old primary finds its way. A newer epoch reloads the nodes and applies them: the DB topology through
 * `connections.reconfigure`, cache nodes through the listeners of `onCacheNodes`.
 */
export class RegistryWatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private appliedEpoch = 0;
  private nodes: ClusterNode[] = [];
  private readonly known = new Set<string>();
  private readonly listeners: NodesListener[] = [];
  private readonly cacheListeners: ((addresses: string[]) => void)[] = [];
  private lastCache = '';
  private lastTopology = '';

  constructor(private readonly options: RegistryWatcherOptions) {
    this.known.add(options.bootstrap.url);
    for (const url of Object.values(options.bootstrap.replicas).flat()) this.known.add(url);
  }

  /** The epoch of the registry this process applied last (0: none yet). */
  epoch(): number {
    return this.appliedEpoch;
  }

  /** The nodes as this process knows them now. */
  current(): ClusterNode[] {
    return this.nodes.map((n) => ({ ...n, info: { ...n.info } }));
  }

  /** Called after every change this process applies, with all nodes. */
  onChange(listener: NodesListener): () => void {
    this.listeners.push(listener);
    return () => void this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  /**
   * The hook for the cache layer: called with the host:port of every cache node in service whenever that list
   * changes (and at once when the registry already names some).
   */
  onCacheNodes(listener: (addresses: string[]) => void): () => void {
    this.cacheListeners.push(listener);
    if (this.lastCache) listener(JSON.parse(this.lastCache) as string[]);
    return () => void this.cacheListeners.splice(this.cacheListeners.indexOf(listener) >>> 0, 1);
  }

  /** Polls once now and then every interval; the first poll is awaited so a booting node starts on the registry. */
  async start(): Promise<void> {
    if (this.timer || this.stopped) return;
    await this.poll();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs ?? 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look at every known server's epoch; applies the newest registry. Never throws. */
  poll(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.pollOnce()
      .catch((err: unknown) => this.options.log?.warn({ err: (err as Error).message }, 'cluster registry poll failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pollOnce(): Promise<void> {
    const { connections, tables } = this.options;
    const urls = [...new Set([connections.current().url, ...this.known])];
    const epochs = await Promise.all(urls.map(async (url) => ({ url, epoch: await this.epochOn(connections.pool(url)) })));
    const best = epochs.reduce((a, b) => (b.epoch > a.epoch ? b : a), { url: '', epoch: 0 });
    if (this.stopped) return;
    if (best.epoch > this.appliedEpoch) {
      const rows = (await connections.pool(best.url)(tables.nodes).select('*').orderBy('id')) as Record<string, unknown>[];
      if (this.stopped) return;
      this.nodes = rows.map(nodeFromRow);
      this.appliedEpoch = best.epoch;
      for (const n of this.nodes) if (n.kind.startsWith('db-')) this.known.add(nodeUrl(this.options.bootstrap.url, n.address));
      this.applyCache();
      for (const l of this.listeners) l(this.current(), this.appliedEpoch);
    }
    // Every poll, not only on a change: a ramping replica's weight grows with time.
    this.applyTopology();
  }

  private async epochOn(knex: Knex): Promise<number> {
    try {
      const row = await withTimeout(knex(this.options.tables.epoch).where({ id: 1 }).first('epoch'), 400);
      return Number((row as { epoch?: unknown } | undefined)?.epoch ?? 0);
    } catch {
      return 0;
    }
  }

  private applyTopology(): void {
    const topology = topologyFromRegistry(this.nodes, this.options.bootstrap);
    if (!topology) return;
    const key = JSON.stringify(topology);
    if (key === this.lastTopology) return;
    this.lastTopology = key;
    this.options.connections.reconfigure(topology);
    if (this.options.connections.replicaUrls().length > 0) this.options.connections.watchReplicas();
  }

  private applyCache(): void {
    const cache = this.nodes.filter((n) => n.kind === 'cache' && n.state !== 'down' && n.state !== 'draining').map((n) => n.address);
    const key = JSON.stringify(cache);
    if (key === this.lastCache) return;
    this.lastCache = key;
    for (const l of this.cacheListeners) l([...cache]);
  }
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
