import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { pagesOf } from '../../core/pages/services.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertNoProblems, openPage, screenshot, signInThroughForm, type WatchedPage } from '../harness/browser.js';
import { DEMO_ADMIN, startDemoPortal, type DemoPortal } from './demo-portal.js';
import { useBrowser } from './portal.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const LONG_NAME = { ru: 'Корпоративный портал ООО «Ромашка и партнёры»', en: 'Acme International Holdings corporate portal' };
const MORE = { ru: 'Ещё', en: 'More' };

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

type Box = { x: number; y: number; width: number; height: number };

/** How far the page is wider than the window (0 or less: nothing overflows sideways). */
function pageOverflow(page: Page): Promise<number> {
  return page.evaluate('document.scrollingElement.scrollWidth - window.innerWidth') as Promise<number>;
}

async function assertNoOverflow(page: Page, what: string): Promise<void> {
  const overflow = await pageOverflow(page);
  assert.ok(overflow <= 0, `${what} overflows a ${page.viewportSize()?.width} px window by ${overflow} px`);
}

/** Texts shown cut off with an ellipsis (wider than their box). */
function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.body.querySelectorAll('*')]
    .filter((el) => getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.checkVisibility())
    .map((el) => el.textContent.trim().slice(0, 60))`) as Promise<string[]>;
}

/** Waits until topnav.js has laid the menu out again after load and once fonts are ready (it does so in an animation frame). */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as { document: { fonts?: { ready: Promise<unknown> } }; requestAnimationFrame(cb: () => void): void };
    return Promise.resolve(g.document.fonts?.ready).then(() => new Promise<void>((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(r))));
  });
}

/** offsetTop of every menu entry shown in the top menu's line ("More" included when shown). */
function lineTops(page: Page): Promise<number[]> {
  return page.locator('.topnav-list > li:not([hidden])').evaluateAll((els) => els.map((el) => (el as unknown as { offsetTop: number }).offsetTop));
}

/** Labels of the top menu's links, in line first, then inside "More". */
async function menuLabels(page: Page): Promise<{ inline: string[]; more: string[] }> {
  return {
    inline: await page.locator('.topnav-list > li:not(.topnav-more) > a').allInnerTexts(),
    more: await page.locator('.topnav-more:not([hidden]) .submenu > ul > li > a').evaluateAll((els) => els.map((a) => (a as unknown as { textContent: string }).textContent.trim())),
  };
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
}

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  assert.ok(b, 'the element is rendered');
  return b;
}

/** A page signed in as the demo administrator at desktop size; `javaScript: false` for a browser without script. */
async function signedIn(browser: Browser, url: string, opts: { javaScript?: boolean } = {}): Promise<WatchedPage> {
  let watched: WatchedPage;
  if (opts.javaScript === false) {
    const context = await browser.newContext({ baseURL: url, viewport: DESKTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watched = { page, context, problems: [] };
  } else {
    watched = await openPage(browser, url);
  }
  await signInThroughForm(watched.page, DEMO_ADMIN.login, DEMO_ADMIN.password);
  return watched;
}

for (const lang of ['ru', 'en'] as const) {
  describe(`browser: layout at 1280 and 390 px (${lang})`, () => {
    const browser = useBrowser();

    describeEachDb(`layout ${lang}`, (kind) => {
      let portal: DemoPortal;
      let newsId: number;
      let watched: WatchedPage | undefined;
      const shot = (page: Page, name: string) => screenshot(page, `layout-${lang}-${kind}-${name}`);
      before(async function () {
        this.timeout(120_000);
        portal = await startDemoPortal(kind, lang, LONG_NAME[lang]);
        newsId = (await portal.kernel.api('infoblocks').iblocks.list(SYSTEM)).find((i) => i.code === 'news')!.id;
        // A sixth item in the administrator's top menu (Home, News, Company, Profile, Administration + this).
        await pagesOf(portal.kernel).menus.create({ siteId: '*', menu: 'top', label: { en: 'Company structure', ru: 'Структура компании' }, href: '/company/departments/', sort: 90, operation: null });
      });
      after(async () => portal?.close());
      afterEach(async () => {
        await watched?.context.close();
        watched = undefined;
      });

      it('the top menu keeps six items and a long site name on one line, the rest under a More menu that works with the keyboard', async function () {
        this.timeout(90_000);
        watched = await signedIn(browser(), portal.url);
        const { page } = watched;
        await page.goto('/admin/');
        await settled(page);
        const tops = await lineTops(page);
        assert.ok(tops.length >= 2, 'the menu shows items');
        assert.deepEqual(new Set(tops).size, 1, `every item of the top menu on one line (offsetTop ${tops.join(', ')})`);
        const { inline, more } = await menuLabels(page);
        assert.equal(inline.length + more.length, 6, `all six items are there (${[...inline, ...more].join(', ')})`);
        assert.ok(more.length > 0, 'the items that do not fit are under More');
        const summary = page.locator('.topnav-more > details > summary');
        assert.equal((await summary.innerText()).trim().replace(/\s*▾$/, ''), MORE[lang]);
        await assertNoOverflow(page, '/admin/');
        await shot(page, 'top-menu-1280');

        // The keyboard: Enter opens More, Tab walks into it, Escape closes it and gives the focus back.
        await summary.focus();
        await page.keyboard.press('Enter');
        assert.equal(await page.locator('.topnav-more > details').evaluate((d) => (d as unknown as { open: boolean }).open), true, 'Enter opens More');
        const firstHidden = page.locator('.topnav-more .submenu > ul > li > a').first();
        assert.ok(await firstHidden.isVisible(), 'its items show');
        await page.keyboard.press('Tab');
        // The focus lands on its first link; on a loaded machine the browser may take a moment to move it.
        const intoMenu = await page
          .waitForFunction("document.activeElement !== null && document.activeElement === document.querySelector('.topnav-more .submenu > ul > li > a')", null, { timeout: 2_000 })
          .then(() => true, () => false);
        const focused = await page.evaluate("(() => { const a = document.activeElement; return a ? a.tagName + ' ' + (a.textContent || '').trim().slice(0, 40) : 'nothing'; })()");
        assert.equal(intoMenu, true, `Tab moves into the drop-down (the focus is on ${String(focused)})`);
        assert.ok(await firstHidden.isVisible());
        await page.keyboard.press('Escape');
        assert.equal(await page.locator('.topnav-more > details').evaluate((d) => (d as unknown as { open: boolean }).open), false, 'Escape closes More');
        const backOnMore = await page
          .waitForFunction("document.activeElement === document.querySelector('.topnav-more > details > summary')", null, { timeout: 2_000 })
          .then(() => true, () => false);
        assert.equal(backOnMore, true, 'and the focus is back on it');
        // The screenshot comes after the keyboard steps: a full-page shot resizes the page under the menu.
        await page.keyboard.press('Enter');
        await shot(page, 'top-menu-more-open');

        // A phone: the menu is a column behind "Menu", everything in it, nothing sideways.
        await page.setViewportSize(PHONE);
        await page.goto('/admin/');
        await assertNoOverflow(page, '/admin/ on a phone');
        await page.locator('label.nav-toggle').click();
        const phone = await menuLabels(page);
        assert.equal(phone.inline.length, 6, 'on a phone every item is in the column');
        assert.ok(await page.locator('.topnav-list > li > a').last().isVisible());
        await shot(page, 'top-menu-390');
        assertNoProblems(watched);
      });

      it('without script the top menu is still one line and More still opens', async function () {
        this.timeout(60_000);
        watched = await signedIn(browser(), portal.url, { javaScript: false });
        const { page } = watched;
        await page.goto('/admin/');
        const tops = await lineTops(page);
        assert.deepEqual(new Set(tops).size, 1, `one line without script (offsetTop ${tops.join(', ')})`);
        const { inline, more } = await menuLabels(page);
        assert.equal(inline.length + more.length, 6);
        assert.ok(more.length > 0);
        await page.locator('.topnav-more > details > summary').click();
        assert.ok(await page.locator('.topnav-more .submenu > ul > li > a').first().isVisible(), 'More opens without script');
        await assertNoOverflow(page, '/admin/ without script');
        await shot(page, 'top-menu-1280-no-script');
      });

      it('the admin element list fits or scrolls inside its frame with the row actions in view', async function () {
        this.timeout(60_000);
        watched = await signedIn(browser(), portal.url);
        const { page } = watched;
        for (const size of [DESKTOP, PHONE]) {
          await page.setViewportSize(size);
          await page.goto(`/admin/infoblocks/${newsId}/elements/`);
          await assertNoOverflow(page, 'the element list');
          const frame = page.locator('.table-wrap').first();
          const cells = page.locator('.iba-elements td.row-actions');
          assert.ok((await cells.count()) > 0, 'rows with actions');
          for (const cell of await cells.all()) {
            const link = cell.locator('a').first();
            // Bring the row into the window by scrolling the page only (not the table).
            await link.evaluate((a) => { const r = (a as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect(); (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, r.top - 300); });
            assert.ok(inside(await box(cell), await box(frame)), `the actions cell is inside the table's frame at ${size.width} px`);
            const b = await box(link);
            const hit = await page.evaluate(([x, y]) => {
              const el = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null } }).document.elementFromPoint(x!, y!);
              return !!el && !!el.closest('td.row-actions');
            }, [b.x + b.width / 2, b.y + b.height / 2]);
            assert.ok(hit, `the edit link is not covered at ${size.width} px`);
          }
          await shot(page, `elements-${size.width}`);
        }
        assertNoProblems(watched);
      });

      it('the infoblocks filter is folded on a phone, open on a desktop, and open on a phone once a filter is set', async function () {
        this.timeout(60_000);
        watched = await signedIn(browser(), portal.url);
        const { page } = watched;
        const field = page.locator('.ib-filter .ib-filter-fields input, .ib-filter .ib-filter-fields select').first();
        await page.goto('/news/');
        assert.ok(await field.isVisible(), 'on a desktop the filter form is open');
        await shot(page, 'news-filter-1280');
        await page.setViewportSize(PHONE);
        await page.goto('/news/');
        assert.equal(await field.isVisible(), false, 'on a phone the filter form is folded');
        assert.ok(await page.locator('.ib-filter > summary').isVisible(), 'its heading shows');
        await assertNoOverflow(page, '/news/ on a phone');
        await shot(page, 'news-filter-390');
        await page.locator('.ib-filter > summary').click();
        assert.ok(await field.isVisible(), 'a tap opens it');
        const text = page.locator('.ib-filter input[type="text"]').first();
        await text.fill('a');
        await Promise.all([page.waitForEvent('load'), page.locator('.ib-filter [type="submit"]').click()]);
        assert.ok(await field.isVisible(), 'with a filter set it stays open on a phone');
        await shot(page, 'news-filter-390-active');

        // The admin element filter folds the same way.
        await page.goto(`/admin/infoblocks/${newsId}/elements/`);
        const adminField = page.locator('.iba-filter input, .iba-filter select').first();
        assert.equal(await adminField.isVisible(), false, 'the admin filter is folded on a phone');
        await page.setViewportSize(DESKTOP);
        assert.ok(await adminField.isVisible(), 'and open on a desktop');
        assertNoProblems(watched);
      });

      it('the intranet theme keeps its logo square and the site name inside its column; no page overflows at either width', async function () {
        this.timeout(120_000);
        watched = await signedIn(browser(), portal.url);
        const { page } = watched;
        const paths = ['/', '/news/', '/company/', '/profile/', '/admin/', `/admin/infoblocks/${newsId}/elements/`, '/admin/users/', '/admin/settings/main/'];
        try {
          for (const template of ['.default', 'intranet']) {
            await portal.kernel.sites.update('s1', { template });
            for (const size of [DESKTOP, PHONE]) {
              await page.setViewportSize(size);
              for (const path of paths) {
                await page.goto(path);
                await shot(page, `${template.replace('.', '')}-${size.width}-${path.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'home'}`);
                await assertNoOverflow(page, `${path} (${template})`);
                assert.deepEqual(await cutOff(page), [], `no text is cut off on ${path} (${template}, ${size.width} px)`);
              }
              await page.goto('/');
              for (const mark of await page.locator('.brand-mark').all()) {
                if (!(await mark.isVisible())) continue;
                const b = await box(mark);
                assert.ok(Math.abs(b.width - b.height) <= 0.5, `the logo mark is square (${b.width}×${b.height}) in ${template} at ${size.width} px`);
              }
              for (const img of await page.locator('.brand img').all()) {
                const [w, h, nw, nh] = await img.evaluate((el) => { const i = el as unknown as { width: number; height: number; naturalWidth: number; naturalHeight: number }; return [i.width, i.height, i.naturalWidth, i.naturalHeight]; });
                assert.ok(Math.abs(w / h - nw! / nh!) < 0.02, `the logo keeps its aspect ratio in ${template}`);
              }
              const name = page.locator('.brand-name').filter({ visible: true }).first();
              if (await name.count()) {
                const column = template === 'intranet' && size === DESKTOP ? page.locator('.shell-sidebar') : page.locator('.site-header');
                assert.ok(inside(await box(name), await box(column)), `the site name is not cut off in ${template} at ${size.width} px`);
              }
            }
          }
        } finally {
          await portal.kernel.sites.update('s1', { template: '.default' });
        }
        assertNoProblems(watched);
      });
    });
  });
}
