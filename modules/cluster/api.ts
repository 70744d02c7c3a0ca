import type { ModuleContext } from '../../core/modules/types.js';
import type { ClusterDeps } from './deps.js';
import { ClusterRegistry } from './registry.js';
import { RegistryWatcher } from './watcher.js';
import { clusterStatus, type ClusterStatus } from './status.js';
import { addReplica, type AddReplicaInput } from './add-replica.js';
import { switchover, type SwitchoverResult } from './switchover.js';
import { addCacheNode, removeNode } from './nodes.js';
import type { ClusterNode } from './registry.js';

export interface ClusterApi {
  registry: ClusterRegistry;
  /** This process's view of the registry; `onCacheNodes` is the cache layer's hook. */
  watcher: RegistryWatcher;
  status(): Promise<ClusterStatus>;
  addReplica(input: AddReplicaInput, say?: (line: string) => void): Promise<ClusterNode>;
  addCacheNode(host: string, port: number): Promise<ClusterNode>;
  removeNode(id: string): Promise<ClusterNode>;
  switchover(to: string, say?: (line: string) => void): Promise<SwitchoverResult>;
}

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    cluster: ClusterApi;
  }
}

/** The registry on the module's handle, the watcher on the kernel's connections (started here, stopped with them). */
export async function createClusterApi(ctx: ModuleContext): Promise<ClusterApi> {
  const { connections, config } = ctx.kernel;
  const registry = new ClusterRegistry(ctx.db);
  const bootstrap = { url: config.db.url, modules: config.db.modules, replicas: config.db.replicas };
  const watcher = new RegistryWatcher({ connections, bootstrap, tables: { nodes: ctx.db.table('nodes'), epoch: ctx.db.table('epoch') }, log: ctx.log });
  connections.onClose(() => watcher.stop());
  if (ctx.db.dialect === 'mysql') await watcher.start();
  const deps = (say: (line: string) => void = () => undefined): ClusterDeps => ({
    registry,
    bootstrapUrl: config.db.url,
    primaryUrl: () => connections.current().url,
    varDir: config.paths.var,
    cache: { driver: config.cache.driver, servers: config.cache.servers },
    say,
  });
  /** A change made here is applied in this process at once, not at the next poll. */
  const applied = async <T>(p: Promise<T>): Promise<T> => {
    const v = await p;
    await watcher.poll();
    return v;
  };
  return {
    registry,
    watcher,
    status: () => clusterStatus(deps(), connections),
    addReplica: (input, say) => applied(addReplica(deps(say), input)),
    addCacheNode: (host, port) => applied(addCacheNode(deps(), host, port)),
    removeNode: (id) => applied(removeNode(deps(), id)),
    switchover: (to, say) => applied(switchover(deps(say), connections, to)),
  };
}
