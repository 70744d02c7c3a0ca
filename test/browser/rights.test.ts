import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { screenshot, signInThroughForm, withPage } from '../harness/browser.js';
import { EMPLOYEE, useBrowser, usePortal } from './portal.js';

describe('browser: rights', () => {
  const browser = useBrowser();

  describeEachDb('a user without rights', (kind) => {
    const portal = usePortal(kind);

    it('gets a readable 403 page for the admin area and no admin link', async () => {
      await withPage(
        browser(),
        portal().url,
        async (page) => {
          await signInThroughForm(page, EMPLOYEE.login, EMPLOYEE.password);
          assert.equal(await page.locator('a[href="/admin/"]').count(), 0, 'no link to the admin area for a regular user');
          const res = await page.goto('/admin/');
          assert.equal(res?.status(), 403);
          assert.ok(await page.getByRole('heading', { name: 'Access denied' }).isVisible());
          await screenshot(page, 'error-403');
          await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('link', { name: 'Back to the home page' }).click()]);
          const log = await portal().t.kernel.users.securityLog.list({ event: 'access.denied' });
          assert.ok(log.items.some((e: { login: string | null }) => e.login === EMPLOYEE.login), 'the denial is in the security log');
        },
        // Chromium logs the 403 of the document itself; nothing else may fail.
        { allowConsole: [/status of 403 \(Forbidden\) \(http:\/\/[^/]+\/admin\/\)$/] },
      );
    });

    it('gets a 404 page for an unknown address', async () => {
      await withPage(
        browser(),
        portal().url,
        async (page) => {
          await signInThroughForm(page, EMPLOYEE.login, EMPLOYEE.password);
          const res = await page.goto('/no/such/page/');
          assert.equal(res?.status(), 404);
          assert.ok(await page.getByRole('heading', { name: 'Page not found' }).isVisible());
          await screenshot(page, 'error-404');
        },
        { allowConsole: [/status of 404 \(Not Found\) \(http:\/\/[^/]+\/no\/such\/page\/\)$/] },
      );
    });
  });
});
