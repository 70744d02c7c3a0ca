import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import mysql from 'mysql2/promise';
import { clusterErrors } from './errors.js';
import { until } from './mariadb.js';

export interface LocalServer {
  port: number;
  dir: string;
  datadir: string;
  socket: string;
  pidFile: string;
  serverId: number;
}

/** Whether something listens on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

/** The layout of a local replica under the var dir: var/cluster/mariadb-<port>/{data,tmp,mysqld.sock,…}. */
export function localLayout(varDir: string, port: number, serverId: number): LocalServer {
  const dir = path.join(varDir, 'cluster', `mariadb-${port}`);
  return { port, dir, datadir: path.join(dir, 'data'), socket: path.join(dir, 'mysqld.sock'), pidFile: path.join(dir, 'mysqld.pid'), serverId };
}

/** Refuses a port that is taken or a directory that holds something, before anything is made. */
export async function checkLocal(server: LocalServer): Promise<void> {
  if (!Number.isInteger(server.port) || server.port < 1 || server.port > 65535) throw clusterErrors.CLUSTER_BAD_INPUT(`--port must be a TCP port (1-65535), got ${server.port}`);
  if (await portInUse(server.port)) throw clusterErrors.CLUSTER_PORT_IN_USE(String(server.port));
  if (existsSync(server.dir) && readdirSync(server.dir).length > 0) throw clusterErrors.CLUSTER_NOT_EMPTY(`${server.dir} holds files of another server`);
}

/**
 * Makes a datadir and starts mariadbd on it, detached so it outlives this command (its own datadir, socket,
 * server_id, binlog with GTIDs, read_only), then gives the portal's user the same password as on the primary.
 */
export async function startLocal(server: LocalServer, portal: { user: string; password: string }, bufferPool = '64M'): Promise<void> {
  mkdirSync(server.datadir, { recursive: true });
  mkdirSync(path.join(server.dir, 'tmp'), { recursive: true });
  await execa('mariadb-install-db', ['--no-defaults', `--datadir=${server.datadir}`, `--user=${os.userInfo().username}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
  const child = spawn(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults', `--datadir=${server.datadir}`, `--socket=${server.socket}`, `--port=${server.port}`, `--tmpdir=${path.join(server.dir, 'tmp')}`,
      '--bind-address=127.0.0.1', `--user=${os.userInfo().username}`, '--skip-name-resolve',
      `--server-id=${server.serverId}`, `--log-bin=${path.join(server.dir, 'binlog')}`, '--log-slave-updates', '--binlog-format=ROW', '--read-only',
      `--pid-file=${server.pidFile}`, `--log-error=${path.join(server.dir, 'error.log')}`, `--innodb-buffer-pool-size=${bufferPool}`,
      '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci',
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  await until(() => portInUse(server.port), 60_000, () => clusterErrors.CLUSTER_SEED_FAILED(`mariadbd on port ${server.port} did not start (see ${path.join(server.dir, 'error.log')})`));
  const root = await mysql.createConnection({ socketPath: server.socket, user: 'root' });
  try {
    // Kept out of the binlog: each server has its own copy of the portal's user.
    await root.query('SET sql_log_bin = 0');
    await root.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [portal.user, '127.0.0.1', portal.password]);
    await root.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [portal.user, 'localhost', portal.password]);
    await root.query('GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION', [portal.user, '127.0.0.1']);
    await root.query('GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION', [portal.user, 'localhost']);
  } finally {
    await root.end();
  }
}

/** Stops a local server started by startLocal (its pid file), waits for it to go; with `wipe`, deletes its directory. */
export async function stopLocal(dir: string, wipe: boolean): Promise<void> {
  const pidFile = path.join(dir, 'mysqld.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGTERM');
      await until(async () => !alive(pid), 60_000, () => new Error(`mariadbd ${pid} did not stop`));
    } catch {
      /* already gone */
    }
  }
  if (wipe) rmSync(dir, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
