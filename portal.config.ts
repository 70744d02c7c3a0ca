import { defineConfig } from './core/config/define-config.js';

// Project-wide settings. `portal install` writes machine-specific ones (DB URL, cache)
// to var/settings.json, and PORTAL_* environment variables override both.
export default defineConfig({
  http: { host: '127.0.0.1', port: 8080 },
  // db: { url: 'mysql://portal:secret@127.0.0.1:3306/portal' },  // default: SQLite in var/portal.db
  cache: { driver: 'memory' },
});
