import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertNoProblems, clickAndLoad, openPage, screenshot, signInThroughForm, withPage, type WatchedPage } from '../harness/browser.js';
import { ADMIN, EMPLOYEE, useBrowser, usePortal } from './portal.js';

/** The builder card of the placement of `component`. */
function placementCard(page: Page, component: string): Locator {
  return page.locator('.card.placement', { has: page.locator('h3 code', { hasText: component }) });
}

async function addComponent(page: Page, component: string): Promise<void> {
  const form = page.locator('#add-component form');
  await form.locator('select[name="component"]').selectOption(component);
  await form.locator('select[name="area"]').selectOption('main');
  await clickAndLoad(page, form.getByRole('button', { name: 'Add' }));
  assert.equal(await placementCard(page, component).count(), 1, `${component} is on the page`);
}

describe('browser: the page builder', () => {
  const browser = useBrowser();

  describeEachDb('an admin builds a page and a user sees it', (kind) => {
    const portal = usePortal(kind);
    let admin: WatchedPage | undefined;
    after(async () => {
      await admin?.context.close();
    });

    it('builds /team/ with two components through the real forms, previews, publishes it and links it from the top menu', async function () {
      this.timeout(60_000);
      admin = await openPage(browser(), portal().url, {
        // The invalid parameter below is answered with a 400 on purpose.
        allowConsole: [/status of 400 \(Bad Request\) \(http:\/\/[^/]+\/admin\/pages\/\d+\/placements\/[^/]+\/\)$/],
      });
      const page = admin.page;
      await signInThroughForm(page, ADMIN.login, ADMIN.password, '/admin/pages/');

      const add = page.locator('#add-page form');
      await add.locator('input[name="path"]').fill('/team/');
      await add.locator('input[name="title"]').fill('Team corner');
      await add.locator('select[name="access"]').selectOption('main.portal.view');
      await clickAndLoad(page, add.getByRole('button', { name: 'Create page' }));
      assert.match(new URL(page.url()).pathname, /^\/admin\/pages\/\d+\/$/, 'the builder of the new page opens');

      await addComponent(page, 'main.company.stats');
      await addComponent(page, 'main.users.new');

      // Parameters come from the component's schema; a bad value is refused with a readable error.
      const card = placementCard(page, 'main.users.new');
      await card.locator('input[name="p_limit"]').fill('999');
      await clickAndLoad(page, card.getByRole('button', { name: 'Save parameters' }));
      const alert = placementCard(page, 'main.users.new').getByRole('alert');
      assert.ok(await alert.isVisible(), 'the error shows in the placement');
      assert.equal(await alert.innerText(), 'How many: must be at most 24', 'the parameter by its title, the limit in words');
      const field = placementCard(page, 'main.users.new').locator('input[name="p_limit"]');
      assert.equal(await field.getAttribute('aria-invalid'), 'true', 'the field is marked');
      assert.equal(await placementCard(page, 'main.users.new').locator('input[name="p_limit"]').inputValue(), '999', 'the submitted value is kept');

      const fixed = placementCard(page, 'main.users.new');
      await fixed.locator('input[name="p_limit"]').fill('1');
      await fixed.locator('input[name="p_title"]').fill('Our newest people');
      await clickAndLoad(page, fixed.getByRole('button', { name: 'Save parameters' }));
      assert.equal(await placementCard(page, 'main.users.new').getByRole('alert').count(), 0);
      assert.equal(await placementCard(page, 'main.users.new').locator('input[name="p_title"]').inputValue(), 'Our newest people');
      await screenshot(page, 'admin-page-builder');

      // The preview shows the draft with a banner; visitors do not see it yet.
      await clickAndLoad(page, page.getByRole('link', { name: 'Preview', exact: true }));
      assert.match(await page.getByRole('status').first().innerText(), /Preview of \/team\//);
      assert.ok(await page.getByRole('heading', { name: 'Our newest people' }).isVisible());
      assert.equal(await page.locator('[data-component="main.company.stats"]').count(), 1);
      await screenshot(page, 'admin-page-preview');
      assert.equal((await fetch(`${portal().url}/team/`, { redirect: 'manual' })).status, 404, 'unpublished: visitors do not get it yet');

      await page.goBack();
      await clickAndLoad(page, page.getByRole('button', { name: 'Publish', exact: true }));
      assert.match(await page.locator('.page-header .badge').first().innerText(), /^Published$/);

      // A top-menu item leads to it (the menus all sites share unless a site has its own).
      await page.goto('/admin/menus/?site=*&menu=top');
      const item = page.locator('form#add-item');
      await item.locator('input[name="labelEn"]').fill('Team');
      await item.locator('input[name="labelRu"]').fill('Команда');
      await item.locator('input[name="href"]').fill('/team/');
      await item.locator('select[name="operation"]').selectOption('main.portal.view');
      await clickAndLoad(page, item.getByRole('button', { name: 'Add' }));
      assert.equal(await page.locator('form.edit-card input[name="href"][value="/team/"]').count(), 1, 'the item is listed');
      assertNoProblems(admin);
    });

    it('a signed-in employee follows the menu to /team/ and sees both components with the chosen parameters', async () => {
      await withPage(browser(), portal().url, async (page) => {
        await signInThroughForm(page, EMPLOYEE.login, EMPLOYEE.password);
        await clickAndLoad(page, page.getByRole('link', { name: 'Team', exact: true }).first());
        assert.equal(new URL(page.url()).pathname, '/team/', 'the top menu item leads to the page');
        assert.match(await page.title(), /Team corner/);
        assert.ok(await page.locator('[data-component="main.company.stats"]').isVisible());
        const users = page.locator('[data-component="main.users.new"]');
        assert.ok(await users.getByRole('heading', { name: 'Our newest people' }).isVisible());
        assert.equal(await users.locator('li').count(), 1, 'limit=1 from the builder applies');
        const order = await page.locator('[data-component]').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('data-component')));
        assert.deepEqual(order, ['main.company.stats', 'main.users.new'], 'in the order the admin placed them');
        await screenshot(page, 'page-built-by-admin');
      });
    });
  });
});
