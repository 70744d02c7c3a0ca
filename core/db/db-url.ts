import path from 'node:path';
import { coreErrors } from '../errors/codes.js';
import { resolveFromRoot } from '../config/paths.js';

export type DbUrl =
  | { client: 'sqlite'; filename: string; raw: string }
  | { client: 'mysql'; host: string; port: number; user: string; password: string; database: string; raw: string };

/** Parses `sqlite:<path>`, `sqlite::memory:` or `mysql://user:pass@host:port/db` (also `mariadb://`). */
export function parseDbUrl(raw: string): DbUrl {
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length);
    if (!file) throw coreErrors.DB_URL_INVALID('sqlite URL needs a path, e.g. sqlite:var/portal.db');
    return { client: 'sqlite', filename: file === ':memory:' ? file : path.normalize(resolveFromRoot(file)), raw };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw coreErrors.DB_URL_INVALID(`DB URL must be sqlite:<path> or mysql://user:pass@host:port/db, got "${redact(raw)}"`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw coreErrors.DB_URL_INVALID(`unsupported DB scheme "${url.protocol}"; use sqlite: or mysql://`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw coreErrors.DB_URL_INVALID(`DB URL "${redact(raw)}" names no database (mysql://user:pass@host:port/<db>)`);
  if (!/^[A-Za-z0-9_$-]+$/.test(database)) throw coreErrors.DB_URL_INVALID(`database name "${database}" may hold only letters, digits, _ $ and -`);
  return {
    client: 'mysql',
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database,
    raw,
  };
}

/** The URL with its password hidden, for logs and CLI output. */
export function redact(raw: string): string {
  return raw.replace(/(\/\/[^:/@]*:)([^@]*)@/, '$1***@');
}
