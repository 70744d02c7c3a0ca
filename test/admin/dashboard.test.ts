import assert from 'node:assert/strict';
import { describeEachDb, testCache } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { assertDenied, page, startAdminEnv, type AdminEnv } from './harness.js';

describeEachDb('admin dashboard', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  it('shows versions, installed modules, health, agents, mail queue and security events to an admin', async () => {
    await env.t.kernel.mail.send('USER_INFO', { EMAIL_TO: 'a@example.com', LOGIN: 'a', NAME: 'A', SITE_NAME: 'S', URL: 'http://x/' }, { siteId: 's1', language: 'en' });
    const { status, html } = await page(env.admin, '/admin/');
    assert.equal(status, 200);
    assert.ok(html.includes(process.version), 'node version');
    assert.match(html, kind === 'sqlite' ? /SQLite \d+\.\d+/ : /MariaDB \d+\.\d+/, 'DB server version');
    assert.match(html, new RegExp(`Cache driver</th><td><code>${testCache()}</code>`));
    assert.match(html, /<code>main<\/code>/, 'installed modules');
    assert.match(html, /All systems reachable/);
    assert.match(html, /<code>main\.sessions\.purge<\/code>/, 'pending agents');
    assert.match(html, /Mail queue[\s\S]*?class="stat">1</, 'one message waits in the queue');
    assert.match(html, /login\.success/, 'recent security events');
  });

  it('has a side menu linking every admin screen, including pages and menus', async () => {
    const { html } = await page(env.admin, '/admin/');
    for (const href of ['/admin/modules/', '/admin/users/', '/admin/groups/', '/admin/rights/', '/admin/sites/', '/admin/templates/', '/admin/settings/',
      '/admin/cache/', '/admin/agents/', '/admin/mail/', '/admin/mail/queue/', '/admin/security/', '/admin/pages/', '/admin/menus/']) {
      assert.ok(html.includes(`href="${href}"`), `menu links ${href}`);
    }
    assert.match(html, /<a href="\/admin\/" aria-current="page">Dashboard<\/a>/);
  });

  it('opens for a user with main.admin.view only', async () => {
    assert.equal((await page(env.viewer, '/admin/')).status, 200);
  });

  it('refuses a user without main.admin.view with 403 and logs it', async () => {
    await assertDenied(env, env.user, 'GET', '/admin/');
  });

  it('sends anonymous visitors to the sign-in page', async () => {
    const res = await new HttpClient(env.server.url).get('/admin/');
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location') ?? '', /^\/auth\/login\//);
  });

  it('answers unknown admin paths with 404', async () => {
    assert.equal((await page(env.admin, '/admin/no-such-screen/')).status, 404);
  });

  it('renders in Russian for a Russian-speaking admin', async () => {
    const boss = (await env.t.kernel.users.findByLogin('boss'))!;
    await env.t.kernel.users.update(boss.id, { language: 'ru' });
    try {
      const { html } = await page(env.admin, '/admin/');
      assert.match(html, /Рабочий стол/);
      assert.match(html, /Журнал безопасности/);
    } finally {
      await env.t.kernel.users.update(boss.id, { language: null });
    }
  });
});
