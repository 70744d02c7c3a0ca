import type { PortalConfigInput } from './types.js';

/** Typed helper for portal.config.ts: `export default defineConfig({ http: { port: 8080 } })`. */
export function defineConfig(config: PortalConfigInput): PortalConfigInput {
  return config;
}
