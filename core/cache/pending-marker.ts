import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A file that says "an invalidation could not reach the cache": it outlives the process
 * that failed (a restart during an outage), so whichever process of this install reaches
 * memcached next drops every entry. Touched only when an invalidation fails or the cache
 * recovers, never on the request path.
 */
export class PendingMarker {
  constructor(private readonly file: string) {}

  exists(): boolean {
    try {
      statSync(this.file);
      return true;
    } catch {
      return false;
    }
  }

  set(): void {
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(this.file, `${new Date().toISOString()}\n`);
    } catch {
      // the in-process flag still holds; a read-only var dir only loses the restart case
    }
  }

  clear(): void {
    try {
      rmSync(this.file, { force: true });
    } catch {
      // left behind, it only costs one more clear after the next restart
    }
  }
}
