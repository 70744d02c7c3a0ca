import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { admin, bootInfoblocks, type IbFixture } from '../infoblocks/fixture.js';

const PASSWORD = 'correct horse 42';

describeEachDb('JSON API requests: content type and caching', (kind) => {
  let f: IbFixture;
  let server: RunningServer;
  let token: string;

  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    const admins = await k.groups.byCode('administrators');
    const boss = await k.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id] });
    await k.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD });
    token = (await k.tokens.issue(boss.id, 'tests')).token;
    server = await startServer(k, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await f.t.close();
  });

  const send = (method: string, path: string, body: string | undefined, type?: string) =>
    fetch(`${server.url}${path}`, { method, body, headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) } });

  async function refused(res: Response): Promise<void> {
    assert.equal(res.status, 415);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(body.error.message, /application\/json/);
  }

  it('answers 415 with a code when a state change sends a body that is not JSON', async () => {
    const json = JSON.stringify({ code: 'news', names: { en: 'News' } });
    await refused(await send('POST', '/api/v1/infoblocks/types', json, 'text/plain'));
    await refused(await send('POST', '/api/v1/infoblocks/types', 'code=news', 'application/x-www-form-urlencoded'));
    await refused(await send('PATCH', '/api/v1/infoblocks/types/content', json, 'text/plain;charset=UTF-8'));
    await refused(await send('POST', '/api/v1/infoblocks/types', json));
    assert.deepEqual((await f.api.iblocks.listTypes()).map((t) => t.code), ['content'], 'nothing was created');
    const ok = await send('POST', '/api/v1/infoblocks/types', json, 'application/json; charset=utf-8');
    assert.equal(ok.status, 201, await ok.clone().text());
  });

  it('lets a DELETE or a POST without a body through', async () => {
    const del = await send('DELETE', '/api/v1/infoblocks/types/news', undefined);
    assert.equal(del.status, 200, await del.clone().text());
    const empty = await send('POST', '/api/v1/infoblocks/types', undefined);
    assert.equal(empty.status, 400, 'reaches the route, which says what is missing');
    assert.notEqual(((await empty.json()) as { error: { code: string } }).error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('marks every /api/ response no-store, errors too', async () => {
    for (const res of [
      await send('GET', '/api/v1/main/me', undefined),
      await send('GET', '/api/v1/infoblocks/types', undefined),
      await send('GET', '/api/v1/nothing-here', undefined),
      await fetch(`${server.url}/api/v1/main/me`),
      await send('POST', '/api/v1/infoblocks/types', 'x', 'text/plain'),
    ]) {
      assert.equal(res.headers.get('cache-control'), 'no-store', `${res.url} ${res.status}`);
    }
  });

  it('refuses the whole API to whom the portal is closed, whatever a module\'s own rights allow', async () => {
    const k = f.t.kernel;
    const registered = await k.groups.byCode('registered');
    const everyone = await k.groups.byCode('everyone');
    const iblock = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'open-news', name: 'Open news', rights: { [everyone.id]: 'R', [registered.id]: 'R' } });
    await f.api.elements.add(admin, iblock.id, { name: 'Readable news' });
    const ivan = (await k.users.findByLogin('ivan'))!;
    const ivanToken = (await k.tokens.issue(ivan.id, 'tests')).token;
    const list = (auth?: string) => fetch(`${server.url}/api/v1/infoblocks/open-news/elements`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    assert.equal((await list(ivanToken)).status, 200, 'an employee reads it while the portal is open to employees');
    const anonymous = await list();
    assert.equal(anonymous.status, 401, 'the portal is closed to visitors, so is its API');
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    await k.rights.setLevel('main', registered.id, 'D');
    try {
      const denied = await list(ivanToken);
      assert.equal(denied.status, 403);
      const body = (await denied.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'ACCESS_DENIED');
      assert.match(body.error.message, /View the portal/);
      assert.equal((await list(token)).status, 200, 'administrators keep it');
    } finally {
      await k.rights.setLevel('main', registered.id, 'R');
    }
  });

  it('keeps signed-in pages out of shared caches; anonymous pages stay no-store', async () => {
    const c = new HttpClient(server.url);
    const login = await c.get('/auth/login/');
    assert.equal(login.headers.get('cache-control'), 'no-store');
    const again = await c.get('/auth/login/');
    assert.equal(again.headers.get('x-page-cache'), 'hit');
    assert.equal(again.headers.get('cache-control'), 'no-store', 'a page cache hit is never stored downstream');
    await c.signIn('ivan', PASSWORD);
    for (const path of ['/', '/profile/', '/company/', '/no-such-page/']) {
      const res = await c.get(path);
      assert.equal(res.headers.get('cache-control'), 'private, no-store', `${path} ${res.status}`);
    }
  });
});
