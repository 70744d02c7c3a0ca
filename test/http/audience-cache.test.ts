import assert from 'node:assert/strict';
import { describeEachDb, testCache } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { registerPage } from '../../core/pages/services.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { discoverModules } from '../../core/modules/discover.js';

const PASSWORD = 'correct horse 42';
const TOKEN = /name="_csrf" value="([^"]+)"/g;

/** Every CSRF token on a page (the sign-out form's and the components' forms'). */
function tokensOf(html: string): string[] {
  return [...html.matchAll(TOKEN)].map((m) => m[1]!);
}

async function signedIn(server: RunningServer, login: string): Promise<HttpClient> {
  const c = new HttpClient(server.url);
  const res = await c.signIn(login, PASSWORD);
  assert.equal(res.status, 302, `${login} signs in`);
  return c;
}

/** Gets a page twice (the first may build it) and returns the second answer. */
async function warm(c: HttpClient, path: string): Promise<{ res: Response; html: string }> {
  await (await c.get(path)).text();
  const res = await c.get(path);
  return { res, html: await res.text() };
}

describeEachDb('page cache for signed-in users (per audience)', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let removePages: (() => void)[] = [];
  let zoya: number;
  before(async () => {
    t = await bootTestKernel(kind);
    const sales = await t.kernel.users.departments.create({ name: 'Sales' });
    await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Ivan', lastName: 'Petrov', departmentId: sales.id });
    await t.kernel.users.create({ login: 'olga', email: 'olga@example.com', password: PASSWORD, name: 'Olga', lastName: 'Smirnova', departmentId: sales.id });
    zoya = (await t.kernel.users.create({ login: 'zoya', email: 'zoya@example.com', password: PASSWORD, name: 'Zoya', lastName: 'Kuznetsova', departmentId: sales.id })).id;
    removePages = [
      // main.welcome is per user (the user's own card): a dynamic area of the cached page.
      registerPage(t.kernel, {
        path: '/dashboard/',
        title: 'Dashboard',
        placements: [{ component: 'main.welcome' }, { component: 'main.users.new', params: { limit: 10 } }],
      }),
      registerPage(t.kernel, { path: '/directory-page/', title: 'Directory', access: 'main.users.view', placements: [{ component: 'main.users.new', params: { limit: 10 } }] }),
    ];
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    removePages.forEach((off) => off());
    await server.close();
    await t.close();
  });

  it('serves one copy to users with the same groups, each with their own header, card and CSRF token', async () => {
    const ivan = await signedIn(server, 'ivan');
    const first = await ivan.get('/dashboard/');
    assert.equal(first.headers.get('x-page-cache'), 'miss');
    const ivanHtml = await first.text();
    const olga = await signedIn(server, 'olga');
    const hit = await olga.get('/dashboard/');
    assert.equal(hit.headers.get('x-page-cache'), 'hit', 'the second user of the same groups gets the stored page');
    assert.equal(hit.headers.get('cache-control'), 'private, no-store');
    const olgaHtml = await hit.text();
    assert.ok(!olgaHtml.includes('\u0000'), 'no slot is left in the page');
    const header = (html: string) => /<div class="usermenu">[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    assert.match(header(olgaHtml), /Olga Smirnova/);
    assert.doesNotMatch(header(olgaHtml), /Ivan Petrov/);
    const ivanTokens = tokensOf(ivanHtml);
    const olgaTokens = tokensOf(olgaHtml);
    assert.ok(olgaTokens.length > 0);
    assert.ok(olgaTokens.every((tk) => tk === olga.cookies.get('portal_sid') || !ivanTokens.includes(tk)), 'never the other user\'s token');
    assert.ok(new Set(olgaTokens).size === 1, 'one token, the session\'s, everywhere on the page');
    // The token from a cached page works: sign out with it.
    const out = await olga.post('/auth/logout/', { _csrf: olgaTokens[0]! });
    assert.equal(out.status, 302);
    assert.equal((await olga.get('/dashboard/')).status, 302, 'signed out: the page asks to sign in');
  });

  it('rebuilds on the next request when data on the page changes (a new colleague, a renamed department)', async () => {
    const ivan = await signedIn(server, 'ivan');
    const { res } = await warm(ivan, '/dashboard/');
    assert.equal(res.headers.get('x-page-cache'), 'hit');
    await t.kernel.users.create({ login: 'fedor', email: 'fedor@example.com', password: PASSWORD, name: 'Fedor', lastName: 'Newcomer' });
    const fresh = await ivan.get('/dashboard/');
    assert.equal(fresh.headers.get('x-page-cache'), 'miss');
    assert.match(await fresh.text(), /Newcomer/);
    const again = await ivan.get('/dashboard/');
    assert.equal(again.headers.get('x-page-cache'), 'hit');
    assert.match(await again.text(), /Newcomer/);

    const dept = (await t.kernel.users.departments.list()).find((d) => d.name === 'Sales')!;
    await warm(ivan, '/dashboard/');
    await t.kernel.users.departments.update(dept.id, { name: 'Global Sales' });
    const renamed = await ivan.get('/dashboard/');
    assert.match(await renamed.text(), /Global Sales/, 'the department\'s new name on the next request');
  });

  it('keeps the per-user area current: the user\'s own change shows at once', async () => {
    const ivan = await signedIn(server, 'ivan');
    await warm(ivan, '/dashboard/');
    const me = (await t.kernel.users.findByLogin('ivan'))!;
    await t.kernel.users.update(me.id, { position: 'Chief Accountant' });
    const res = await ivan.get('/dashboard/');
    const html = await res.text();
    assert.match(html, /Chief Accountant/);
  });

  it('follows rights: a revoked right answers 403 on the next request, a restored one the page', async () => {
    const ivan = await signedIn(server, 'ivan');
    const { res } = await warm(ivan, '/directory-page/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-page-cache'), 'hit');
    const registered = (await t.kernel.groups.byCode('registered')).id;
    await t.kernel.rights.setLevel('main', registered, 'V');
    try {
      const denied = await ivan.get('/directory-page/');
      assert.equal(denied.status, 403, 'the stored page is not served once the right is gone');
    } finally {
      await t.kernel.rights.setLevel('main', registered, 'R');
    }
    assert.equal((await ivan.get('/directory-page/')).status, 200);
  });

  it('stops a blocked user\'s session at once, cached page or not', async () => {
    const zoyaClient = await signedIn(server, 'zoya');
    const { res } = await warm(zoyaClient, '/dashboard/');
    assert.equal(res.headers.get('x-page-cache'), 'hit');
    await t.kernel.users.update(zoya, { active: false });
    const after = await zoyaClient.get('/dashboard/');
    assert.equal(after.status, 302, 'sent to sign in');
    assert.equal(after.headers.get('x-page-cache'), null);
    assert.match(after.headers.get('location') ?? '', /\/auth\/login\//);
  });

  it('caches the directory and a colleague\'s page per audience and follows their data', async () => {
    const ivan = await signedIn(server, 'ivan');
    const olga = (await t.kernel.users.findByLogin('olga'))!;
    const person = await warm(ivan, `/company/${olga.id}/`);
    assert.equal(person.res.headers.get('x-page-cache'), 'hit');
    assert.match(person.html, /Olga Smirnova/);
    await t.kernel.users.update(olga.id, { position: 'Head of Sales' });
    const updated = await ivan.get(`/company/${olga.id}/`);
    assert.notEqual(updated.headers.get('x-page-cache'), 'hit');
    assert.match(await updated.text(), /Head of Sales/);

    // The directory lists from the database: any user or department change rebuilds it.
    const search = `/company/?q=Smirnova`;
    assert.equal((await warm(ivan, search)).res.headers.get('x-page-cache'), 'hit');
    await t.kernel.users.create({ login: 'anna', email: 'anna@example.com', password: PASSWORD, name: 'Anna', lastName: 'Smirnova' });
    const listed = await ivan.get(search);
    assert.notEqual(listed.headers.get('x-page-cache'), 'hit');
    assert.match(await listed.text(), /Anna/);
  });

  it('never caches one\'s own person page (it shows the edit link)', async () => {
    const ivan = await signedIn(server, 'ivan');
    const me = (await t.kernel.users.findByLogin('ivan'))!;
    const own = await warm(ivan, `/company/${me.id}/`);
    assert.equal(own.res.status, 200);
    assert.equal(own.res.headers.get('x-page-cache'), null);
    assert.match(own.html, /href="\/profile\/"/);
    const olga = await signedIn(server, 'olga');
    const theirs = await warm(olga, `/company/${me.id}/`);
    assert.equal(theirs.res.headers.get('x-page-cache'), 'hit', 'a colleague\'s view of it is cached');
    assert.doesNotMatch(theirs.html, /INTRANET_EDIT_PROFILE|btn btn-secondary btn-sm" href="\/profile\/"/);
  });

  it('after an invalidation one request rebuilds, the others wait and get the fresh page', async () => {
    const clients = await Promise.all(['ivan', 'olga'].map((login) => signedIn(server, login)));
    await warm(clients[0]!, '/dashboard/');
    await t.kernel.users.create({ login: 'boris', email: 'boris@example.com', password: PASSWORD, name: 'Boris', lastName: 'Stampede' });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => clients[i % 2]!.get('/dashboard/')));
    const pages = await Promise.all(answers.map((r) => r.text()));
    assert.ok(pages.every((html) => /Stampede/.test(html)), 'nobody gets the page from before the change');
    assert.equal(answers.filter((r) => r.headers.get('x-page-cache') === 'miss').length, 1, 'built once');
  });

  it('goes through the application while a flash message waits in the session', async () => {
    const ivan = await signedIn(server, 'ivan');
    await warm(ivan, '/dashboard/');
    const sid = ivan.cookies.get('portal_sid')!;
    const session = (await t.kernel.sessions.load(sid))!;
    session.data = { ...session.data, flash: [{ kind: 'ok', text: 'Saved your settings' }] };
    await t.kernel.sessions.save(session);
    const withFlash = await ivan.get('/dashboard/');
    assert.equal(withFlash.status, 200);
    assert.notEqual(withFlash.headers.get('x-page-cache'), 'hit', 'a page that may show the message is rendered for this request');
    session.data = {};
    await t.kernel.sessions.save(session);
    assert.equal((await ivan.get('/dashboard/')).headers.get('x-page-cache'), 'hit', 'served from the cache again once it is taken');
  });
});

