import type { PortalConfig } from './types.js';

export function defaultConfig(): PortalConfig {
  return {
    http: { host: '127.0.0.1', port: 8080, trustProxy: false, trustedProxies: ['127.0.0.1', '::1'], secureCookies: false, pageCacheSeconds: 60 },
    db: { url: '', modules: {}, replicas: {}, pool: { min: 0, max: 10 } },
    cache: { driver: 'memory', servers: [], prefix: 'portal:', memoryMaxEntries: 50_000 },
    paths: { var: 'var', upload: 'var/upload' },
    mail: { smtpUrl: '', from: 'portal@localhost', maxAttempts: 8 },
    security: {
      sessionTtlSeconds: 8 * 3600,
      loginMaxAttempts: 5,
      loginWindowSeconds: 15 * 60,
      loginLockSeconds: 15 * 60,
      uploadMaxBytes: 20 * 1024 * 1024,
    },
    agents: { runInWeb: true, pollSeconds: 5 },
    log: { level: 'info' },
    backup: { dir: '', keep: 7, schedule: '' },
    site: { name: 'Intranet', language: 'en' },
  };
}
