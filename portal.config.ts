import { defineConfig } from './core/config/define-config.js';

// Project-wide settings. `portal install` writes machine-specific ones (DB URL, cache)
// to var/settings.json, and PORTAL_* environment variables override both.
export default defineConfig({
  http: { host: '127.0.0.1', port: 8080 },
  db: { url: 'sqlite:var/portal.db' },
  cache: { driver: 'memory' },
});
