import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../core/http/server.js';
import type { DbKind } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { launchBrowser } from '../harness/browser.js';

/** The accounts every browser scenario signs in with. */
export const ADMIN = { login: 'boss', password: 'browser admin 42', name: 'Anna', lastName: 'Admin' };
export const EMPLOYEE = { login: 'ivan', password: 'browser user 42', name: 'Иван', lastName: 'Petrov' };

/** A booted kernel with an administrator and a regular employee, served on a loopback port. */
export interface BrowserPortal {
  t: TestKernel;
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

export async function startPortal(kind: DbKind): Promise<BrowserPortal> {
  const t = await bootTestKernel(kind);
  try {
    const admins = await t.kernel.groups.byCode('administrators');
    await t.kernel.users.create({ login: ADMIN.login, email: 'boss@example.com', password: ADMIN.password, name: ADMIN.name, lastName: ADMIN.lastName, groupIds: [admins.id] });
    await t.kernel.users.create({ login: EMPLOYEE.login, email: 'ivan@example.com', password: EMPLOYEE.password, name: EMPLOYEE.name, lastName: EMPLOYEE.lastName });
    const server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    return {
      t,
      server,
      url: server.url,
      close: async () => {
        await server.close();
        await t.close();
      },
    };
  } catch (err) {
    await t.close();
    throw err;
  }
}

/**
 * Registers before/after hooks for one browser per file. Returns getters because the
 * values exist only once before() ran.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async function () {
    this.timeout(120_000); // the first run may install Debian's chromium
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not running');
    return browser;
  };
}

/** Registers before/after hooks that start and stop a portal on `kind`. */
export function usePortal(kind: DbKind): () => BrowserPortal {
  let portal: BrowserPortal | undefined;
  before(async function () {
    this.timeout(60_000);
    portal = await startPortal(kind);
  });
  after(async () => {
    await portal?.close();
  });
  return () => {
    if (!portal) throw new Error('the portal is not running');
    return portal;
  };
}
