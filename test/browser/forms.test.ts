import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { screenshot, signInThroughForm, withPage } from '../harness/browser.js';
import { ADMIN, EMPLOYEE, useBrowser, usePortal } from './portal.js';

describe('browser: invalid form input', () => {
  const browser = useBrowser();

  describeEachDb('password change and admin user forms', (kind) => {
    const portal = usePortal(kind);

    it('blocks a too-short password in the browser and shows the server error for a wrong current password', async () => {
      await withPage(
        browser(),
        portal().url,
        async (page) => {
          await signInThroughForm(page, EMPLOYEE.login, EMPLOYEE.password, '/profile/password/');
          assert.equal(new URL(page.url()).pathname, '/profile/password/');
          const next = page.locator('input[name="password"]');

          // Too short: the form does not leave the page and the field explains why.
          await page.locator('input[name="current"]').fill(EMPLOYEE.password);
          await next.fill('short');
          await page.getByRole('button', { name: 'Save' }).click();
          const message = await next.evaluate((el: { validationMessage: string }) => el.validationMessage);
          assert.match(message, /8/, 'the browser names the minimum length');
          assert.equal(new URL(page.url()).pathname, '/profile/password/');

          // Valid shape but wrong current password: the server re-renders the form with role="alert".
          await page.locator('input[name="current"]').fill('not my password');
          await next.fill('a long new password');
          await page.locator('input[name="password2"]').fill('a long new password');
          const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save' }).click()]);
          assert.equal(res.status(), 400);
          const alert = page.getByRole('alert');
          await alert.waitFor();
          assert.ok(await alert.isVisible());
          assert.match((await alert.innerText()).trim(), /The current password is wrong/);
          await screenshot(page, 'profile-password-error');
        },
        { allowConsole: [/status of 400 \(Bad Request\) \(http:\/\/[^/]+\/profile\/password\/\)$/] },
      );
    });

    it('shows the password policy message from the server when the new password equals the login', async () => {
      await portal().t.kernel.users.create({ login: 'longlogin1', email: 'longlogin1@example.com', password: 'first password 1' });
      await withPage(
        browser(),
        portal().url,
        async (page) => {
          await signInThroughForm(page, 'longlogin1', 'first password 1', '/profile/password/');
          await page.locator('input[name="current"]').fill('first password 1');
          await page.locator('input[name="password"]').fill('longlogin1');
          await page.locator('input[name="password2"]').fill('longlogin1');
          await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save' }).click()]);
          const alert = page.getByRole('alert');
          await alert.waitFor();
          assert.match((await alert.innerText()).trim(), /not the same as the login/);
        },
        { allowConsole: [/status of 400 \(Bad Request\) \(http:\/\/[^/]+\/profile\/password\/\)$/] },
      );
    });

    it('the admin user form explains an e-mail the server refuses and keeps what was typed', async () => {
      await withPage(
        browser(),
        portal().url,
        async (page) => {
          await signInThroughForm(page, ADMIN.login, ADMIN.password, '/admin/users/new/');
          await page.locator('input[name="login"]').fill('new.hire');
          // The browser's type="email" check accepts this; the portal needs a dot in the domain.
          await page.locator('input[name="email"]').fill('new.hire@intranet');
          await page.locator('input[name="name"]').fill('Nina');
          await page.locator('input[name="password"]').fill('a good password 1');
          const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save' }).click()]);
          assert.ok(res.status() >= 400 && res.status() < 500, `4xx, got ${res.status()}`);
          const alert = page.getByRole('alert');
          await alert.waitFor();
          assert.match((await alert.innerText()).trim(), /new\.hire@intranet.*not valid/i);
          assert.equal(await page.locator('input[name="login"]').inputValue(), 'new.hire');
          assert.equal(await page.locator('input[name="name"]').inputValue(), 'Nina');
          assert.equal(await portal().t.kernel.users.findByLogin('new.hire'), null, 'no user was created');
          await screenshot(page, 'admin-user-form-error');
        },
        { allowConsole: [/status of 4\d\d \([^)]*\) \(http:\/\/[^/]+\/admin\/users\/new\/\)$/] },
      );
    });
  });
});
