import { fixedRoutes } from '../../core/db/routes.js';
import { ModuleDb } from '../../core/db/module-db.js';
import type { ConnectionManager } from '../../core/db/connections.js';
import { clusterErrors } from './errors.js';
import type { ClusterDeps } from './deps.js';
import { credentials, Server } from './mariadb.js';
import { addressOf, nodeUrl } from './node-url.js';
import { ClusterRegistry, type ClusterNode } from './registry.js';

/** How long the old primary holds writes after the registry changed: the nodes poll it every 500 ms. */
export const FOLLOW_GRACE_MS = 1500;

export interface SwitchoverResult {
  from: string;
  to: string;
  gtid: string;
  repointed: string[];
  /** Writes that were waiting on the old primary and were sent back with a retryable error. */
  interrupted: number;
}

/** The replica a `--to` names: a node id or its host:port. */
export function findReplica(nodes: ClusterNode[], ref: string): ClusterNode {
  const node = nodes.find((n) => n.kind === 'db-replica' && (String(n.id) === ref || n.address === ref));
  if (!node) throw clusterErrors.CLUSTER_NODE_NOT_FOUND(`${ref} among the replicas (see portal cluster status)`);
  return node;
}

/**
 * A planned, manual switchover. The old primary goes read_only and takes a global read lock (writes arriving now
 * wait); the replica applies everything up to the old primary's GTID position; it is promoted and the registry,
 * written on it, names it the primary, so every node follows within a second. Writes still waiting on the old
 * primary after that are interrupted (uncommitted, the caller gets a retryable 503); then the old primary and
 * the other replicas replicate from the new one. Nothing is lost or applied twice: a write either committed
 * before the lock (and is in the GTID position the replica reached) or never committed on the old primary.
 */
export async function switchover(deps: ClusterDeps, connections: ConnectionManager, ref: string, waitMs = 30_000): Promise<SwitchoverResult> {
  const oldUrl = deps.primaryUrl();
  if (!oldUrl.startsWith('mysql:')) throw clusterErrors.CLUSTER_NEEDS_MARIADB('A switchover');
  const nodes = await deps.registry.list();
  const target = findReplica(nodes, ref);
  const newUrl = nodeUrl(deps.bootstrapUrl, target.address);
  const portal = credentials(deps.bootstrapUrl);
  const old = await Server.open(oldUrl);
  const next = await Server.open(newUrl);
  const others: Server[] = [];
  let locked = false;
  try {
    const s = await next.slaveStatus();
    if (!s || s.Slave_SQL_Running !== 'Yes' || s.Slave_IO_Running !== 'Yes' || s.Last_SQL_Error) {
      throw clusterErrors.CLUSTER_SWITCHOVER_REFUSED(`${target.address} is not replicating cleanly (IO ${String(s?.Slave_IO_Running ?? '-')}, SQL ${String(s?.Slave_SQL_Running ?? '-')}${s?.Last_SQL_Error ? `, ${String(s.Last_SQL_Error)}` : ''}); fix it first`);
    }
    if (`${String(s.Master_Host)}:${String(s.Master_Port)}` !== addressOf(oldUrl)) throw clusterErrors.CLUSTER_SWITCHOVER_REFUSED(`${target.address} replicates from ${String(s.Master_Host)}:${String(s.Master_Port)}, not from the primary ${addressOf(oldUrl)}`);
    if ((await next.variable('log_bin')) !== '1' || (await next.variable('log_slave_updates')) !== '1') throw clusterErrors.CLUSTER_SWITCHOVER_REFUSED(`${target.address} has no binlog with the replicated changes (log_bin, log_slave_updates): the others could not follow it`);
    for (const n of nodes.filter((x) => x.kind === 'db-replica' && x.id !== target.id)) {
      others.push(await Server.open(nodeUrl(deps.bootstrapUrl, n.address)));
    }

    deps.say(`${addressOf(oldUrl)}: read_only, writes wait`);
    await old.exec('SET GLOBAL read_only = 1');
    await old.exec('FLUSH TABLES WITH READ LOCK');
    locked = true;
    const gtid = await old.variable('gtid_binlog_pos');
    deps.say(`waiting for ${target.address} to reach ${gtid}`);
    const waited = Number((await next.one('SELECT MASTER_GTID_WAIT(?, ?) AS w', [gtid, waitMs / 1000])).w);
    if (waited !== 0) throw clusterErrors.CLUSTER_SWITCHOVER_REFUSED(`${target.address} did not reach ${gtid} within ${waitMs / 1000} s; the old primary takes writes again`);

    await next.exec('STOP SLAVE');
    await next.exec('RESET SLAVE ALL');
    await next.exec('SET GLOBAL read_only = 0');
    deps.say(`${target.address} promoted`);

    const registry = new ClusterRegistry(new ModuleDb('cluster', fixedRoutes(connections.pool(newUrl))));
    const oldRow = nodes.find((n) => n.kind === 'db-primary');
    await registry.update(target.id, { kind: 'db-primary', state: 'active', reason: null });
    if (oldRow) await registry.update(oldRow.id, { kind: 'db-replica', state: 'active', reason: null, info: { ...oldRow.info, rampStartedAt: Date.now() } });
    else await registry.add({ kind: 'db-replica', address: addressOf(oldUrl), state: 'active', info: { serverId: Number(await old.variable('server_id')) } });
    deps.say('registry updated on the new primary; nodes follow it');
    await new Promise((r) => setTimeout(r, FOLLOW_GRACE_MS));

    const interrupted = await interruptWaiting(old, portal.user);
    await old.exec('UNLOCK TABLES');
    locked = false;
    const n = credentials(newUrl);
    const source = { host: n.host, port: n.port, user: portal.user, password: portal.password };
    await old.exec('SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos');
    await old.replicateFrom(source);
    const repointed = [addressOf(oldUrl)];
    for (const r of others) {
      await r.one('SELECT MASTER_GTID_WAIT(?, ?) AS w', [gtid, waitMs / 1000]);
      await r.exec('STOP SLAVE');
      await r.replicateFrom(source);
      repointed.push(r.address);
    }
    deps.say(`replicating from ${target.address}: ${repointed.join(', ')}`);
    return { from: addressOf(oldUrl), to: target.address, gtid, repointed, interrupted };
  } catch (err) {
    if (locked) {
      await old.exec('UNLOCK TABLES').catch(() => undefined);
      await old.exec('SET GLOBAL read_only = 0').catch(() => undefined);
    }
    throw err;
  } finally {
    for (const s of [old, next, ...others]) await s.close();
  }
}

/** Ends the portal's sessions on the old primary that wait on the lock or hold an open transaction (none committed). */
async function interruptWaiting(old: Server, user: string): Promise<number> {
  const rows = await old.rows(
    `SELECT p.ID AS id FROM information_schema.PROCESSLIST p
      WHERE p.USER = ? AND p.ID <> CONNECTION_ID()
        AND (p.STATE LIKE 'Waiting for%lock%' OR p.ID IN (SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX))`,
    [user],
  );
  for (const r of rows) await old.exec(`KILL CONNECTION ${Number(r.id)}`).catch(() => undefined);
  return rows.length;
}
