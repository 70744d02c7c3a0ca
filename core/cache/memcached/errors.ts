import { PortalError } from '../../errors/portal-error.js';

/**
 * memcached could not be reached (refused, timed out, connection lost) or is marked down
 * by its circuit breaker. The cache treats it as a miss; it never reaches a client.
 */
export class CacheUnavailableError extends PortalError {
  constructor(readonly server: string, reason: string) {
    super('CACHE_UNAVAILABLE', `memcached ${server} unavailable: ${reason}`, { status: 503, expose: false });
  }
}

/** memcached answered with an error line (ERROR, CLIENT_ERROR, SERVER_ERROR): the server is up. */
export class CacheCommandError extends PortalError {
  constructor(readonly server: string, reply: string) {
    super('CACHE_COMMAND_FAILED', `memcached ${server} answered "${reply}"`, { status: 500, expose: false });
  }
}

export function isCacheUnavailable(err: unknown): err is CacheUnavailableError {
  return err instanceof CacheUnavailableError;
}
