import type { PortalConfig } from '../core/config/types.js';
import type { MigrationProgress } from '../core/migrations/migrator.js';
import type { ModuleDefinition } from '../core/modules/types.js';
import type { DemoUsers } from './demo.js';

export type MigrationEvent = Parameters<MigrationProgress>[0];

/** What `portal install` (and `portal start` on a fresh var dir) asks the installer to do. */
export interface InstallOptions {
  /** `sqlite:<path>` or `mysql://user:pass@host:port/db`; default: the configured URL, else sqlite:<var>/portal.db. */
  dbUrl?: string;
  /** `memory` or `memcached://host:port[,host:port]`; default: the configured cache. */
  cache?: string;
  /** Admin account; else PORTAL_ADMIN_LOGIN / _EMAIL / _PASSWORD, else login "admin" and a generated password. */
  adminLogin?: string;
  adminEmail?: string;
  adminPassword?: string;
  /** The administrator's first and last name (else PORTAL_ADMIN_NAME / _LAST_NAME, else "Administrator"). */
  adminName?: string;
  adminLastName?: string;
  /** Name of the default site. */
  siteName?: string;
  /** Language of the default site (`en` or `ru`): its interface and the demo content; default: the configured one. */
  siteLanguage?: string;
  /** Modules to install besides main (their dependencies come along); default: the standard set on a fresh install. */
  modules?: string[];
  /** Adds a demo group with a few sample employees, and demo news (with their pages) when infoblocks is installed. */
  demo?: boolean;
  /**
   * Re-run the install steps over an installed portal: pending migrations, missing modules,
   * the admin account. Nothing is dropped or overwritten except the admin password when one is given.
   */
  force?: boolean;
  /** Base configuration (default: loadConfig() with `env`). */
  config?: PortalConfig;
  env?: NodeJS.ProcessEnv;
  /** Module manifests instead of discovering dist/modules (tests). */
  definitions?: ModuleDefinition[];
}

export interface InstallResult {
  adminLogin: string;
  /** Set only when the installer made the password up; show it once. */
  generatedPassword?: string;
  /** With `demo`: the demo logins and the password the new ones share (show it once). */
  demoUsers?: DemoUsers;
  /** The DB URL as written to settings.json (password included; redact before printing). */
  dbUrl: string;
  /** Every module installed after the run, in dependency order. */
  modules: string[];
  /** Modules this run installed. */
  installedNow: string[];
  createdDatabase: boolean;
  /** True when --force re-ran the steps over an installed portal. */
  reinstalled: boolean;
  settingsFile: string;
  /** The effective configuration the portal now runs with. */
  config: PortalConfig;
}

/** How the installer reports progress; the CLI draws bars on a TTY and plain lines otherwise. */
export interface InstallUi {
  step(message: string): void;
  warn(message: string): void;
  migration(event: MigrationEvent): void;
  /** Called when a long step ends (closes a progress bar). */
  done(): void;
}

export const silentUi: InstallUi = {
  step: () => undefined,
  warn: () => undefined,
  migration: () => undefined,
  done: () => undefined,
};
