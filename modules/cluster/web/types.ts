/**
 * The web-node side of `portal cluster`, written against small interfaces so the cluster
 * module wires it to its registry (the registry, its table and its epoch live there).
 */

/** One web node as the registry holds it. */
export interface WebNode {
  /** The registry's id (opaque here). */
  id: string;
  /** The node's root: releases/, current, var/ and its pm2 home below it. */
  path: string;
  /** `user@host` when the node is reached by ssh; absent for a folder on this machine. */
  ssh?: string;
  /** The address nginx and the health checks reach the node on. */
  host: string;
  port: number;
  /** The release `current` points at (releases/<release>). */
  release?: string;
  /** When the last release was installed or the node reloaded (ISO). */
  deployedAt?: string;
}

export type NewWebNode = Omit<WebNode, 'id'>;

/** What the registry offers for web nodes. */
export interface WebNodeStore {
  list(): Promise<WebNode[]>;
  add(node: NewWebNode): Promise<WebNode>;
  update(id: string, patch: Partial<NewWebNode>): Promise<WebNode>;
  remove(id: string): Promise<void>;
}

/** Everything the web-node commands need from their surroundings. */
export interface WebDeps {
  webNodes: WebNodeStore;
  /** The built portal to install on the nodes (default: the one running this CLI). */
  source: string;
  /** This install's var dir: settings.json is copied from it to every node. */
  varDir: string;
  /** Progress lines (a terminal, a log). */
  log(line: string): void;
  /** Milliseconds a started or reloaded node gets to answer /readyz with 200. Default 60 s. */
  readyTimeoutMs?: number;
  /** Extra environment for the node's processes (PORTAL_* variables). */
  env?: Record<string, string>;
}
