import mysql from 'mysql2/promise';
import path from 'node:path';
import { startMariaDb, type RunningService } from './services.js';

export interface ReplicatedMariaDb {
  primary: RunningService;
  replicas: RunningService[];
  /** Runs SQL as portal on one server (no database selected). */
  query(server: RunningService, sql: string): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * A MariaDB primary and `count` replicas on loopback ports under `dir`, replicating with GTIDs
 * (`MASTER_USE_GTID=slave_pos`) from an empty start, small buffer pools. The real engine: nothing
 * of the replication is ours.
 */
export async function startReplicatedMariaDb(dir: string, count: number): Promise<ReplicatedMariaDb> {
  // One after another: mariadb-install-db uses /tmp, and two at once delete each other's temporary tables.
  const servers: RunningService[] = [];
  for (let i = 0; i <= count; i++) servers.push(await startMariaDb(path.join(dir, i === 0 ? 'primary' : `replica-${i}`), { serverId: i + 1, bufferPool: '32M' }));
  const [primary, ...replicas] = servers as [RunningService, ...RunningService[]];
  const query = async (server: RunningService, sql: string) => {
    const conn = await mysql.createConnection(server.url);
    try {
      return (await conn.query(sql))[0];
    } finally {
      await conn.end();
    }
  };
  const { port } = new URL(primary.url);
  for (const replica of replicas) {
    await query(replica, `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${Number(port)}, MASTER_USER='portal', MASTER_PASSWORD='portal', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1`);
    await query(replica, 'START SLAVE');
  }
  return {
    primary,
    replicas,
    query,
    stop: async () => void (await Promise.all(servers.map((s) => s.stop()))),
  };
}
