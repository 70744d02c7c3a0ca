import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { openPage, assertNoProblems, signInThroughForm, type WatchedPage } from '../harness/browser.js';
import { crawlMenus, type CrawledPage } from './crawl.js';
import { DEMO_ADMIN, DEMO_EMPLOYEE, startDemoPortal, type DemoPortal } from './demo-portal.js';
import { useBrowser } from './portal.js';
import { cyrillicWords, latinWords, messageKeys, PROPER_NAMES, rawKeys } from './visible-text.js';

/** Language names a language picker shows in their own language. */
const OWN_NAMES = new Set(['Русский', 'English']);

function problems(pages: CrawledPage[], check: (p: CrawledPage) => string[]): string[] {
  return pages.flatMap((p) => check(p).map((w) => `${p.path}: ${w}`));
}

function assertCrawled(pages: CrawledPage[], lang: string, mustSee: string[], keys: Set<string>): void {
  const paths = pages.map((p) => p.path);
  for (const path of mustSee) assert.ok(paths.includes(path), `the crawl reached ${path} (it saw ${paths.join(', ')})`);
  const broken = pages.filter((p) => p.status !== 200).map((p) => `${p.path} answered ${p.status}`);
  assert.deepEqual(broken, [], 'every page the menus lead to opens');
  const wrongLang = pages.filter((p) => p.lang !== lang).map((p) => `${p.path} is lang="${p.lang}"`);
  assert.deepEqual(wrongLang, [], `every page says it is in ${lang}`);
  assert.deepEqual(problems(pages, (p) => rawKeys(p.texts, keys)), [], 'no message key is shown instead of its text');
}

for (const lang of ['ru', 'en'] as const) {
  describe(`browser: a demo portal installed in ${lang === 'ru' ? 'Russian' : 'English'} reads in ${lang === 'ru' ? 'Russian' : 'English'} throughout`, () => {
    const browser = useBrowser();

    describeEachDb(`demo in ${lang}`, (kind) => {
      let portal: DemoPortal;
      let allowed: Set<string>;
      let keys: Set<string>;
      let watched: WatchedPage | undefined;
      before(async function () {
        this.timeout(120_000);
        portal = await startDemoPortal(kind, lang);
        allowed = new Set([...PROPER_NAMES, ...(await portal.identifiers())]);
        keys = await messageKeys();
      });
      after(async () => portal?.close());
      afterEach(async () => {
        await watched?.context.close();
        watched = undefined;
      });

      const check = (pages: CrawledPage[]) =>
        lang === 'ru'
          ? assert.deepEqual(problems(pages, (p) => latinWords(p.texts, allowed)), [], 'English words left on Russian pages')
          : assert.deepEqual(problems(pages, (p) => cyrillicWords(p.texts, OWN_NAMES)), [], 'Russian words left on English pages');

      it('every intranet and admin page an administrator reaches from the menus', async function () {
        this.timeout(180_000);
        watched = await openPage(browser(), portal.url);
        await signInThroughForm(watched.page, DEMO_ADMIN.login, DEMO_ADMIN.password);
        const pages = await crawlMenus(watched.page, ['/', '/admin/']);
        assertCrawled(pages, lang, ['/', '/news/', '/company/', '/profile/', '/admin/', '/admin/infoblocks/', '/admin/users/', '/admin/groups/', '/admin/security/', '/admin/settings/'], keys);
        assert.ok(pages.some((p) => /^\/admin\/infoblocks\/\d+\/elements\/$/.test(p.path)), 'the crawl reached an infoblock\'s elements');
        check(pages);
        assertNoProblems(watched);
      });

      it('every page an employee reaches from the menus', async function () {
        this.timeout(120_000);
        watched = await openPage(browser(), portal.url);
        await signInThroughForm(watched.page, DEMO_EMPLOYEE.login, DEMO_EMPLOYEE.password);
        const pages = await crawlMenus(watched.page, ['/']);
        assertCrawled(pages, lang, ['/', '/news/', '/company/', '/profile/'], keys);
        assert.ok(!pages.some((p) => p.path.startsWith('/admin/')), 'an employee\'s menus lead nowhere in the admin area');
        check(pages);
        assertNoProblems(watched);
      });
    });
  });
}
