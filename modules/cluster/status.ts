import type { ConnectionManager } from '../../core/db/connections.js';
import { outReason, sampleReplica } from '../../core/db/replica-health.js';
import type { ClusterDeps } from './deps.js';
import { memcachedStats, type MemcachedStats } from './memcached-stats.js';
import { addressOf, nodeUrl } from './node-url.js';
import type { ClusterNode, NodeState } from './registry.js';
import { effectiveWeight } from './topology.js';

export interface PrimaryStatus {
  address: string;
  nodeId: number | null;
  reachable: boolean;
  serverId: number | null;
  version: string;
  readOnly: boolean;
  gtidBinlogPos: string;
  gtidCurrentPos: string;
  error: string | null;
}

export interface ReplicaStatus {
  nodeId: number | null;
  address: string;
  state: NodeState | 'bootstrap';
  weight: number;
  effectiveWeight: number;
  inPool: boolean;
  /** Why it takes no reads: a health reason (lagging, sql_stopped, …) or the registry state (draining). */
  outReason: string | null;
  reachable: boolean;
  ioRunning: boolean;
  sqlRunning: boolean;
  lagSeconds: number | null;
  lastError: string;
  gtidSlavePos: string;
}

export interface CacheNodeStatus extends MemcachedStats {
  nodeId: number | null;
  state: NodeState | 'bootstrap';
}

export interface WebNodeStatus {
  nodeId: number;
  address: string;
  state: NodeState;
  reason: string | null;
  release: string | null;
  info: Record<string, unknown>;
}

export interface ClusterStatus {
  epoch: number;
  database: {
    engine: 'sqlite' | 'mariadb';
    primary: PrimaryStatus | null;
    replicas: ReplicaStatus[];
    /** Where plain reads go now: some replicas, or the primary because none is in the pool. */
    readsGoTo: 'replicas' | 'primary';
  };
  cache: { driver: string; nodes: CacheNodeStatus[] };
  web: { nodes: WebNodeStatus[] };
}

/** Everything `portal cluster status` and the admin page show, read live from the servers. */
export async function clusterStatus(deps: ClusterDeps, connections: ConnectionManager): Promise<ClusterStatus> {
  const nodes = await deps.registry.list();
  const epoch = await deps.registry.epoch();
  const primaryUrl = deps.primaryUrl();
  const mariadb = primaryUrl.startsWith('mysql:');
  const primary = mariadb ? await primaryStatus(connections, primaryUrl, nodes) : null;
  const replicas = mariadb ? await replicaStatuses(deps, connections, nodes) : [];
  return {
    epoch,
    database: { engine: mariadb ? 'mariadb' : 'sqlite', primary, replicas, readsGoTo: replicas.some((r) => r.inPool) ? 'replicas' : 'primary' },
    cache: { driver: deps.cache.driver, nodes: await cacheStatuses(deps, nodes) },
    web: {
      nodes: nodes
        .filter((n) => n.kind === 'web')
        .map((n) => ({ nodeId: n.id, address: n.address, state: n.state, reason: n.reason, release: typeof n.info.release === 'string' ? n.info.release : null, info: n.info })),
    },
  };
}

type Row = Record<string, unknown>;

async function primaryStatus(connections: ConnectionManager, url: string, nodes: ClusterNode[]): Promise<PrimaryStatus> {
  const address = addressOf(url);
  const nodeId = nodes.find((n) => n.kind === 'db-primary' && n.address === address)?.id ?? null;
  try {
    const result = (await connections.pool(url).raw('SELECT @@server_id AS id, VERSION() AS version, @@read_only AS ro, @@gtid_binlog_pos AS binlog, @@gtid_current_pos AS cur')) as unknown as [Row[]];
    const r = result[0][0] ?? {};
    return { address, nodeId, reachable: true, serverId: Number(r.id), version: String(r.version), readOnly: Number(r.ro) === 1, gtidBinlogPos: String(r.binlog ?? ''), gtidCurrentPos: String(r.cur ?? ''), error: null };
  } catch (err) {
    return { address, nodeId, reachable: false, serverId: null, version: '', readOnly: false, gtidBinlogPos: '', gtidCurrentPos: '', error: (err as Error).message.split('\n')[0]! };
  }
}

async function replicaStatuses(deps: ClusterDeps, connections: ConnectionManager, nodes: ClusterNode[]): Promise<ReplicaStatus[]> {
  const listed = nodes.filter((n) => n.kind === 'db-replica').map((n) => ({ node: n as ClusterNode | null, url: nodeUrl(deps.bootstrapUrl, n.address) }));
  for (const url of connections.replicaUrls()) if (!listed.some((l) => addressOf(l.url) === addressOf(url))) listed.push({ node: null, url });
  const health = connections.replicaUrls().length > 0 ? connections.watchReplicas() : null;
  return Promise.all(
    listed.map(async ({ node, url }) => {
      const sample = await sampleReplica(connections.pool(url), 1500);
      const state = health?.status().find((s) => s.url === url);
      const weight = node ? node.weight : 1;
      const eff = node ? effectiveWeight(node) : 1;
      const healthReason = state ? state.reason : outReason(sample, 5);
      const served = connections.replicaUrls().includes(url);
      const registryOut = node && eff === 0 ? node.state : null;
      const inPool = served && !registryOut && (state ? state.inPool : healthReason === null);
      return {
        nodeId: node?.id ?? null,
        address: addressOf(url),
        state: node?.state ?? 'bootstrap',
        weight,
        effectiveWeight: eff,
        inPool,
        outReason: inPool ? null : (registryOut ?? healthReason ?? (served ? null : 'not_in_topology')),
        reachable: sample.reachable,
        ioRunning: sample.ioRunning,
        sqlRunning: sample.sqlRunning,
        lagSeconds: sample.lagSeconds,
        lastError: sample.lastError,
        gtidSlavePos: sample.gtidSlavePos,
      };
    }),
  );
}

async function cacheStatuses(deps: ClusterDeps, nodes: ClusterNode[]): Promise<CacheNodeStatus[]> {
  const listed: { node: ClusterNode | null; address: string }[] = nodes.filter((n) => n.kind === 'cache').map((n) => ({ node: n, address: n.address }));
  if (deps.cache.driver === 'memcached') for (const s of deps.cache.servers) if (!listed.some((l) => l.address === s)) listed.push({ node: null, address: s });
  return Promise.all(listed.map(async ({ node, address }) => ({ nodeId: node?.id ?? null, state: node?.state ?? 'bootstrap', ...(await memcachedStats(address)) })));
}
