import type { ClusterRegistry } from './registry.js';

/** What the cluster operations need from the running portal. */
export interface ClusterDeps {
  registry: ClusterRegistry;
  /** The bootstrap DB URL (settings.json): user, password and database of every DB node. */
  bootstrapUrl: string;
  /** The primary in force now (after the registry). */
  primaryUrl(): string;
  varDir: string;
  cache: { driver: string; servers: string[] };
  /** A progress line (stderr in the CLI). */
  say(text: string): void;
}
