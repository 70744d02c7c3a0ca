import { clusterErrors } from './errors.js';
import type { ClusterDeps } from './deps.js';
import { stopLocal } from './local-mariadb.js';
import { memcachedStats } from './memcached-stats.js';
import type { ClusterNode } from './registry.js';

/** Registers a memcached node after it answered `stats`; the cache layer hears of it through the watcher's hook. */
export async function addCacheNode(deps: ClusterDeps, host: string, port: number): Promise<ClusterNode> {
  if (!host || /[\s/]/.test(host)) throw clusterErrors.CLUSTER_BAD_INPUT(`--host must be a host name or address, got "${host}"`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw clusterErrors.CLUSTER_BAD_INPUT(`--port must be a TCP port (1-65535), got ${port}`);
  const address = `${host}:${port}`;
  const stats = await memcachedStats(address, 2000);
  if (!stats.up) throw clusterErrors.CLUSTER_UNREACHABLE(`memcached at ${address} (${stats.error ?? 'no answer'})`);
  return deps.registry.add({ kind: 'cache', address, state: 'active', info: { addedUptime: stats.uptimeSeconds ?? null } });
}

/**
 * Removes a node from the registry, refusing where that would lose the last copy of something: the primary (switch
 * over first), the last cache node while the cache driver is memcached. A replica made with --local is stopped
 * (its datadir stays, for a look or a copy).
 */
export async function removeNode(deps: ClusterDeps, rawId: string): Promise<ClusterNode> {
  if (!/^[1-9]\d{0,9}$/.test(rawId)) throw clusterErrors.CLUSTER_NODE_NOT_FOUND(rawId);
  const node = await deps.registry.get(Number(rawId));
  if (!node) throw clusterErrors.CLUSTER_NODE_NOT_FOUND(rawId);
  if (node.kind === 'db-primary') throw clusterErrors.CLUSTER_REMOVE_REFUSED(`node ${node.id} is the DB primary, the only writable copy of the data; run portal cluster switchover --to <replica> first`);
  if (node.kind === 'cache' && deps.cache.driver === 'memcached') {
    const cache = (await deps.registry.list('cache')).filter((n) => n.id !== node.id);
    const bootstrap = deps.cache.servers.filter((s) => s !== node.address);
    if (cache.length === 0 && bootstrap.length === 0) throw clusterErrors.CLUSTER_REMOVE_REFUSED(`node ${node.id} is the last memcached node while cache.driver is memcached; add another first or switch the driver to memory`);
  }
  await deps.registry.remove(node.id);
  const local = node.info.local as { dir?: string } | undefined;
  if (node.kind === 'db-replica' && local?.dir) {
    // The nodes stop reading from it within a second; then it goes.
    await new Promise((r) => setTimeout(r, 1500));
    await stopLocal(local.dir, false);
  }
  return node;
}
