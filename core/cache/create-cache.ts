import type { PortalConfig } from '../config/types.js';
import { coreErrors } from '../errors/codes.js';
import type { Logger } from '../log/logger.js';
import type { Cache, CacheDriver } from '../services.js';
import { MemcachedDriver } from './memcached-driver.js';
import { MemoryDriver } from './memory-driver.js';
import { PendingMarker } from './pending-marker.js';
import { TaggedCache } from './tagged-cache.js';

export interface CreateCacheOptions {
  /** File recording that an invalidation missed memcached (kept across restarts); memcached only. */
  markerFile?: string;
}

/** The kernel cache for the configured driver. */
export function createCache(settings: PortalConfig['cache'], log: Logger, options: CreateCacheOptions = {}): Cache {
  const driver = createDriver(settings, log);
  const marker = driver.name === 'memcached' && options.markerFile ? new PendingMarker(options.markerFile) : undefined;
  return new TaggedCache(driver, { log, marker });
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
