import type { AttributeMap, PresetName } from './presets.js';

export type NestedMode = 'none' | 'expand' | 'in-chain';
export type OutagePolicy = 'deny' | 'recent';
export type DepartmentSource = 'none' | 'attribute' | 'ou';

/** A directory server as the portal keeps it; the bind password is only ever `hasBindPassword`. */
export interface LdapServer {
  id: number;
  code: string;
  name: string;
  active: boolean;
  sort: number;
  /** ldap://host:port or ldaps://host:port */
  url: string;
  /** Upgrade an ldap:// connection with StartTLS before binding. */
  startTls: boolean;
  /** PEM of the CA that signed the server's certificate ('' = the system's CAs). */
  caCert: string;
  bindDn: string;
  hasBindPassword: boolean;
  baseDn: string;
  userFilter: string;
  groupBaseDn: string;
  groupFilter: string;
  memberAttribute: string;
  preset: PresetName;
  attributes: AttributeMap;
  nested: NestedMode;
  nestedDepth: number;
  pageSize: number;
  timeoutMs: number;
  /** Create the portal user on the first directory sign-in. */
  createOnLogin: boolean;
  outagePolicy: OutagePolicy;
  /** With outagePolicy "recent": users who signed in within this many days may sign in while the directory is down. */
  outageDays: number;
  departments: DepartmentSource;
  /** Minutes between scheduled syncs; 0 = by hand only. */
  syncMinutes: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What an administrator sends; absent fields take the preset's or the defaults. */
export interface LdapServerInput {
  code?: string;
  name?: string;
  active?: boolean;
  sort?: number;
  url?: string;
  startTls?: boolean;
  caCert?: string;
  bindDn?: string;
  /** A new bind password; absent or undefined keeps the stored one, '' clears it. */
  bindPassword?: string;
  baseDn?: string;
  userFilter?: string;
  groupBaseDn?: string;
  groupFilter?: string;
  memberAttribute?: string;
  preset?: PresetName;
  attributes?: Partial<AttributeMap>;
  nested?: NestedMode;
  nestedDepth?: number;
  pageSize?: number;
  timeoutMs?: number;
  createOnLogin?: boolean;
  outagePolicy?: OutagePolicy;
  outageDays?: number;
  departments?: DepartmentSource;
  syncMinutes?: number;
}

/** An LDAP group (by DN) mapped to a portal group, or a "ban" that blocks its members. */
export interface GroupMap {
  id: number;
  serverId: number;
  ldapGroup: string;
  groupId: number | null;
  ban: boolean;
}

export interface SyncCounts {
  created: number;
  updated: number;
  disabled: number;
  unchanged: number;
  errors: number;
}

export interface SyncRun extends SyncCounts {
  id: number;
  serverId: number;
  trigger: string;
  dryRun: boolean;
  status: 'running' | 'ok' | 'failed';
  /** In English (CLI, JSON). */
  message: string | null;
  /** The message as data, `{ reason, ...params }`, for the admin to say it in the reader's language. */
  messageDetail: RunMessageDetail | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export type RunMessageDetail = { reason: string } & Record<string, string | number>;
