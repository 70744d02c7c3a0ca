/**
 * Contracts of the kernel services. Implementations live in their own folders and
 * are wired in kernel.ts; modules see them through `ModuleContext.kernel`.
 */
import type { Lease } from './locks/lock-service.js';

// ---------- cache ----------
export interface CacheDriver {
  readonly name: 'memory' | 'memcached';
  get(key: string): Promise<string | undefined>;
  getMany(keys: string[]): Promise<Map<string, string>>;
  /** ttlSeconds 0 = no expiry. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Stores only if absent; true when stored (atomic across nodes for memcached). */
  add(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Atomic increment; undefined when the key is missing. */
  incr(key: string, by: number): Promise<number | undefined>;
  flush(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Called when a server that was unreachable answers again (drivers that can fail). */
  onRecover?(listener: () => void): void;
  /** Called when keys moved between servers (a server ejected or back, the server list changed). */
  onTopologyChange?(listener: (reason: string) => void): void;
}

export interface CacheSetOptions {
  /** Seconds; 0 or absent = driver default (no expiry for memory, 30 days max for memcached). */
  ttl?: number;
  tags?: string[];
}

/**
 * The kernel cache. Values are what JSON holds plus Dates (at any depth): a hit gives back
 * the same types the build returned. Other class instances (Map, Set, your classes) come back as plain objects.
 */
export interface Cache {
  readonly driverName: 'memory' | 'memcached';
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options?: CacheSetOptions): Promise<void>;
  /** Never throws, like invalidateTags. */
  delete(key: string): Promise<void>;
  /** Returns the cached value or builds it once (one builder per key across processes). */
  remember<T>(key: string, options: CacheSetOptions, build: () => Promise<T>): Promise<T>;
  /** Stores a value valid while the recorded tag versions stay current (see core/cache/dependencies.ts). */
  setDependent<T>(key: string, value: T, ttlSeconds: number, dependencies: Map<string, string>): Promise<void>;
  /** Makes the tracked operation depend on these tags (see core/cache/dependencies.ts). */
  dependOn(...tags: string[]): Promise<void>;
  /**
   * O(1) per tag: bumps the tag's version so every entry tagged with it is stale. Never
   * throws: when the cache cannot be reached, every entry is made stale once it can.
   */
  invalidateTags(...tags: string[]): Promise<void>;
  /**
   * Drops every entry of this portal (O(1), via a global tag). When the cache cannot be
   * reached it throws CACHE_UNAVAILABLE; the entries are still dropped once it answers.
   */
  clear(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// ---------- locks ----------
export interface Locks {
  acquire(name: string, ttlMs: number): Promise<Lease | null>;
  release(lease: Lease): Promise<void>;
  withLock<T>(name: string, fn: () => Promise<T>, opts?: { ttlMs?: number; waitMs?: number; busyMessage?: string }): Promise<T>;
}

// ---------- users, groups, rights ----------
export interface User {
  id: number;
  login: string;
  email: string;
  name: string;
  lastName: string;
  active: boolean;
  /** Set for users that sign in elsewhere (e.g. "ldap"); they have no local password. */
  externalAuthId: string | null;
  language: string | null;
  /** Job title, e.g. "Accountant" ('' when not set). */
  position: string;
  departmentId: number | null;
  phone: string;
  /** Avatar: a file in main_files; its URL is kernel.files.urlOf(photoFileId). */
  photoFileId: number | null;
  /** Calendar date "YYYY-MM-DD" (no time zone), or null. */
  birthday: string | null;
  /** A person of the company, listed as a colleague; false for service accounts (e.g. the install's administrator). */
  employee: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
  groupIds: number[];
  isAdmin: boolean;
}

export interface UserInput {
  login: string;
  email: string;
  password?: string;
  name?: string;
  lastName?: string;
  active?: boolean;
  externalAuthId?: string | null;
  language?: string | null;
  position?: string;
  departmentId?: number | null;
  phone?: string;
  photoFileId?: number | null;
  birthday?: string | null;
  /** Default true; false for a service account, which the directory and the dashboards do not list. */
  employee?: boolean;
  groupIds?: number[];
}

export interface Group {
  id: number;
  /** Stable code: "administrators", "everyone", "registered", or a custom one. */
  code: string;
  name: string;
  description: string;
  /** System groups cannot be deleted. */
  system: boolean;
}

/** The anonymous visitor; its groups are just "everyone". */
export interface Principal {
  userId: number | null;
  groupIds: number[];
  isAdmin: boolean;
}

export type AccessResult = 'allow' | 'neutral' | 'forbid';
export type AccessChecker = (principal: Principal, object: unknown) => AccessResult | Promise<AccessResult>;

// ---------- options ----------
export interface OptionDefinition {
  type: 'string' | 'number' | 'boolean' | 'json';
  default: unknown;
  title?: { en: string; ru: string };
  /** Number options: the smallest and largest value accepted. */
  min?: number;
  max?: number;
}

// ---------- mail ----------
export interface MailEventDefinition {
  /** Event type code, e.g. "USER_PASSWORD_CHANGED". */
  type: string;
  title: { en: string; ru: string };
  /** #FIELD# names the templates may use. */
  fields: string[];
  /** Default templates created on install, per language. */
  templates: { language: 'en' | 'ru'; subject: string; body: string; to?: string }[];
}

// ---------- agents ----------
export interface AgentDefinition {
  /** Unique within the module. */
  name: string;
  /** Seconds between runs; or give `cron`. */
  interval?: number;
  /** Five-field cron expression, evaluated in UTC. */
  cron?: string;
  /** Attempts before the run is given up until the next schedule. Default 5. */
  maxAttempts?: number;
  run(): Promise<void>;
}

export interface AgentRow {
  id: number;
  module: string;
  name: string;
  interval: number | null;
  cron: string | null;
  active: boolean;
  nextRunAt: Date;
  lastRunAt: Date | null;
  lastError: string | null;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}
