import type Router from '@koa/router';
import type { Command } from 'commander';
import type { ModuleDb } from '../db/module-db.js';
import type { ModuleEvents } from '../events/event-bus.js';
import type { Logger } from '../log/logger.js';
import type { AgentDefinition, Cache, MailEventDefinition, OptionDefinition } from '../services.js';
import type { PortalKernel } from '../kernel-handle.js';
import type { PortalState } from '../http/state.js';
import type { PageDefinition } from '../pages/types.js';
import type { Localized, Messages } from '../i18n/types.js';

export type { Localized, Messages } from '../i18n/types.js';

/**
 * Typed APIs of modules. A module adds its own by declaration merging:
 *   declare module '../../core/modules/types.js' { interface ModuleApis { forum: ForumApi } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ModuleApis {}

export interface Migration {
  /** Sortable unique name, e.g. "2026-11-26-01-create-users". */
  name: string;
  up(db: ModuleDb): Promise<void>;
  down(db: ModuleDb): Promise<void>;
  /** Run inside a transaction (default true; MySQL DDL commits implicitly anyway). */
  transaction?: boolean;
}

export interface RightsLevel {
  title: Localized;
  /** Operations this level grants; "*" grants every operation of the module. */
  operations: string[];
}

export interface RightsDefinition {
  /** Level letters ordered from least to most, e.g. D (deny) < R (read) < W (write) < X (full). */
  levels: Record<string, RightsLevel>;
  /** Level for groups without an explicit entry. */
  defaultLevel: string;
  /** Default levels per group code written at install, e.g. { everyone: 'R' }. */
  defaults?: Record<string, string>;
  /** Every operation with a title; names are `<module>.<operation>`. */
  operations: Record<string, Localized>;
}

/** What a module's code receives from the kernel. */
export interface ModuleContext {
  readonly id: string;
  readonly db: ModuleDb;
  /** The event bus; listeners registered here belong to this module (removed on uninstall). */
  readonly events: ModuleEvents;
  readonly cache: Cache;
  readonly log: Logger;
  readonly kernel: PortalKernel;
  /** This module's option values (cached, per site when siteId given). */
  option<T = unknown>(name: string, siteId?: string): Promise<T>;
  /** A message of this module in the given language, with #PARAM# replaced. */
  t(key: string, language?: string, params?: Record<string, string | number>): string;
}

export type ModuleRouter = Router<PortalState>;

/** Groups of the admin side menu, in the order they are shown. */
export const ADMIN_MENU_SECTIONS = ['overview', 'content', 'people', 'system'] as const;
export type AdminMenuSection = (typeof ADMIN_MENU_SECTIONS)[number];

/** One link of the admin side menu. */
export interface AdminMenuEntry {
  /** A path in the admin area ending in "/", e.g. "/admin/infoblocks/". */
  href: string;
  title: Localized;
  section: AdminMenuSection;
  /** Shown only to users who may perform this operation; without it, to everyone who sees the admin area. */
  operation?: string;
}

/** A module's part of the admin area (see docs/modules.md, "Admin screens"). */
export interface AdminDefinition {
  menu?: AdminMenuEntry[];
}

/** What a module's CLI commands get from the `portal` command. */
export interface ModuleCliTools {
  /** Boots the installed portal, runs `fn`, closes it (one readable line if not installed). */
  withKernel<T>(fn: (kernel: PortalKernel) => Promise<T>): Promise<T>;
  /** Prints a line to stdout. */
  line(text?: string): void;
  /** Prints data as JSON to stdout (for --json). */
  printJson(data: unknown): void;
}

export interface ModuleDefinition<Api = unknown> {
  id: string;
  version: string;
  title: Localized;
  description?: Localized;
  /** Other module ids with semver ranges, e.g. { main: '^0.1.0' }. */
  dependencies?: Record<string, string>;
  /** The main module cannot be uninstalled. */
  required?: boolean;
  migrations?: Migration[];
  options?: Record<string, OptionDefinition>;
  rights?: RightsDefinition;
  agents?: (ctx: ModuleContext) => AgentDefinition[];
  mailEvents?: MailEventDefinition[];
  lang?: { en: Messages; ru: Messages };
  /** Mounts HTTP routes; they answer 404 while the module is not installed. */
  routes?: (router: ModuleRouter, ctx: ModuleContext) => void;
  /** `portal <command>` subcommands the module adds (e.g. `portal infoblocks export`). */
  cli?: (tools: ModuleCliTools) => Command[];
  /** Pages the module serves while installed: URL, title, access and component placements (see docs/pages.md). */
  pages?: PageDefinition[];
  /** Entries of the admin side menu, shown while the module is installed (see docs/modules.md). */
  admin?: AdminDefinition;
  /** Folder (relative to the module's folder) holding its components, if any. */
  components?: string;
  /** Called on every boot of an installed module: register listeners, return the API. */
  setup?: (ctx: ModuleContext) => Api | Promise<Api>;
  /** One-off work after the module's migrations ran on install (seed data, defaults). */
  install?: (ctx: ModuleContext) => Promise<void>;
  /** One-off work on uninstall, before tables are dropped (only with dropData). */
  uninstall?: (ctx: ModuleContext, opts: { dropData: boolean }) => Promise<void>;
}

/** Identity function that types a module's manifest. */
export function defineModule<Api>(definition: ModuleDefinition<Api>): ModuleDefinition<Api> {
  return definition;
}

export function defineMigration(migration: Migration): Migration {
  return migration;
}
