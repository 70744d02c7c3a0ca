import type { PortalConfig } from '../config/types.js';
import { coreErrors } from '../errors/codes.js';
import type { Logger } from '../log/logger.js';
import type { Cache, CacheDriver } from '../services.js';
import { MemcachedDriver } from './memcached-driver.js';
import { MemoryDriver } from './memory-driver.js';
import { TaggedCache } from './tagged-cache.js';

/** The kernel cache for the configured driver. */
export function createCache(settings: PortalConfig['cache'], log: Logger): Cache {
  return new TaggedCache(createDriver(settings, log), { log });
}

export function createDriver(settings: PortalConfig['cache'], log?: Logger): CacheDriver {
  switch (settings.driver) {
    case 'memory':
      return new MemoryDriver({ maxEntries: settings.memoryMaxEntries });
    case 'memcached':
      if (settings.servers.length === 0) throw coreErrors.CONFIG_INVALID('cache.servers must list at least one memcached host:port');
      return new MemcachedDriver({ servers: settings.servers, prefix: settings.prefix, log });
    default:
      throw coreErrors.CONFIG_INVALID(`unknown cache driver "${String(settings.driver)}"; use "memory" or "memcached"`);
  }
}
