import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { trailingSlashRedirect } from '../../core/http/trailing-slash.js';
import { newPlacement } from '../../core/pages/page-store.js';
import { pagesOf } from '../../core/pages/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootPages, PASSWORD, type PagesFixture } from '../pages/harness.js';

/** A raw GET (fetch would normalise `//x` and `/\x`), answering status and Location. */
function rawGet(url: string, path: string, method = 'GET'): Promise<{ status: number; location: string | undefined }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

describeEachDb('trailing-slash redirects', (kind) => {
  let f: PagesFixture;
  let server: RunningServer;
  let admin: HttpClient;
  before(async () => {
    f = await bootPages(kind);
    server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
    admin = new HttpClient(server.url);
    await admin.signIn('boss', PASSWORD);
  });
  after(async () => {
    await server.close();
    await f.close();
  });

  const expectRedirect = async (client: HttpClient, path: string, location: string) => {
    const res = await client.get(path);
    assert.equal(res.status, 301, path);
    assert.equal(res.headers.get('location'), location, path);
  };

  it("sends module routes without the slash to the slash, for anyone and with the query string", async () => {
    const anon = new HttpClient(server.url);
    for (const path of ['/admin', '/company', '/profile', '/admin/users', '/company/departments', `/admin/users/${f.user.id}`, `/company/${f.user.id}`]) {
      await expectRedirect(anon, path, `${path}/`);
      await expectRedirect(admin, path, `${path}/`);
    }
    await expectRedirect(admin, '/company?q=ivan&view=table', '/company/?q=ivan&view=table');
    assert.equal((await admin.get('/admin/')).status, 200, 'the target answers');
    assert.equal((await rawGet(server.url, '/admin', 'HEAD')).status, 301, 'HEAD too');
  });

  it('sends file pages, DB pages and complex-component URLs to the slash', async () => {
    await expectRedirect(admin, '/board?x=1', '/board/?x=1');
    await expectRedirect(admin, `/board/topic/${f.topics.hello}`, `/board/topic/${f.topics.hello}/`);
    await expectRedirect(admin, `/board/${f.sections.general}`, `/board/${f.sections.general}/`);
    const store = pagesOf(f.kernel).store;
    const page = await store.create({ siteId: 's1', path: '/staff/', title: 'Staff' });
    await store.saveDraft(page.id, { ...store.editable(page), placements: [newPlacement({ component: 'board.sections' })] });
    assert.equal((await admin.get('/staff')).status, 404, 'an unpublished DB page answers nothing');
    await store.publish(page.id);
    await expectRedirect(admin, '/staff?tab=2', '/staff/?tab=2');
    await store.remove(page.id);
  });

  it('leaves paths nothing answers, other methods and host-like paths alone', async () => {
    for (const path of ['/nothing', '/admin/nothing', '/board/topic/abc', '/board/nope/more', '/company/1/x']) {
      const res = await admin.get(path);
      assert.equal(res.status, 404, path);
    }
    const page = await (await admin.get('/profile/')).text();
    const post = await admin.request('POST', '/admin', { form: { _csrf: HttpClient.csrfFrom(page) } });
    assert.notEqual(post.status, 301, 'a POST is never redirected');
    assert.equal(post.headers.get('location'), null);
    for (const path of ['//evil.com', '//evil.com/admin', '/\\evil.com', '//admin']) {
      const res = await rawGet(server.url, path);
      assert.notEqual(res.status, 301, path);
      assert.equal(res.location, undefined, path);
    }
  });
});

describe('trailing-slash middleware', () => {
  let server: http.Server;
  let url: string;
  const asked: string[] = [];
  before(async () => {
    const app = new Koa();
    // Answers every path: only the middleware's own rules keep a request from redirecting.
    app.use(trailingSlashRedirect([(_ctx, path) => (asked.push(path), true)]) as Koa.Middleware);
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('redirects with the query string and never to another host', async () => {
    assert.deepEqual(await rawGet(url, '/a/b?x=1&y=2'), { status: 301, location: '/a/b/?x=1&y=2' });
    assert.deepEqual(await rawGet(url, '/%2F%2Fevil.com'), { status: 301, location: '/%2F%2Fevil.com/' }, 'an encoded slash stays a path on this host');
    for (const path of ['//evil.com', '//evil.com/x', '/\\evil.com', '/a\\b', '/already/']) {
      asked.length = 0;
      assert.equal((await rawGet(url, path)).status, 404, path);
      assert.deepEqual(asked, [], `${path} is not even looked up`);
    }
    assert.equal((await rawGet(url, '/a/b', 'POST')).status, 404);
  });
});
