import { AsyncLocalStorage } from 'node:async_hooks';

const owner = new AsyncLocalStorage<string>();
/** Activations in flight; at zero the storage is disabled so Node's async hooks stay off. */
let active = 0;

/**
 * Runs a module's `setup` so that what it registers on kernel services (listeners on
 * `kernel.events`, access checkers) belongs to the module and goes away on uninstall.
 */
export async function runAsModule<T>(moduleId: string, fn: () => T | Promise<T>): Promise<T> {
  active++;
  try {
    return await owner.run(moduleId, fn);
  } finally {
    if (--active === 0) owner.disable();
  }
}

/** The module whose setup is running, if any. */
export function currentModule(): string | undefined {
  return owner.getStore();
}
