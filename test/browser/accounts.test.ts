import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { clickAndLoad, horizontalOverflow, screenshot, withPage } from '../harness/browser.js';
import { useBrowser, usePortal } from './portal.js';

const PHONE = { width: 390, height: 844 };

describe('browser: forgotten password and registration', () => {
  const browser = useBrowser();

  describeEachDb('account forms on a phone', (kind) => {
    const portal = usePortal(kind);

    it('a visitor asks for a reset link and registers on a 390 px screen, in English and in Russian', async () => {
      const { t } = portal();
      await t.kernel.options.set('main', 'allow_registration', true);
      const site = (await t.kernel.sites.list()).find((s) => s.isDefault)!;
      try {
        for (const lang of ['en', 'ru'] as const) {
          await t.kernel.sites.update(site.id, { language: lang });
          const words = lang === 'en'
            ? { forgot: 'Forgot your password?', send: 'Send the link', sent: /a link to set a new password is on its way/, register: 'Register', submit: 'Register', done: /Almost done/ }
            : { forgot: 'Забыли пароль?', send: 'Прислать ссылку', sent: /на него отправлена ссылка/, register: 'Регистрация', submit: 'Зарегистрироваться', done: /Почти готово/ };
          await withPage(browser(), portal().url, async (page) => {
            await page.setViewportSize(PHONE);
            await page.goto('/auth/login/');
            await clickAndLoad(page, page.getByRole('link', { name: words.forgot }));
            assert.equal(new URL(page.url()).pathname, '/auth/forgot/');
            assert.ok((await horizontalOverflow(page)) <= 0, 'the forgot form fits the screen');
            await page.locator('input[name="email"]').fill('someone@example.com');
            await clickAndLoad(page, page.getByRole('button', { name: words.send }));
            assert.match(await page.getByRole('status').innerText(), words.sent);
            await page.goto('/auth/login/');
            await clickAndLoad(page, page.getByRole('link', { name: words.register, exact: true }));
            assert.ok((await horizontalOverflow(page)) <= 0, 'the registration form fits the screen');
            await screenshot(page, `register-phone-${lang}-${kind}`);
            await page.locator('input[name="name"]').fill('Nina');
            await page.locator('input[name="lastName"]').fill('Novak');
            await page.locator('input[name="email"]').fill(`nina.${lang}@example.com`);
            await page.locator('input[name="login"]').fill(`nina.${lang}`);
            await page.locator('input[name="password"]').fill('phone password 42');
            await page.locator('input[name="password2"]').fill('phone password 42');
            await clickAndLoad(page, page.getByRole('button', { name: words.submit }));
            assert.match(await page.getByRole('status').innerText(), words.done);
            assert.ok((await horizontalOverflow(page)) <= 0);
          });
          assert.equal((await t.kernel.users.findByLogin(`nina.${lang}`))?.active, false);
        }
      } finally {
        await t.kernel.sites.update(site.id, { language: 'en' });
        await t.kernel.options.set('main', 'allow_registration', false);
      }
    });
  });
});
