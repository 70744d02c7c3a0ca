/** The shape of portal.config.ts after defaults; every field is documented in docs/configuration.md. */
export interface PortalConfig {
  http: {
    host: string;
    port: number;
    /** Trust X-Forwarded-* headers from every peer (behind a load balancer whose address varies). */
    trustProxy: boolean;
    /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-* headers are believed. */
    trustedProxies: string[];
    /** Mark cookies Secure; on by default when publicUrl is https. */
    secureCookies: boolean;
    publicUrl?: string;
    /** Seconds a whole page is cached for anonymous visitors (0 = off). */
    pageCacheSeconds: number;
  };
  db: {
    /** `sqlite:<path>` or `mysql://user:pass@host:port/db`; holds the main module and every module not listed below. Empty = `sqlite:<var>/portal.db`. */
    url: string;
    /** Vertical shards: module id -> DB URL holding that module's tables. */
    modules: Record<string, string>;
    /** Read replicas per URL key ("default" or a module id). */
    replicas: Record<string, string[]>;
    pool: { min: number; max: number };
  };
  cache: {
    driver: 'memory' | 'memcached';
    /** host:port list for memcached. */
    servers: string[];
    /** Key prefix so several portals can share one memcached. */
    prefix: string;
    /** Entries kept by the in-process driver. */
    memoryMaxEntries: number;
  };
  paths: {
    /** Writable state: SQLite file, settings.json, uploads, logs. */
    var: string;
    upload: string;
  };
  mail: {
    /** `smtp://user:pass@host:port`, `smtps://…`, or empty to keep mail queued. */
    smtpUrl: string;
    from: string;
    /** Attempts before a message is marked failed. */
    maxAttempts: number;
  };
  security: {
    sessionTtlSeconds: number;
    loginMaxAttempts: number;
    loginWindowSeconds: number;
    loginLockSeconds: number;
    uploadMaxBytes: number;
  };
  agents: {
    /** Run the agent worker inside web processes. */
    runInWeb: boolean;
    pollSeconds: number;
  };
  log: { level: string };
  /** Scheduled backups (see docs/operations.md); the admin's main options override schedule and keep. */
  backup: {
    /** Where scheduled backups go; default <var>/backups. */
    dir: string;
    /** Scheduled archives kept in `dir` (older ones are deleted). */
    keep: number;
    /** Five-field cron expression in UTC; empty: no scheduled backups. */
    schedule: string;
  };
  /** Default site created by the installer. */
  site: { name: string; language: 'en' | 'ru' };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };
export type PortalConfigInput = DeepPartial<PortalConfig>;
