import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { horizontalOverflow, openPage, screenshot, signInThroughForm, assertNoProblems, type WatchedPage } from '../harness/browser.js';
import { ADMIN, useBrowser, usePortal } from './portal.js';

describe('browser: the company structure chart', () => {
  const browser = useBrowser();

  describeEachDb('structure', (kind) => {
    const portal = usePortal(kind);
    let watched: WatchedPage | undefined;
    afterEach(async () => {
      await watched?.context.close();
      watched = undefined;
    });

    it('shows a deep tree with heads and counts, edits a department, and nothing overflows a 390 px screen', async function () {
      this.timeout(60_000);
      const k = portal().t.kernel;
      let parent: number | null = null;
      const names = ['Производственно-техническое управление', 'Отдел снабжения и логистики', 'Группа международных перевозок', 'Сектор таможенного оформления грузов'];
      for (const name of names) parent = (await k.users.departments.create({ name, parentId: parent })).id;
      const head = await k.users.create({ login: 'long.head', email: 'long.head@example.com', name: 'Константин', lastName: 'Константинопольский-Преображенский', departmentId: parent });
      await k.users.departments.update(parent!, { headUserId: head.id });

      watched = await openPage(browser(), portal().url);
      const { page } = watched;
      await signInThroughForm(page, ADMIN.login, ADMIN.password);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 844 });
        const res = await page.goto('/company/departments/');
        assert.equal(res?.status(), 200);
        await screenshot(page, `company-structure-${width}`);
        assert.ok(await page.getByText('Константин Константинопольский-Преображенский').isVisible(), 'the head is shown');
        const overflow = await horizontalOverflow(page);
        assert.ok(overflow <= 0, `the structure overflows a ${width} px screen by ${overflow} px`);
      }

      await page.locator(`.org-node[data-department="${parent}"] .org-actions a`).click();
      await page.getByLabel('Name').fill('Таможня');
      assert.ok((await horizontalOverflow(page)) <= 0, 'the edit form fits the phone screen');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/company\/departments\/\?done=saved$/);
      assert.ok(await page.getByRole('link', { name: 'Таможня' }).isVisible());
      assertNoProblems(watched);
    });
  });
});
