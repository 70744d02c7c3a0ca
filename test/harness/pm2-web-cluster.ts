import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { projectRoot } from '../../core/config/paths.js';
import { addWebNode } from '../../modules/cluster/web/add-node.js';
import { JsonFileWebNodeStore } from '../../modules/cluster/web/json-file-store.js';
import { nginxConfig } from '../../modules/cluster/web/nginx-config.js';
import { killNodeDaemon, nodeAppState } from '../../modules/cluster/web/pm2-node.js';
import { nodeLayout } from '../../modules/cluster/web/release.js';
import type { WebDeps, WebNode } from '../../modules/cluster/web/types.js';
import { ok, runCli } from '../cli/cli-harness.js';
import { createTestDatabase, memcachedServer, type TestDatabase } from './db-matrix.js';
import { ensureDebianPackages, NGINX, RSYNC } from './debian.js';
import { freePort, waitForPort } from './free-port.js';

export const ADMIN_PASSWORD = 'Admin-pass-123';

export interface WebCluster {
  dir: string;
  deps: WebDeps;
  nodes: WebNode[];
  /** http://127.0.0.1:<port> of nginx in front of the nodes. */
  url: string;
  /** SIGKILLs a node's processes and its pm2 daemon, the way a machine that dies stops. */
  killNode(node: WebNode): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A web cluster on this machine: one install (MariaDB, the shared memcached) whose var dir
 * is the shared config, `count` web nodes added with addWebNode in separate temp folders,
 * each under a pm2 daemon of its own (PM2_HOME below the node), and a private nginx with the
 * config of nginxConfig in front. stop() kills every pm2 daemon and process, also on failure.
 */
export async function startWebCluster(count = 2): Promise<WebCluster> {
  await ensureDebianPackages([NGINX, RSYNC]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-webcluster-'));
  const varDir = path.join(dir, 'install-var');
  const db: TestDatabase = await createTestDatabase('mariadb', dir);
  const seen = new Set<number>();
  const store = new JsonFileWebNodeStore(path.join(dir, 'web-nodes.json'));
  const deps: WebDeps = { webNodes: store, source: projectRoot, varDir, log: () => undefined, env: { PORTAL_AGENTS_IN_WEB: '0' }, readyTimeoutMs: 90_000 };
  let nginx: ResultPromise | undefined;
  const cluster: WebCluster = {
    dir,
    deps,
    nodes: [],
    url: '',
    killNode: async (node) => {
      const state = await nodeAppState(node);
      const daemonPid = readPid(path.join(nodeLayout(node.path).pm2Home, 'pm2.pid'));
      for (const pid of [...(daemonPid ? [daemonPid] : []), ...state.pids]) tryKill(pid, 'SIGKILL');
    },
    stop: async () => {
      for (const node of await store.list()) {
        for (const pid of (await nodeAppState(node).catch(() => ({ pids: [] as number[] }))).pids) seen.add(pid);
        await killNodeDaemon(node).catch(() => undefined);
      }
      for (const pid of seen) tryKill(pid, 'SIGKILL');
      if (nginx) {
        nginx.kill('SIGTERM');
        await nginx.catch(() => undefined);
      }
      await db.drop?.().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    ok(await runCli(['install', '-y', '--db', db.url, '--cache', `memcached://${memcachedServer()}`, '--admin-password', ADMIN_PASSWORD, '--modules', ''], { PORTAL_VAR_DIR: varDir }, { timeoutMs: 180_000 }));
    for (let i = 0; i < count; i++) {
      const node = await addWebNode(deps, { path: path.join(dir, `node-${String.fromCharCode(97 + i)}`) });
      for (const pid of (await nodeAppState(node)).pids) seen.add(pid);
      cluster.nodes.push(node);
    }
    const port = await freePort();
    const nginxDir = path.join(dir, 'nginx');
    mkdirSync(path.join(nginxDir, 'logs'), { recursive: true });
    const conf = path.join(nginxDir, 'nginx.conf');
    writeFileSync(conf, [
      'daemon off;', 'master_process off;', 'worker_processes 1;',
      `pid ${path.join(nginxDir, 'nginx.pid')};`,
      `error_log ${path.join(nginxDir, 'logs', 'error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${path.join(nginxDir, k)};`),
      nginxConfig(cluster.nodes, { listen: `127.0.0.1:${port}` }),
      '}', '',
    ].join('\n'));
    nginx = execa('/usr/sbin/nginx', ['-p', nginxDir, '-c', conf], { stdio: 'ignore', reject: false });
    await waitForPort(port, 10_000).catch((err: unknown) => {
      const log = path.join(nginxDir, 'logs', 'error.log');
      throw new Error(`nginx did not start: ${(err as Error).message}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    });
    cluster.url = `http://127.0.0.1:${port}`;
    return cluster;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
