import type { DbTopology } from '../../core/db/connections.js';
import type { ClusterNode } from './registry.js';
import { nodeUrl } from './node-url.js';

/** A new replica's weight grows from a tenth to its full value over this long. */
export const RAMP_MS = 30_000;

/** The weight a replica serves with now: its full weight, or a share of it while it ramps up. */
export function effectiveWeight(node: ClusterNode, now = Date.now()): number {
  if (node.state === 'draining' || node.state === 'down') return 0;
  if (node.state !== 'ramping') return node.weight;
  const since = Number(node.info.rampStartedAt ?? node.createdAt);
  const share = Math.min(1, 0.1 + (0.9 * Math.max(0, now - since)) / RAMP_MS);
  return Math.max(1, Math.round(node.weight * share));
}

/**
 * The DB topology the registry describes: its primary (else the bootstrap one) and its replicas with their
 * weights; module placements stay as the bootstrap says. Null when the registry names no DB node (bootstrap only).
 */
export function topologyFromRegistry(nodes: ClusterNode[], bootstrap: DbTopology, now = Date.now()): DbTopology | null {
  const primary = nodes.find((n) => n.kind === 'db-primary');
  const replicas = nodes.filter((n) => n.kind === 'db-replica');
  if (!primary && replicas.length === 0) return null;
  const url = primary ? nodeUrl(bootstrap.url, primary.address) : bootstrap.url;
  const serving = replicas.filter((n) => effectiveWeight(n, now) > 0);
  const weights: Record<string, number> = {};
  for (const n of serving) weights[nodeUrl(bootstrap.url, n.address)] = effectiveWeight(n, now);
  return { url, modules: { ...bootstrap.modules }, replicas: { ...bootstrap.replicas, default: Object.keys(weights) }, weights };
}
