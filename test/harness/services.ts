import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import mysql from 'mysql2/promise';
import { freePort, waitForPort } from './free-port.js';

export interface RunningService {
  /** Connection string for tests: a mysql:// URL (without database) or host:port. */
  url: string;
  stop(): Promise<void>;
}

async function stopChild(child: ResultPromise, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await child.catch(() => undefined);
  clearTimeout(timer);
}

/**
 * A private MariaDB in `dir`, on a free loopback port, with a user portal/portal
 * that may create databases. Tuned for tests: no fsync per commit, no binlog.
 * Its temp dir is its own: a MariaDB starting up deletes every `#sql*` file in its
 * tmpdir, which would break the running queries of other instances sharing /tmp.
 */
export async function startMariaDb(dir: string, options: { port?: number; serverId?: number; bufferPool?: string } = {}): Promise<RunningService> {
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const tmpdir = path.join(dir, 'tmp');
  // Started again in the same dir (outage tests), it keeps its data and its user.
  const fresh = !existsSync(datadir);
  mkdirSync(datadir, { recursive: true });
  mkdirSync(tmpdir, { recursive: true });
  if (fresh) {
    await execa('mariadb-install-db', [
      '--no-defaults', `--datadir=${datadir}`, '--user=root',
      '--auth-root-authentication-method=normal', '--skip-test-db',
    ]);
  }
  const port = options.port ?? (await freePort());
  const errLog = path.join(dir, 'error.log');
  const child = execa('/usr/sbin/mariadbd', [
    '--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, `--port=${port}`, `--tmpdir=${tmpdir}`,
    '--bind-address=127.0.0.1', '--user=root', '--skip-name-resolve',
    // With a server id it takes part in replication: a binlog with GTIDs, and replicas of it log what they apply.
    ...(options.serverId ? [`--server-id=${options.serverId}`, `--log-bin=${path.join(dir, 'binlog')}`, '--log-slave-updates', '--binlog-format=ROW'] : ['--skip-log-bin']),
    `--pid-file=${path.join(dir, 'mysqld.pid')}`, `--log-error=${errLog}`,
    '--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0', `--innodb-buffer-pool-size=${options.bufferPool ?? '256M'}`,
    '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci', '--max-connections=500',
  ], { stdio: 'ignore', reject: false });
  try {
    await waitForPort(port, 60_000);
  } catch (err) {
    await stopChild(child);
    const tail = existsSync(errLog) ? readFileSync(errLog, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`MariaDB did not start: ${(err as Error).message}\n${tail}`);
  }
  if (fresh) {
    const root = await mysql.createConnection({ socketPath: socket, user: 'root' });
    // Each server's own user, kept out of the binlog so a replica does not apply the primary's.
    await root.query('SET sql_log_bin = 0');
    await root.query("CREATE USER 'portal'@'127.0.0.1' IDENTIFIED BY 'portal'");
    await root.query("GRANT ALL PRIVILEGES ON *.* TO 'portal'@'127.0.0.1' WITH GRANT OPTION");
    await root.end();
  }
  return {
    url: `mysql://portal:portal@127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

/** A private memcached on a free loopback port (or on `port`, to start one again where it was). */
export async function startMemcached(options: { port?: number } = {}): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const child = execa('memcached', ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-u', 'root', '-m', '64'], {
    stdio: 'ignore',
    reject: false,
  });
  await waitForPort(port, 10_000);
  return { url: `127.0.0.1:${port}`, stop: () => stopChild(child) };
}
