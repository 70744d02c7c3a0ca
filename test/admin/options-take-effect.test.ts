import assert from 'node:assert/strict';
import { discoverModules } from '../../core/modules/discover.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { allTestSources } from '../harness/test-sources.js';
import { HttpClient } from '../harness/http-client.js';
import { page, startAdminEnv, submit, type AdminEnv } from './harness.js';

/**
 * Every option a module declares is shown in /admin/settings/<module>/ and must take effect.
 * Each one names the test that changes it and sees the effect; a new option without one fails below.
 */
const EFFECT_TESTS: ReadonlyMap<string, string> = new Map([
  ['main.site_title', 'the portal title names every page, the header and the footer instead of the site name'],
  ['main.directory_page_size', 'employees per page pages the directory'],
  ['main.allow_registration', 'is a 404 while "Let visitors register" is off, and the sign-in page links to it only while it is on'],
  ['main.colleagues_see_email', 'the administrator chooses in /admin/settings/main/ and it takes effect everywhere'],
  ['main.colleagues_see_phone', 'the administrator chooses in /admin/settings/main/ and it takes effect everywhere'],
  ['main.colleagues_see_birthday', 'the birthday widget shows the day, never the year, and nothing once birthdays are hidden'],
  ['main.security_log_days', 'is scheduled daily and keeps what "keep the security log (days)" says'],
  ['main.backup_schedule', 'the schedule and retention set in the admin area run the agent and keep the last N archives'],
  ['main.backup_keep', 'the schedule and retention set in the admin area run the agent and keep the last N archives'],
  ['forum.flood_posts', 'flood control (an option) refuses the post over the limit with a coded 429; moderators are exempt; once the window has passed the author may post again'],
  ['forum.flood_window', 'flood control (an option) refuses the post over the limit with a coded 429; moderators are exempt; once the window has passed the author may post again'],
  ['forum.daily_digest', 'with the daily digest on, the burst agent sends nothing and the digest agent sends one mail per subscriber per day'],
  ['forum.bad_words', 'the bad-words option masks whole words in any case and script; the source stays as written'],
  ['workflow.lease_seconds', 'after kill -9 in the middle of a step, another process takes the lease over and finishes from the saved state'],
  ['workflow.lock_minutes', '"minutes an edit lock lasts" sets how long a lock holds'],
  ['workflow.notify_assignees', '"mail people their new tasks" off: no task mail is queued; on: one per task'],
  ['workflow.reject_needs_comment', '"a rejection needs a comment" refuses a rejection without one and changes nothing'],
]);

/** The values a settings form shows now: text and number fields, and the ticked boxes. */
function currentValues(html: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="(text|number)"[^>]* name="(value_\w+)" value="([^"]*)"/g)) values[m[2]!] = m[3]!;
  for (const m of html.matchAll(/<input type="checkbox"[^>]* name="(value_\w+)" value="1" checked>/g)) values[m[1]!] = '1';
  return values;
}

describeEachDb('main options take effect', (kind) => {
  let env: AdminEnv;

  /** Saves main's settings for all sites as the form shows them, with `changes`. */
  async function saveMainSettings(changes: Record<string, string>): Promise<void> {
    const form = await page(env.admin, '/admin/settings/main/');
    const res = await submit(env.admin, '/admin/settings/main/', { ...currentValues(form.html), site: '', ...changes });
    assert.equal(res.status, 302, res.html.slice(0, 400));
  }

  before(async () => {
    env = await startAdminEnv(kind);
    for (const [login, name] of [['anna', 'Anna'], ['boris', 'Boris'], ['clara', 'Clara']]) {
      await env.t.kernel.users.create({ login: login!, email: `${login}@example.com`, password: 'correct horse 42', name: name!, lastName: 'Test' });
    }
  });
  after(async () => env?.close());

  it('the portal title names every page, the header and the footer instead of the site name', async () => {
    const before = (await page(env.user, '/company/')).html;
    assert.doesNotMatch(before, /Acme Works/);
    await saveMainSettings({ value_site_title: 'Acme Works' });
    try {
      const html = (await page(env.user, '/company/')).html;
      assert.match(html, /<title>[^<]* · Acme Works<\/title>/);
      assert.match(html, /<span class="brand-name">Acme Works<\/span>/);
      assert.match(html, /© \d{4} Acme Works/);
      const signIn = await (await new HttpClient(env.server.url).get('/auth/login/')).text();
      assert.match(signIn, /<title>[^<]* · Acme Works<\/title>/, 'the sign-in page too');
    } finally {
      await saveMainSettings({ value_site_title: '' });
    }
    assert.doesNotMatch((await page(env.user, '/company/')).html, /Acme Works/, 'empty: the site name again');
  });

  it('employees per page pages the directory', async () => {
    const people = (html: string) => [...html.matchAll(/<a class="person-name" href="\/company\/\d+\/">/g)].length;
    const all = people((await page(env.user, '/company/')).html);
    assert.ok(all >= 6, `all ${all} employees on one page of 20`);
    await saveMainSettings({ value_directory_page_size: '3' });
    try {
      const first = (await page(env.user, '/company/')).html;
      assert.equal(people(first), 3);
      assert.match(first, /rel="next"/);
      const last = (await page(env.user, `/company/?page=${Math.ceil(all / 3)}`)).html;
      assert.equal(people(last), all - 3 * (Math.ceil(all / 3) - 1));
    } finally {
      await saveMainSettings({ value_directory_page_size: '20' });
    }
    const bad = await submit(env.admin, '/admin/settings/main/', { ...currentValues((await page(env.admin, '/admin/settings/main/')).html), site: '', value_directory_page_size: '0' });
    assert.equal(bad.status, 400, 'below the minimum is refused');
  });
});

describe('declared options', () => {
  it('every option a module declares names a test that changes it and sees the effect, and that test exists', async () => {
    const declared = (await discoverModules()).flatMap((m) => Object.keys(m.options ?? {}).map((name) => `${m.id}.${name}`));
    assert.ok(declared.includes('main.site_title'));
    assert.deepEqual(declared.filter((key) => !EFFECT_TESTS.has(key)), [], 'options without an effect test (add one to EFFECT_TESTS)');
    const sources = allTestSources();
    const missing = [...EFFECT_TESTS].filter(([, title]) => !sources.includes(`it('${title}'`) && !sources.includes(`it("${title}"`));
    assert.deepEqual(missing, [], 'effect tests that do not exist');
  });
});
