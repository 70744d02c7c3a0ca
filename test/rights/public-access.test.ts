import assert from 'node:assert/strict';
import { registerPage } from '../../core/pages/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { PNG, assertCsrfRequired, page, root, startIbAdminEnv, submit, type IbAdminEnv } from '../infoblocks/admin-harness.js';

/** Where an anonymous request went: 200, or "login" for the sign-in redirect, or the status. */
async function outcome(c: HttpClient, path: string): Promise<string> {
  const res = await c.get(path);
  await res.body?.cancel();
  if (res.status === 302 && (res.headers.get('location') ?? '').startsWith('/auth/login/?back=')) return 'login';
  return String(res.status);
}

describeEachDb('opening the portal to anonymous visitors', (kind) => {
  let env: IbAdminEnv;
  let anonymous: HttpClient;
  let removePage: () => void;
  /** The picture's URL as the page shows it to a reader. */
  let picture: string;
  before(async () => {
    env = await startIbAdminEnv(kind);
    anonymous = new HttpClient(env.server.url);
    const { kernel } = env.t;
    const news = await env.api.iblocks.add(root, { typeId: env.typeId, code: 'open_news', name: 'Open news' });
    await env.api.iblocks.setRights(root, news.id, { [(await kernel.groups.byCode('everyone')).id]: 'R' });
    const file = await kernel.files.save({ module: 'infoblocks', name: 'launch.png', mimeType: 'image/png', buffer: PNG });
    await env.api.elements.add(root, news.id, { name: 'Launch day', previewPicture: file.id });
    // A page without an access operation of its own: it follows the portal's switch.
    removePage = registerPage(kernel, { path: '/open-news/', title: 'Open news', placements: [{ component: 'infoblocks.list', params: { iblock: 'open_news' } }] });
    const html = (await page(env.user, '/open-news/')).html;
    picture = /<img src="(\/upload\/[^"]+)"/.exec(html)![1]!;
  });
  after(async () => {
    removePage?.();
    await env?.close();
  });

  it('while the portal is private, anonymous visitors are sent to sign in for every page, component and file', async () => {
    const got = await Promise.all(['/', '/open-news/', picture, '/company/', '/profile/'].map((p) => outcome(anonymous, p)));
    assert.deepEqual(got, ['login', 'login', 'login', 'login', 'login']);
    assert.equal(await outcome(env.user, picture), '200', 'employees get the picture');
    const screen = await page(env.admin, '/admin/rights/main/');
    assert.match(screen.html, /id="public-access"[\s\S]*The portal is private/);
    assert.match((await page(env.admin, '/admin/')).html, /Visitors who are not signed in[\s\S]*Private/);
  });

  it('only settings editors may open it, with the CSRF token', async () => {
    assert.equal((await submit(env.viewer, '/admin/rights/main/public/', { access: 'open' })).status, 403);
    await assertCsrfRequired(env.admin, '/admin/rights/main/public/', { access: 'open' });
    const bad = await submit(env.admin, '/admin/rights/main/public/', { access: 'wide' });
    assert.equal(bad.status, 400);
    assert.equal(await outcome(anonymous, '/open-news/'), 'login', 'nothing changed');
  });

  it('once open, pages, components and files follow their own rights; people stay private', async () => {
    const res = await submit(env.admin, '/admin/rights/main/public/', { access: 'open' });
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/rights/main/?done=saved');
    assert.match((await page(env.admin, '/admin/rights/main/')).html, /id="public-access"[\s\S]*open to visitors who are not signed in/);
    assert.match((await page(env.admin, '/admin/')).html, /Visitors who are not signed in[\s\S]*Open/);

    const list = await page(anonymous, '/open-news/');
    assert.equal(list.status, 200);
    assert.match(list.html, /Launch day/);
    const image = await anonymous.get(picture);
    assert.equal(image.status, 200);
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), PNG);

    const home = await page(anonymous, '/');
    assert.equal(home.status, 200, 'the home page opens');
    assert.doesNotMatch(home.html, /data-component="main\.users\.new"|Ivan|Vera/, 'no colleagues on it');
    assert.equal(await outcome(anonymous, '/company/'), 'login', 'the employee directory stays private');
    assert.equal(await outcome(anonymous, '/profile/'), 'login', 'a profile needs a user');
    assert.equal(await outcome(anonymous, '/profile/password/'), 'login');
    assert.equal((await anonymous.get('/api/v1/main/me')).status, 401);
    assert.equal((await anonymous.get('/api/v1/main/users')).status, 401);
  });

  it('closing it again sends anonymous visitors to sign in at once, cached pages too', async () => {
    await anonymous.get('/open-news/');
    assert.equal((await anonymous.get('/open-news/')).headers.get('x-page-cache'), 'hit', 'the open page was cached whole');
    assert.equal((await submit(env.admin, '/admin/rights/main/public/', { access: 'closed' })).status, 302);
    assert.deepEqual(await Promise.all(['/', '/open-news/', picture].map((p) => outcome(anonymous, p))), ['login', 'login', 'login']);
    assert.match((await page(env.admin, '/admin/rights/main/')).html, /The portal is private/);
  });
});
