import { webErrors } from './errors.js';
import { reloadNodeApp, waitNodeReady } from './pm2-node.js';
import { currentRelease, installRelease, newReleaseId, pruneReleases, sourceVersion, switchCurrent } from './release.js';
import type { WebDeps, WebNode } from './types.js';

export interface DeployResult {
  release: string;
  nodes: { id: string; from: string | undefined; to: string }[];
}

/**
 * `portal cluster deploy`: pushes the built portal to every web node as a new release (all
 * nodes first, so a failed push changes nothing that runs), then, one node at a time,
 * switches `current`, reloads pm2 (successor first, the old process drains) and waits for
 * /readyz before the next node. A node that does not come back is switched back to its
 * release and reloaded again, and the rollout stops there with one line saying so; the
 * nodes before it keep the new release (every node keeps serving either way).
 */
export async function deploy(deps: WebDeps): Promise<DeployResult> {
  const nodes = await deps.webNodes.list();
  if (nodes.length === 0) throw webErrors.WEB_NODE_INVALID('there is no web node to deploy to; add one with `portal cluster node add web --path DIR`');
  const id = newReleaseId(sourceVersion(deps.source));
  const placed: { node: WebNode; from: string | undefined }[] = [];
  for (const node of nodes) {
    deps.log(`Pushing release ${id} to node ${node.id} (${node.path})`);
    placed.push({ node, from: await currentRelease(node) });
    await installRelease(node, deps.source, deps.varDir, id);
  }
  const done: DeployResult['nodes'] = [];
  for (const { node, from } of placed) {
    deps.log(`Reloading node ${node.id} on release ${id}`);
    try {
      await switchCurrent(node, id);
      await reloadNodeApp(node);
      await waitNodeReady(node, deps.readyTimeoutMs ?? 60_000);
    } catch (err) {
      if (from) {
        await switchCurrent(node, from).catch(() => undefined);
        await reloadNodeApp(node).catch(() => undefined);
      }
      const already = done.length ? `; nodes ${done.map((d) => d.id).join(', ')} run ${id} already` : '';
      throw webErrors.WEB_DEPLOY_FAILED(`node ${node.id} did not take release ${id} (${(err as Error).message}); it is back on ${from ?? 'nothing'}${already}`);
    }
    await deps.webNodes.update(node.id, { release: id, deployedAt: new Date().toISOString() });
    await pruneReleases(node, [id, ...(from ? [from] : [])]).catch((err: unknown) => deps.log(`Old releases stay on node ${node.id}: ${(err as Error).message}`));
    done.push({ id: node.id, from, to: id });
  }
  return { release: id, nodes: done };
}