describeEachDb('page cache for signed-in users across two nodes', (kind) => {
  let t: TestKernel;
  let other: Kernel;
  let a: RunningServer;
  let b: RunningServer;
  let removePages: (() => void)[] = [];
  before(async function () {
    // Two nodes share the cache only through memcached (test/run.ts runs this pass with PORTAL_TEST_CACHE=memcached).
    if (testCache() !== 'memcached') this.skip();
    t = await bootTestKernel(kind);
    await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Ivan', lastName: 'Petrov' });
    other = await Kernel.boot(t.env.config, { log: silentLogger(), definitions: await discoverModules() });
    const page = { path: '/dashboard/', title: 'Dashboard', placements: [{ component: 'main.welcome' }, { component: 'main.users.new', params: { limit: 10 } }] };
    removePages = [registerPage(t.kernel, page), registerPage(other, page)];
    a = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    b = await startServer(other, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    removePages.forEach((off) => off());
    await a?.close();
    await b?.close();
    await other?.close();
    await t?.close();
  });

  it('a change made on one node is on the next page from the other, and a block there ends the session here', async () => {
    const onA = await signedIn(a, 'ivan');
    const onB = new HttpClient(b.url);
    for (const [k, v] of onA.cookies) onB.cookies.set(k, v);
    const { res } = await warm(onB, '/dashboard/');
    assert.equal(res.headers.get('x-page-cache'), 'hit');
    await t.kernel.users.create({ login: 'nina', email: 'nina@example.com', password: PASSWORD, name: 'Nina', lastName: 'Othernode' });
    const fresh = await onB.get('/dashboard/');
    assert.notEqual(fresh.headers.get('x-page-cache'), 'hit');
    assert.match(await fresh.text(), /Othernode/);
    const ivan = (await t.kernel.users.findByLogin('ivan'))!;
    await t.kernel.users.update(ivan.id, { active: false });
    assert.equal((await onB.get('/dashboard/')).status, 302, 'blocked on node A: signed out on node B');
  });
});
