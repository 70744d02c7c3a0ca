import { isReady } from '../../../cli/release/run-release.js';
import { nodeAppState, readyUrl } from './pm2-node.js';
import { currentRelease } from './release.js';
import type { WebNode } from './types.js';

/** One web node's line of `portal cluster status`. */
export interface WebNodeStatus {
  id: string;
  address: string;
  path: string;
  /** What `current` points at on the node (may differ from the registry after a failed deploy). */
  release: string | null;
  /** The release the registry recorded. */
  registered: string | null;
  pm2: string;
  pids: number[];
  restarts: number;
  ready: boolean;
  deployedAt: string | null;
}

/** Asks the node itself: its current link, its pm2 daemon, its /readyz. */
export async function webNodeStatus(node: WebNode): Promise<WebNodeStatus> {
  const [release, app, ready] = await Promise.all([currentRelease(node), nodeAppState(node), isReady(readyUrl(node))]);
  return {
    id: node.id,
    address: `${node.host}:${node.port}`,
    path: node.ssh ? `${node.ssh}:${node.path}` : node.path,
    release: release ?? null,
    registered: node.release ?? null,
    pm2: app.status,
    pids: app.pids,
    restarts: app.restarts,
    ready,
    deployedAt: node.deployedAt ?? null,
  };
}
