import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { projectRoot } from '../../core/config/paths.js';
import { CHROMIUM, ensureDebianPackages } from './debian.js';

/** Debian's Chromium, headless, with nothing that talks to the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = path.join(projectRoot, 'test/artifacts');

/**
 * Launches /usr/bin/chromium (installing Debian's package first when missing) through
 * playwright-core. Never downloads a browser. One per test file: launch in before(),
 * close in after().
 */
export async function launchBrowser(): Promise<Browser> {
  await ensureDebianPackages([CHROMIUM]);
  return chromium.launch({ executablePath: CHROMIUM.file, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface WatchOptions {
  /** Console errors matching one of these are expected (e.g. the 403 of a denied page). */
  allowConsole?: RegExp[];
}

/** A page in a fresh context that records console errors and uncaught page errors. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far (allowed ones excluded). */
  problems: string[];
}

export async function openPage(browser: Browser, baseUrl: string, opts: WatchOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const allowed = (text: string) => (opts.allowConsole ?? []).some((re) => re.test(text));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url ? ` (${msg.location().url})` : '';
    const text = `console error on ${page.url()}: ${msg.text()}${where}`;
    if (!allowed(text)) problems.push(text);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  return { page, context, problems };
}

/**
 * Runs `body` with a fresh context and page, then fails the test if the page logged a
 * console error or threw an uncaught error; the context is always closed.
 */
export async function withPage(browser: Browser, baseUrl: string, body: (page: Page) => Promise<void>, opts: WatchOptions = {}): Promise<void> {
  const watched = await openPage(browser, baseUrl, opts);
  try {
    await body(watched.page);
    assertNoProblems(watched);
  } finally {
    await watched.context.close();
  }
}

export function assertNoProblems(watched: WatchedPage): void {
  assert.deepEqual(watched.problems, [], `the browser reported errors:\n${watched.problems.join('\n')}`);
}

/** Saves a full-page screenshot to test/artifacts/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in by typing into the real sign-in form; waits for the page after the redirect. */
export async function signInThroughForm(page: Page, login: string, password: string, back = '/'): Promise<void> {
  await page.goto(`/auth/login/?back=${encodeURIComponent(back)}`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/auth/login/')), page.locator('form[action="/auth/login/"] [type="submit"]').click()]);
}

/** Clicks a submit button or link and waits until the page it leads to has loaded. */
export async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), target.click()]);
}

/** How many CSS pixels the page is wider than the viewport (0 or less: nothing overflows sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
  });
}

/** True when the page's stylesheets loaded and apply (the body is not in the browser's default serif font). */
export async function isStyled(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    // Runs in the browser; typed loosely because the project has no DOM lib.
    const doc = (globalThis as unknown as { document: { styleSheets: { length: number }; body: unknown } }).document;
    const view = globalThis as unknown as { getComputedStyle(el: unknown): { fontFamily: string } };
    return doc.styleSheets.length > 0 && !/^"?Times New Roman"?$|^serif$/i.test(view.getComputedStyle(doc.body).fontFamily);
  });
}
