import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHUTDOWN_DRAIN } from '../../../core/http/drain.js';
import { APP_NAME } from '../../../cli/utils/pm2.js';
import { waitReady } from '../../../cli/release/run-release.js';
import { webErrors } from './errors.js';
import { onNode } from './node-shell.js';
import { nodeLayout } from './release.js';
import type { WebNode } from './types.js';

/**
 * The node's portal under a pm2 daemon of its own (PM2_HOME=<path>/.pm2), driven with the pm2
 * CLI of the node's current release, so several nodes can live on one machine and a node
 * reached by ssh works the same. The app runs `<path>/current/bin/portal.js start` in cluster
 * mode: a reload starts the successor first (Node resolves `current` to the release it points
 * at *now*, so a reload after a switch of `current` runs the new release), waits for its
 * 'ready', then drains the old process (SHUTDOWN_DRAIN), the way `portal start --daemon` does.
 */
function pm2Bin(node: Pick<WebNode, 'path'>): string {
  return path.join(nodeLayout(node.path).current, 'node_modules/pm2/bin/pm2');
}

function pm2Env(node: Pick<WebNode, 'path'>): Record<string, string> {
  return { PM2_HOME: nodeLayout(node.path).pm2Home };
}

async function pm2(node: Pick<WebNode, 'path' | 'ssh'>, args: string[], timeoutMs = 120_000) {
  return onNode(node, process.execPath, [pm2Bin(node), ...args], { env: node.ssh ? pm2Env(node) : { ...(process.env as Record<string, string>), ...pm2Env(node) }, timeoutMs });
}

/** The pm2 app description of a node (written next to its releases as pm2.json). */
export function pm2App(node: Pick<WebNode, 'path' | 'host' | 'port'>, env: Record<string, string> = {}) {
  const layout = nodeLayout(node.path);
  return {
    apps: [{
      name: APP_NAME,
      script: path.join(layout.current, 'bin/portal.js'),
      args: ['start'],
      cwd: layout.current,
      exec_mode: 'cluster',
      instances: 1,
      env: { ...env, PORTAL_VAR_DIR: layout.var, PORTAL_HTTP_HOST: node.host, PORTAL_HTTP_PORT: String(node.port) },
      wait_ready: true,
      listen_timeout: 30_000,
      kill_timeout: SHUTDOWN_DRAIN.timeoutMs + 5000,
      output: path.join(layout.var, 'log', 'pm2.log'),
      error: path.join(layout.var, 'log', 'pm2.log'),
      merge_logs: true,
    }],
  };
}

/** Writes pm2.json and starts the app (the node's daemon is launched when needed). */
export async function startNodeApp(node: Pick<WebNode, 'path' | 'ssh' | 'host' | 'port'>, env: Record<string, string> = {}): Promise<void> {
  const file = path.join(node.path, 'pm2.json');
  const write = await onNode(node, process.execPath, ['-e', `require('fs').writeFileSync(process.argv[1], process.argv[2])`, file, JSON.stringify(pm2App(node, env), null, 2)]);
  if (!write.ok) throw webErrors.WEB_NODE_PM2_FAILED(`writing ${file}: ${write.error}`);
  const r = await pm2(node, ['start', file]);
  if (!r.ok) throw webErrors.WEB_NODE_PM2_FAILED(`pm2 start on ${node.path}: ${r.error}`);
}

/** pm2 reload of the app: successor first, then the old process drains. */
export async function reloadNodeApp(node: Pick<WebNode, 'path' | 'ssh'>): Promise<void> {
  const r = await pm2(node, ['reload', APP_NAME]);
  if (!r.ok) throw webErrors.WEB_NODE_PM2_FAILED(`pm2 reload on ${node.path}: ${r.error}`);
}

export interface NodeAppState {
  status: string;
  pids: number[];
  restarts: number;
}

/** What pm2 says about the node's app ('not running' when its daemon or app is absent). */
export async function nodeAppState(node: Pick<WebNode, 'path' | 'ssh'>): Promise<NodeAppState> {
  // Asking a pm2 that is not running would launch a daemon: look at its pid file first.
  if (!node.ssh && !daemonAlive(nodeLayout(node.path).pm2Home)) return { status: 'not running', pids: [], restarts: 0 };
  const r = await pm2(node, ['jlist'], 30_000);
  if (!r.ok) return { status: 'not running', pids: [], restarts: 0 };
  let list: { name: string; pid: number; pm2_env?: { status?: string; restart_time?: number } }[] = [];
  try {
    // pm2 may print "[PM2] Spawning PM2 daemon…" lines first; the list is the line that is JSON.
    const json = r.stdout.split('\n').map((l) => l.trim()).find((l) => l === '[]' || l.startsWith('[{'));
    list = JSON.parse(json ?? '') as typeof list;
  } catch {
    return { status: 'unknown', pids: [], restarts: 0 };
  }
  const procs = list.filter((p) => p.name === APP_NAME);
  if (procs.length === 0) return { status: 'not running', pids: [], restarts: 0 };
  return {
    status: procs.every((p) => p.pm2_env?.status === 'online') ? 'online' : procs.map((p) => p.pm2_env?.status ?? 'unknown').join(','),
    pids: procs.map((p) => p.pid).filter((pid) => pid > 0),
    restarts: procs.reduce((n, p) => n + (p.pm2_env?.restart_time ?? 0), 0),
  };
}

function daemonAlive(home: string): boolean {
  try {
    process.kill(Number(readFileSync(path.join(home, 'pm2.pid'), 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the node's app and its pm2 daemon (nothing is left running under <path>/.pm2). */
export async function killNodeDaemon(node: Pick<WebNode, 'path' | 'ssh'>): Promise<void> {
  await pm2(node, ['kill'], 60_000);
}

export function readyUrl(node: Pick<WebNode, 'host' | 'port'>): string {
  const host = ['0.0.0.0', '::', ''].includes(node.host) ? '127.0.0.1' : node.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${node.port}/readyz`;
}

/** Waits until the node answers /readyz with 200, or fails with WEB_NODE_NOT_READY. */
export async function waitNodeReady(node: Pick<WebNode, 'host' | 'port'>, timeoutMs: number): Promise<void> {
  const url = readyUrl(node);
  await waitReady(url, timeoutMs).catch(() => {
    throw webErrors.WEB_NODE_NOT_READY(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s`);
  });
}
