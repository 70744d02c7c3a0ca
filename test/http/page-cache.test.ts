import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { registerPage } from '../../core/pages/services.js';
import { anonymousCsrfToken, CSRF_SECRET } from '../../core/http/anonymous-csrf.js';

const PASSWORD = 'correct horse 42';

describeEachDb('whole-page cache for anonymous visitors', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let removePages: (() => void)[] = [];
  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Ivan' });
    // Public pages exist only on a portal open to anonymous visitors; R shows them colleagues too (main.users.new).
    await t.kernel.rights.setLevel('main', (await t.kernel.groups.byCode('everyone')).id, 'R');
    removePages = [
      registerPage(t.kernel, { path: '/public-news/', title: 'Public news', placements: [{ component: 'main.users.new', params: { limit: 3 } }] }),
      registerPage(t.kernel, { path: '/staff-only/', title: 'Staff', access: 'main.admin.view', placements: [{ component: 'main.users.new' }] }),
    ];
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    removePages.forEach((off) => off());
    await server.close();
    await t.close();
  });

  it('serves the sign-in page from the cache with each visitor\'s own CSRF token', async () => {
    const first = new HttpClient(server.url);
    const a = await first.get('/auth/login/');
    const aHtml = await a.text();
    const second = new HttpClient(server.url);
    const b = await second.get('/auth/login/');
    assert.equal(b.headers.get('x-page-cache'), 'hit');
    const bHtml = await b.text();
    const tokenA = HttpClient.csrfFrom(aHtml);
    const tokenB = HttpClient.csrfFrom(bHtml);
    assert.notEqual(tokenA, tokenB, 'a cached page never leaks another visitor\'s token');
    const key = await t.kernel.secrets.key(CSRF_SECRET);
    assert.equal(anonymousCsrfToken(key, second.cookies.get('portal_csrf')!), tokenB, 'the token in the page is the one bound to the visitor\'s cookie');
    assert.equal(aHtml.replace(tokenA, 'T'), bHtml.replace(tokenB, 'T'), 'otherwise the same page');
    const signedIn = await second.post('/auth/login/', { _csrf: tokenB, login: 'ivan', password: PASSWORD, back: '/' });
    assert.equal(signedIn.status, 302, 'the token from a cached page signs in');
  });

  it('drops a cached page when anything it was built from changes', async () => {
    const c = new HttpClient(server.url);
    await c.get('/auth/login/');
    assert.equal((await c.get('/auth/login/')).headers.get('x-page-cache'), 'hit');
    await t.kernel.sites.update('s1', { name: 'Renamed intranet' });
    const after = await c.get('/auth/login/');
    assert.equal(after.headers.get('x-page-cache'), 'miss');
    assert.match(await after.text(), /Renamed intranet/);
  });

  it('drops cached pages when a module is installed (its routes may answer there now)', async () => {
    const c = new HttpClient(server.url);
    await c.get('/auth/login/');
    assert.equal((await c.get('/auth/login/')).headers.get('x-page-cache'), 'hit');
    await t.kernel.modules.install('infoblocks');
    assert.equal((await c.get('/auth/login/')).headers.get('x-page-cache'), 'miss');
    await t.kernel.modules.uninstall('infoblocks');
  });

  it('caches public pages with cached components and follows their data', async () => {
    const c = new HttpClient(server.url);
    await c.get('/public-news/');
    const hit = await c.get('/public-news/');
    assert.equal(hit.headers.get('x-page-cache'), 'hit');
    assert.doesNotMatch(await hit.text(), /Zinaida/);
    await t.kernel.users.create({ login: 'zina', email: 'zina@example.com', password: PASSWORD, name: 'Zinaida' });
    const fresh = await c.get('/public-news/');
    assert.equal(fresh.headers.get('x-page-cache'), 'miss', 'the component\'s tag was invalidated by the new user');
    assert.match(await fresh.text(), /Zinaida/);
  });

  it('never caches pages that need rights for visitors, nor gives signed-in users the anonymous copy', async () => {
    const anon = new HttpClient(server.url);
    await anon.get('/staff-only/');
    const again = await anon.get('/staff-only/');
    assert.equal(again.status, 302);
    assert.equal(again.headers.get('x-page-cache'), null);

    const user = new HttpClient(server.url);
    await user.signIn('ivan', PASSWORD);
    const page = await user.get('/public-news/');
    assert.equal(page.status, 200);
    assert.notEqual(page.headers.get('x-page-cache'), 'hit', 'signed-in requests never get the anonymous copy');
    const html = await page.text();
    assert.match(html, /name="_csrf" value="[^"]+"/);
    assert.match(html, /class="usermenu"/, 'the signed-in layout (their copy is cached per audience: audience-cache.test.ts)');
  });
});
