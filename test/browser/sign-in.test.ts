import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { screenshot, signInThroughForm, withPage } from '../harness/browser.js';
import { ADMIN, EMPLOYEE, useBrowser, usePortal } from './portal.js';

describe('browser: signing in', () => {
  const browser = useBrowser();

  describeEachDb('sign-in form', (kind) => {
    const portal = usePortal(kind);

    it('types the login and password into the real form and lands on the home page', async () => {
      await withPage(browser(), portal().url, async (page) => {
        await page.goto('/');
        assert.match(new URL(page.url()).pathname, /^\/auth\/login\/$/, 'anonymous visitors are sent to the sign-in page');
        await screenshot(page, 'sign-in');
        await page.locator('input[name="login"]').fill(EMPLOYEE.login);
        await page.locator('input[name="password"]').fill(EMPLOYEE.password);
        await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Sign in' }).click()]);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.ok(await page.getByText(EMPLOYEE.name).first().isVisible(), 'the home page greets the user by name');
        const cookies = await page.context().cookies();
        const sid = cookies.find((c) => c.name === 'portal_sid');
        assert.ok(sid?.httpOnly, 'the session cookie is HttpOnly');
      });
    });

    it('shows a readable error for a wrong password and keeps the login typed', async () => {
      await withPage(
        browser(),
        portal().url,
        async (page) => {
          await page.goto('/auth/login/');
          await page.locator('input[name="login"]').fill(ADMIN.login);
          await page.locator('input[name="password"]').fill('not the password');
          await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
          await page.getByRole('alert').waitFor();
          assert.match((await page.getByRole('alert').innerText()).trim(), /Wrong login or password/);
          assert.equal(await page.locator('input[name="login"]').inputValue(), ADMIN.login);
        },
        { allowConsole: [/status of 401/] },
      );
    });

    it('signs out with the button in the header', async () => {
      await withPage(browser(), portal().url, async (page) => {
        await signInThroughForm(page, ADMIN.login, ADMIN.password);
        assert.equal(new URL(page.url()).pathname, '/');
        await Promise.all([page.waitForURL((u) => u.pathname === '/auth/login/'), page.getByRole('button', { name: 'Sign out' }).click()]);
        await page.goto('/');
        assert.equal(new URL(page.url()).pathname, '/auth/login/', 'signed out: home sends to sign-in again');
      });
    });
  });
});
