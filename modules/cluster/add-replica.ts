import { clusterErrors } from './errors.js';
import type { ClusterDeps } from './deps.js';
import { checkLocal, localLayout, startLocal, stopLocal } from './local-mariadb.js';
import { credentials, Server, until } from './mariadb.js';
import { addressOf } from './node-url.js';
import { compareTables } from './checksum.js';
import { seedFromDump } from './seed.js';
import type { ClusterNode } from './registry.js';

export interface AddReplicaInput {
  /** An empty MariaDB server, mysql://admin:password@host:port (an admin account of that server). */
  url?: string;
  /** A new mariadbd on this machine on this port, under var/cluster/. */
  localPort?: number;
  weight?: number;
  /** Longest wait for the replica to catch up, ms (default 120 s). */
  catchUpMs?: number;
}

const SYSTEM_DBS = new Set(['information_schema', 'mysql', 'performance_schema', 'sys', 'test']);

/**
 * Adds an empty MariaDB server as a replica: checks it (reachable, MariaDB, empty, not replicating), seeds it
 * from a consistent snapshot, starts GTID replication, waits for lag under 1 s, compares every portal table by
 * chunked checksum and only then registers it, ramping its read weight. Any failure undoes what it made.
 */
export async function addReplica(deps: ClusterDeps, input: AddReplicaInput): Promise<ClusterNode> {
  if (!input.url === (input.localPort === undefined)) throw clusterErrors.CLUSTER_BAD_INPUT('give either --url mysql://user:password@host:port or --local --port P');
  const weight = input.weight ?? 100;
  if (!Number.isInteger(weight) || weight < 1 || weight > 1000) throw clusterErrors.CLUSTER_BAD_INPUT(`--weight must be 1..1000, got ${input.weight}`);
  const primaryUrl = deps.primaryUrl();
  if (!primaryUrl.startsWith('mysql:')) throw clusterErrors.CLUSTER_NEEDS_MARIADB('A replica');
  const portal = credentials(deps.bootstrapUrl);
  const primary = await Server.open(primaryUrl);
  let target: Server | null = null;
  let undo: (() => Promise<void>) | null = null;
  try {
    if ((await primary.variable('log_bin')) !== '1') throw clusterErrors.CLUSTER_NEEDS_MARIADB('A replica');
    const nodes = await deps.registry.list();
    const serverIds = new Set([Number(await primary.variable('server_id')), ...nodes.map((n) => Number(n.info.serverId)).filter(Number.isFinite)]);
    const serverId = Math.max(...serverIds) + 1;

    let adminUrl: string;
    let local: ReturnType<typeof localLayout> | null = null;
    if (input.localPort !== undefined) {
      local = localLayout(deps.varDir, input.localPort, serverId);
      await checkLocal(local);
      deps.say(`starting mariadbd on 127.0.0.1:${local.port} (datadir ${local.datadir}, server_id ${serverId})`);
      const made = local;
      undo = () => stopLocal(made.dir, true);
      await startLocal(local, portal);
      adminUrl = `mysql://${encodeURIComponent(portal.user)}:${encodeURIComponent(portal.password)}@127.0.0.1:${local.port}`;
    } else {
      adminUrl = parseAdminUrl(input.url!);
    }
    const address = addressOf(adminUrl);
    const taken = nodes.find((n) => n.kind.startsWith('db-') && n.address === address);
    if (taken || address === addressOf(primaryUrl)) throw clusterErrors.CLUSTER_NODE_EXISTS(`${address}${taken ? ` is node ${taken.id}` : ' is the primary'}`);
    target = await Server.open(adminUrl);
    await checkEmpty(target);
    if (Number(await target.variable('server_id')) === Number(await primary.variable('server_id'))) await target.exec('SET GLOBAL server_id = ?', [serverId]);

    // From here on the server is changed: undo puts it back as it was.
    if (!local) {
      const t = target;
      undo = async () => {
        await t.exec('STOP SLAVE').catch(() => undefined);
        await t.exec('RESET SLAVE ALL').catch(() => undefined);
        await t.exec(`DROP DATABASE IF EXISTS \`${portal.database.replace(/`/g, '``')}\``).catch(() => undefined);
        await t.exec('SET GLOBAL read_only = 0').catch(() => undefined);
      };
      await ensurePortalUser(target, portal);
    }
    await target.exec('SET GLOBAL read_only = 1');

    deps.say(`seeding ${address} from a snapshot of ${addressOf(primaryUrl)}/${portal.database}`);
    const bytes = await seedFromDump(primaryUrl, adminUrl, portal.database, (n) => deps.say(`  copied ${(n / 1048576).toFixed(1)} MB`));
    deps.say(`  seeded: ${(bytes / 1048576).toFixed(1)} MB`);

    const p = credentials(primaryUrl);
    await target.replicateFrom({ host: p.host, port: p.port, user: portal.user, password: portal.password });
    deps.say('replicating with GTID (slave_pos); waiting for lag under 1 s');
    await waitCaughtUp(target, input.catchUpMs ?? 120_000);

    const report = await compareTables(primary, target, portal.database, (line) => deps.say(`  ${line}`));
    deps.say(`checksums equal: ${report.tables} tables, ${report.chunks} chunks, ${report.rows} rows`);

    await ensurePrimaryRow(deps, primaryUrl, Number(await primary.variable('server_id')));
    const node = await deps.registry.add({
      kind: 'db-replica',
      address,
      weight,
      state: 'ramping',
      info: { serverId: Number(await target.variable('server_id')), rampStartedAt: Date.now(), ...(local ? { local: { dir: local.dir, socket: local.socket } } : {}) },
    });
    undo = null;
    deps.say(`node ${node.id}: replica ${address} joins the read pool, its weight ramping up to ${weight}`);
    return node;
  } catch (err) {
    if (undo) await undo().catch(() => undefined);
    throw err;
  } finally {
    await target?.close();
    await primary.close();
  }
}

function parseAdminUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw clusterErrors.CLUSTER_BAD_INPUT(`--url must look like mysql://user:password@host:port, got "${raw.replace(/:[^:@/]*@/, ':***@')}"`);
  }
  if (u.protocol !== 'mysql:' || !u.hostname) throw clusterErrors.CLUSTER_BAD_INPUT('--url must look like mysql://user:password@host:port');
  return raw;
}

/** A server fit to become a replica: not replicating already, no databases besides the system ones. */
async function checkEmpty(target: Server): Promise<void> {
  if (await target.slaveStatus()) throw clusterErrors.CLUSTER_ALREADY_REPLICA(`${target.address} replicates from another server (SHOW SLAVE STATUS)`);
  const dbs = (await target.rows('SHOW DATABASES')).map((r) => String(Object.values(r)[0])).filter((d) => !SYSTEM_DBS.has(d));
  if (dbs.length) throw clusterErrors.CLUSTER_NOT_EMPTY(`${target.address} has the database${dbs.length > 1 ? 's' : ''} ${dbs.slice(0, 5).join(', ')}`);
}

/** The portal's own user on the new server, with the password of settings.json; kept out of the binlog. */
async function ensurePortalUser(target: Server, portal: { user: string; password: string }): Promise<void> {
  await target.exec('SET sql_log_bin = 0');
  await target.exec('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [portal.user, '%', portal.password]);
  await target.exec('GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION', [portal.user, '%']);
  await target.exec('SET sql_log_bin = 1');
}

async function waitCaughtUp(target: Server, ms: number): Promise<void> {
  let last = '';
  await until(
    async () => {
      const s = await target.slaveStatus();
      if (!s) return false;
      const sqlError = String(s.Last_SQL_Error ?? '');
      if (sqlError) throw clusterErrors.CLUSTER_REPLICATION_ERROR(sqlError);
      last = `IO ${String(s.Slave_IO_Running)}, SQL ${String(s.Slave_SQL_Running)}, lag ${String(s.Seconds_Behind_Master)}${s.Last_IO_Error ? `, ${String(s.Last_IO_Error)}` : ''}`;
      return s.Slave_IO_Running === 'Yes' && s.Slave_SQL_Running === 'Yes' && s.Seconds_Behind_Master !== null && Number(s.Seconds_Behind_Master) < 1;
    },
    ms,
    () => clusterErrors.CLUSTER_CATCH_UP_TIMEOUT(last || 'no replication status'),
  );
}

/** The registry names the primary once it has a replica, so every node (and a later switchover) knows it. */
export async function ensurePrimaryRow(deps: ClusterDeps, primaryUrl: string, serverId: number): Promise<void> {
  const address = addressOf(primaryUrl);
  const rows = await deps.registry.list('db-primary');
  if (rows.some((r) => r.address === address)) return;
  await deps.registry.add({ kind: 'db-primary', address, state: 'active', info: { serverId } });
}
