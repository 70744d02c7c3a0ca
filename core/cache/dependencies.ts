import { AsyncLocalStorage } from 'node:async_hooks';

/** Tag version keys an operation's cache reads depended on, with the versions seen. */
export type Dependencies = Map<string, string>;

const current = new AsyncLocalStorage<Dependencies>();
/** Tracked operations in flight; at zero the storage is disabled so Node's async hooks stay off. */
let inFlight = 0;

/**
 * Runs `fn` recording the tag versions of every cache entry it reads or builds, so a
 * result derived from them (a whole page) can be cached under the same tags.
 */
export async function trackDependencies<T>(fn: () => Promise<T>): Promise<{ value: T; dependencies: Dependencies }> {
  const dependencies: Dependencies = new Map();
  inFlight++;
  try {
    const value = await current.run(dependencies, fn);
    return { value, dependencies };
  } finally {
    // On Node 20 an enabled AsyncLocalStorage costs a hook on every promise; with nothing
    // tracked (every page served from the cache) that cost goes away.
    if (--inFlight === 0) current.disable();
  }
}

/** Called by the cache for every entry used inside a tracked operation. */
export function recordDependencies(versions: Record<string, string>): void {
  const deps = current.getStore();
  if (!deps) return;
  for (const [name, version] of Object.entries(versions)) deps.set(name, version);
}

/** Whether the current operation records dependencies (so callers can skip work when not). */
export function isTracking(): boolean {
  return current.getStore() !== undefined;
}

/** Runs `fn` without recording its cache reads in the tracked operation around it (a page's personal part). */
export function untracked<T>(fn: () => T): T {
  return current.getStore() ? current.exit(fn) : fn();
}
