/**
 * Whether an error means "the database cannot be reached right now" rather than "this
 * query is wrong": refused or lost connections, network timeouts, a full or timed-out
 * pool, a server shutting down or out of connections, a locked SQLite file. Such errors
 * become a 503 with Retry-After (core/http/error-handler.ts); everything else stays a 500.
 */
export function isDbUnavailable(err: unknown): boolean {
  return walk(err, 0);
}

/** node:net failures; they count only as mysql2 reports them (`fatal`), not from LDAP or SMTP clients. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

const CODES = new Set([
  // mysql2
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'PROTOCOL_ENQUEUE_AFTER_QUIT',
  // MariaDB server
  'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'ER_TOO_MANY_USER_CONNECTIONS',
  // a primary set read_only for a switchover (modules/cluster): retry once the nodes follow the new one
  'ER_OPTION_PREVENTS_STATEMENT',
  // better-sqlite3: the file stayed locked past busy_timeout
  'SQLITE_BUSY',
]);

function walk(err: unknown, depth: number): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown; fatal?: unknown };
  if (typeof e.code === 'string' && (CODES.has(e.code) || (e.fatal === true && NETWORK.has(e.code)))) return true;
  // knex: the pool gave no connection within acquireConnectionTimeout
  if (e.name === 'KnexTimeoutError') return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => walk(inner, depth + 1))) return true;
  return walk(e.cause, depth + 1);
}
