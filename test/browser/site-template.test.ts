import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { openPage, screenshot, signInThroughForm, assertNoProblems } from '../harness/browser.js';
import { ADMIN, EMPLOYEE, useBrowser, usePortal } from './portal.js';

/**
 * templates/intranet ships an override of main.users.new (.default): an avatar wall
 * (ul.intranet-newcomers) instead of the component's own list (ul.users-new).
 */
describe('browser: site template override of a component template', () => {
  const browser = useBrowser();

  describeEachDb('choosing the intranet template', (kind) => {
    const portal = usePortal(kind);

    it('an admin switches the site to templates/intranet and the home page shows its override of main.users.new', async function () {
      this.timeout(40_000);
      const site = await portal().t.kernel.sites.resolve('127.0.0.1');
      if (site.template !== '.default') await portal().t.kernel.sites.update(site.id, { template: '.default' });

      const employee = await openPage(browser(), portal().url);
      const admin = await openPage(browser(), portal().url);
      try {
        await signInThroughForm(employee.page, EMPLOYEE.login, EMPLOYEE.password);
        const home = employee.page;
        assert.equal(await home.locator('[data-component="main.users.new"] ul.users-new').count(), 1, 'the component template from components/ first');
        assert.equal(await home.locator('ul.intranet-newcomers').count(), 0);

        // The admin chooses the template for the site through the real form.
        await signInThroughForm(admin.page, ADMIN.login, ADMIN.password, '/admin/templates/');
        const select = admin.page.locator(`select[name="site_${site.id}"]`);
        assert.equal(await select.inputValue(), '.default');
        await select.selectOption('intranet');
        await Promise.all([admin.page.waitForURL((u) => u.pathname === '/admin/templates/' && u.search !== ''), admin.page.locator('form[action="/admin/templates/"] [type="submit"]').click()]);
        assert.equal(await admin.page.locator(`select[name="site_${site.id}"]`).inputValue(), 'intranet');
        assert.equal((await portal().t.kernel.sites.get(site.id)).template, 'intranet');

        await home.reload();
        const wall = home.locator('[data-component="main.users.new"] ul.intranet-newcomers');
        assert.ok(await wall.isVisible(), 'the override in templates/intranet/components/main.users.new/.default wins');
        assert.equal(await wall.locator('li').count(), 2, 'both colleagues on the wall');
        assert.equal(await home.locator('ul.users-new').count(), 0);
        assert.equal(await home.locator('link[rel="stylesheet"][href^="/assets/templates/intranet/"]').count(), 1, 'the intranet layout and stylesheet are used');
        await screenshot(home, 'home-intranet-template');
        assertNoProblems(employee);
        assertNoProblems(admin);
      } finally {
        await employee.context.close();
        await admin.context.close();
        await portal().t.kernel.sites.update(site.id, { template: site.template });
      }
    });
  });
});
