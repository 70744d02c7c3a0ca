import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on first use instead of at start-up (sanitizing, SMTP,
 * the MySQL driver on an SQLite install, progress bars): a web node should not pay for code a
 * request may never need. Use `import type` for its types.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
