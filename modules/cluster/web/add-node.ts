import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { webErrors } from './errors.js';
import { killNodeDaemon, startNodeApp, waitNodeReady } from './pm2-node.js';
import { installRelease, switchCurrent } from './release.js';
import type { WebDeps, WebNode } from './types.js';

export interface AddWebNodeInput {
  path: string;
  port?: number;
  host?: string;
  ssh?: string;
}

/** A folder the node can be created in: absent or empty, and writable (tried, not guessed). Returns whether it existed. */
function checkPath(dir: string): boolean {
  if (!path.isAbsolute(dir)) throw webErrors.WEB_NODE_INVALID(`--path must be absolute, got "${dir}"`);
  const existed = existsSync(dir);
  if (existed) {
    if (!statSync(dir).isDirectory()) throw webErrors.WEB_NODE_PATH_IN_USE(`${dir} is a file, not a folder`);
    if (readdirSync(dir).length > 0) throw webErrors.WEB_NODE_PATH_IN_USE(`${dir} is not empty; a web node needs an empty folder (or one that does not exist yet)`);
  }
  const probe = path.join(dir, '.portal-write-test');
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    if (!existed) removeQuietly(dir);
    throw webErrors.WEB_NODE_INVALID(`${dir} is not writable by this user (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!existed) removeQuietly(dir);
  return existed;
}

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // nothing was made there
  }
}

/** Whether something listens on host:port (or it cannot be bound). */
function portBusy(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

async function pickPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `portal cluster node add web`: installs the current release on a new node, starts it with
 * pm2 and waits for /readyz; only then it enters the registry. Any failure stops what was
 * started and removes what was made, and says why in one line.
 */
export async function addWebNode(deps: WebDeps, input: AddWebNodeInput): Promise<WebNode> {
  const host = input.host ?? '127.0.0.1';
  if (input.ssh) throw webErrors.WEB_NODE_INVALID('--ssh is not supported by this build yet; use a folder on this machine (rsync and pm2 run the same over ssh once it is)');
  if (!path.isAbsolute(input.path)) throw webErrors.WEB_NODE_INVALID(`--path must be absolute, got "${input.path}"`);
  const dir = path.resolve(input.path);
  const source = path.resolve(deps.source);
  if (dir === source || dir.startsWith(`${source}${path.sep}`)) throw webErrors.WEB_NODE_INVALID(`${dir} is inside the portal it would copy (${source}); choose a folder outside it`);
  if (!existsSync(path.join(deps.varDir, 'settings.json'))) throw webErrors.WEB_NODE_INVALID(`${deps.varDir} has no settings.json: install the portal first (\`portal install\`)`);
  const existing = await deps.webNodes.list();
  if (existing.some((n) => path.resolve(n.path) === dir && !n.ssh)) throw webErrors.WEB_NODE_PATH_IN_USE(`${dir} is a web node already`);
  const existed = checkPath(dir);
  if (input.port !== undefined && (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)) throw webErrors.WEB_NODE_INVALID(`--port must be 1-65535, got ${input.port}`);
  const port = input.port ?? (await pickPort(host));
  if (existing.some((n) => n.host === host && n.port === port)) throw webErrors.WEB_NODE_PORT_IN_USE(`port ${port} on ${host} belongs to another web node`);
  if (await portBusy(host, port)) throw webErrors.WEB_NODE_PORT_IN_USE(`port ${port} on ${host} is already in use; choose another with --port`);

  const node = { path: dir, host, port };
  let started = false;
  try {
    mkdirSync(dir, { recursive: true });
    deps.log(`Installing the release in ${dir}`);
    const release = await installRelease(node, deps.source, deps.varDir);
    await switchCurrent(node, release.id);
    deps.log(`Starting release ${release.id} under pm2 on port ${port}`);
    started = true;
    await startNodeApp(node, deps.env);
    await waitNodeReady(node, deps.readyTimeoutMs ?? 60_000);
    const added = await deps.webNodes.add({ ...node, release: release.id, deployedAt: new Date().toISOString() });
    deps.log(`Web node ${added.id} is ready at http://${host}:${port}`);
    return added;
  } catch (err) {
    if (started) await killNodeDaemon(node).catch(() => undefined);
    if (existed) for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { recursive: true, force: true });
    else rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
