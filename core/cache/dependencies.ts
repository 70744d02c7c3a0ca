import { AsyncLocalStorage } from 'node:async_hooks';

/** Tag version keys an operation's cache reads depended on, with the versions seen. */
export type Dependencies = Map<string, string>;

const current = new AsyncLocalStorage<Dependencies>();

/**
 * Runs `fn` recording the tag versions of every cache entry it reads or builds, so a
 * result derived from them (a whole page) can be cached under the same tags.
 */
export async function trackDependencies<T>(fn: () => Promise<T>): Promise<{ value: T; dependencies: Dependencies }> {
  const dependencies: Dependencies = new Map();
  const value = await current.run(dependencies, fn);
  return { value, dependencies };
}

/** Called by the cache for every entry used inside a tracked operation. */
export function recordDependencies(versions: Record<string, string>): void {
  const deps = current.getStore();
  if (!deps) return;
  for (const [name, version] of Object.entries(versions)) deps.set(name, version);
}
