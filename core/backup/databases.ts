import { parseDbUrl } from '../db/db-url.js';
import type { Dialect } from './format.js';

/** One database server of the portal and the installed modules whose tables it holds. */
export interface DatabaseTarget {
  key: string;
  url: string;
  dialect: Dialect;
  modules: string[];
}

/**
 * The distinct databases of a portal: "default" (db.url: main and every module not moved)
 * and one per other URL in db.modules, keyed by the first module it holds.
 */
export function databaseLayout(db: { url: string; modules: Record<string, string> }, installed: string[]): DatabaseTarget[] {
  const byUrl = new Map<string, string[]>([[db.url, []]]);
  for (const id of [...installed].sort()) {
    const url = Object.hasOwn(db.modules, id) ? db.modules[id]! : db.url;
    byUrl.set(url, [...(byUrl.get(url) ?? []), id]);
  }
  return [...byUrl].map(([url, modules]) => ({
    key: url === db.url ? 'default' : modules[0]!,
    url,
    dialect: parseDbUrl(url).client,
    modules,
  }));
}
