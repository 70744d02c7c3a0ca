import { Kernel } from '../../core/kernel.js';
import type { PortalConfigInput } from '../../core/config/types.js';
import { silentLogger } from '../../core/log/logger.js';
import type { Logger } from '../../core/log/logger.js';
import type { ModuleDefinition } from '../../core/modules/types.js';
import type { AnyComponent } from '../../core/components/types.js';
import type { TemplateRoots } from '../../core/components/renderer.js';
import { discoverModules } from '../../core/modules/discover.js';
import { createTestEnv, type DbKind, type TestEnv } from './db-matrix.js';

export interface TestKernel {
  kernel: Kernel;
  env: TestEnv;
  close(): Promise<void>;
}

/**
 * Boots a kernel on a fresh database of `kind` with the main module installed
 * (pass install: false for a bare kernel). Call close() in an after() hook.
 */
export async function bootTestKernel(
  kind: DbKind,
  opts: { overrides?: PortalConfigInput; install?: boolean; definitions?: ModuleDefinition[]; components?: AnyComponent[]; templateRoots?: TemplateRoots; log?: Logger } = {},
): Promise<TestKernel> {
  const env = await createTestEnv(kind, opts.overrides);
  const definitions = opts.definitions ?? (await discoverModules());
  const kernel = await Kernel.boot(env.config, { log: opts.log ?? silentLogger(), definitions, components: opts.components, templateRoots: opts.templateRoots });
  try {
    if (opts.install !== false) await kernel.modules.install('main');
  } catch (err) {
    await kernel.close();
    await env.cleanup();
    throw err;
  }
  return {
    kernel,
    env,
    close: async () => {
      await kernel.close();
      await env.cleanup();
    },
  };
}
