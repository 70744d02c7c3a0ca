import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { installDemoNews } from '../../installer/demo-news.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertNoProblems, clickAndLoad, horizontalOverflow, isStyled, openPage, screenshot, signInThroughForm, type WatchedPage } from '../harness/browser.js';
import { EMPLOYEE, useBrowser, usePortal } from './portal.js';

const titles = (page: Page) => page.locator('.ib-item-title').allInnerTexts();

describe('browser: the demo news (infoblocks components)', () => {
  const browser = useBrowser();

  describeEachDb('news', (kind) => {
    const portal = usePortal(kind);
    let watched: WatchedPage | undefined;
    before(async function () {
      this.timeout(60_000);
      await portal().t.kernel.modules.install('infoblocks');
      const report = await installDemoNews(portal().t.kernel);
      assert.equal(report.elements, 6);
    });
    afterEach(async () => {
      await watched?.context.close();
      watched = undefined;
    });

    it('goes from the home page to the news list, a news item, the filter, a section and page 2, without JavaScript errors', async function () {
      this.timeout(90_000);
      watched = await openPage(browser(), portal().url);
      const { page } = watched;
      await signInThroughForm(page, EMPLOYEE.login, EMPLOYEE.password);

      await page.goto('/');
      assert.deepEqual((await titles(page)).length, 4, 'the latest news on the home page');
      await screenshot(page, 'news-home');
      await clickAndLoad(page, page.locator('.ib-list .card-link'));
      assert.equal(new URL(page.url()).pathname, '/news/');
      assert.ok(await isStyled(page));
      assert.deepEqual(await titles(page), [
        'Our new office opens next month',
        'Quarterly results: revenue up 12%',
        'Summer team day: sign up by Friday',
        'New expense policy from the first of the month',
        'Market review: how companies move to the cloud',
      ]);
      assert.equal(await page.locator('.ib-thumb img').count(), 4, 'pictures where the news has one');
      assert.ok(await page.locator('.ib-thumb img').first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the picture loads');
      await screenshot(page, 'news-list');

      await clickAndLoad(page, page.getByRole('link', { name: 'Quarterly results: revenue up 12%' }));
      assert.equal(new URL(page.url()).pathname, '/news/quarterly-results/');
      assert.equal(await page.locator('h1').innerText(), 'Quarterly results: revenue up 12%');
      assert.match(await page.title(), /^Quarterly results: revenue up 12% · /);
      assert.deepEqual(await page.locator('.breadcrumbs li').allInnerTexts(), ['Home', 'News', 'Company', 'Quarterly results: revenue up 12%']);
      assert.equal(await page.locator('.ib-text table td').first().innerText(), 'Services', 'the HTML text keeps its table');
      await screenshot(page, 'news-detail');

      await clickAndLoad(page, page.getByRole('link', { name: /Back to the list/ }));
      await page.getByLabel('Importance').selectOption({ label: 'Important' });
      await clickAndLoad(page, page.getByRole('button', { name: 'Apply' }));
      assert.match(new URL(page.url()).search, /nf\.PROPERTY_IMPORTANCE=\d+/);
      assert.deepEqual(await titles(page), ['Our new office opens next month', 'Summer team day: sign up by Friday', 'Industry security standard updated']);
      assert.equal(await page.getByLabel('Importance').inputValue(), await page.locator('#ibf-nf-PROPERTY_IMPORTANCE option', { hasText: 'Important' }).getAttribute('value'), 'the form keeps the choice');
      await screenshot(page, 'news-filtered');
      await clickAndLoad(page, page.getByRole('link', { name: 'Reset' }));
      assert.equal(new URL(page.url()).search, '');

      await clickAndLoad(page, page.locator('.ib-menu a', { hasText: 'Company' }));
      assert.equal(new URL(page.url()).pathname, '/news/section/company/');
      await clickAndLoad(page, page.locator('.ib-submenu a', { hasText: 'Events' }));
      assert.equal(new URL(page.url()).pathname, '/news/section/company/events/');
      assert.deepEqual(await titles(page), ['Summer team day: sign up by Friday']);
      await screenshot(page, 'news-section');

      await page.goto('/news/');
      await clickAndLoad(page, page.locator('.pagination a[rel="next"]'));
      assert.equal(new URL(page.url()).search, '?page=2');
      assert.deepEqual(await titles(page), ['Industry security standard updated']);

      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of ['/news/', '/news/new-office-opens/']) {
        await page.goto(path);
        const overflow = await horizontalOverflow(page);
        await screenshot(page, `news-mobile-${path === '/news/' ? 'list' : 'detail'}`);
        assert.ok(overflow <= 0, `${path} overflows a 390 px screen by ${overflow} px`);
      }
      assertNoProblems(watched);
    });
  });
});
