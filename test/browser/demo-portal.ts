import { readdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import type { Principal } from '../../core/services.js';
import { installPortal } from '../../installer/install.js';
import { createTestEnv, type DbKind, type TestEnv } from '../harness/db-matrix.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

export const DEMO_ADMIN = { login: 'boss', password: 'demo admin 42' };
/** A demo employee (not an administrator) the installer creates; the test sets the password. */
export const DEMO_EMPLOYEE = { login: 'ivan.petrov', password: 'demo employee 42' };

/** A portal installed by `installPortal` with the demo, in one language, served on a loopback port. */
export interface DemoPortal {
  kernel: Kernel;
  server: RunningServer;
  url: string;
  /** Codes the portal stores and shows as they are: logins, group, module, infoblock, section, element and property codes, template names. */
  identifiers(): Promise<Set<string>>;
  close(): Promise<void>;
}

export async function startDemoPortal(kind: DbKind, language: 'en' | 'ru', siteName?: string): Promise<DemoPortal> {
  const env: TestEnv = await createTestEnv(kind);
  let kernel: Kernel | undefined;
  try {
    await installPortal({
      config: env.config,
      env: {},
      demo: true,
      siteLanguage: language,
      siteName: siteName ?? (language === 'ru' ? 'Портал компании' : 'Company portal'),
      adminLogin: DEMO_ADMIN.login,
      adminEmail: 'boss@example.com',
      adminPassword: DEMO_ADMIN.password,
    });
    kernel = await Kernel.boot(env.config, { log: silentLogger() });
    const employee = await kernel.users.findByLogin(DEMO_EMPLOYEE.login);
    if (!employee) throw new Error(`the demo has no ${DEMO_EMPLOYEE.login}`);
    await kernel.users.setPassword(employee.id, DEMO_EMPLOYEE.password);
    const server = await startServer(kernel, { host: '127.0.0.1', port: 0 });
    const k = kernel;
    return {
      kernel: k,
      server,
      url: server.url,
      identifiers: () => identifiersOf(k),
      close: async () => {
        await server.close();
        await k.close();
        await env.cleanup();
      },
    };
  } catch (err) {
    await kernel?.close();
    await env.cleanup();
    throw err;
  }
}

async function identifiersOf(kernel: Kernel): Promise<Set<string>> {
  const out = new Set<string>();
  for (const u of (await kernel.users.list({ limit: 1000 })).items) out.add(u.login);
  for (const g of await kernel.groups.list()) out.add(g.code);
  for (const d of kernel.modules.installedDefinitions()) out.add(d.id);
  for (const name of readdirSync(path.join(projectRoot, 'templates'))) out.add(name);
  if (kernel.modules.isInstalled('infoblocks')) {
    const api = kernel.api('infoblocks');
    for (const type of await api.iblocks.listTypes()) out.add(type.code);
    for (const iblock of await api.iblocks.list(SYSTEM)) {
      out.add(iblock.code);
      for (const s of await api.sections.list(SYSTEM, iblock.id)) out.add(s.code);
      for (const p of await api.properties.list(SYSTEM, iblock.id)) out.add(p.code);
      for (const e of (await api.elements.list(SYSTEM, iblock.id, { pageSize: 100 })).items) if (e.code) out.add(e.code);
    }
  }
  return out;
}
