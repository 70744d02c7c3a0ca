import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';
import { restCaller, type RestJson } from './rest-call.js';

const PASSWORD = 'password-123';
type Json = RestJson;

describeEachDb('infoblocks REST API', (kind) => {
  let f: IbFixture;
  let server: RunningServer;
  let adminToken: string;
  let readerToken: string;
  let catalogId: number;

  const call = restCaller(() => server.url);
  const q = (o: unknown) => encodeURIComponent(JSON.stringify(o));

  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    const admins = await k.groups.byCode('administrators');
    const readers = await k.groups.create({ code: 'cat_readers', name: 'Catalogue readers' });
    const boss = await k.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id] });
    const reader = await k.users.create({ login: 'reader', email: 'reader@example.com', password: PASSWORD, groupIds: [readers.id] });
    adminToken = (await k.tokens.issue(boss.id, 'rest')).token;
    readerToken = (await k.tokens.issue(reader.id, 'rest')).token;

    const ib = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'catalog', name: 'Catalogue', rights: { [readers.id]: 'R' } });
    catalogId = ib.id;
    await f.api.properties.add(admin, catalogId, { code: 'PRICE', name: 'Price', type: 'number' });
    for (let i = 1; i <= 14; i++) {
      await f.api.elements.add(admin, catalogId, { name: `Item ${i}`, code: `item-${i}`, active: i % 3 !== 0, sort: (i * 7) % 5, properties: { PRICE: i * 3 } });
    }
    server = await startServer(k, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await f.t.close();
  });

  it('creates, reads, updates and deletes an infoblock with a token', async () => {
    const created = await call('POST', '', { token: adminToken, json: { typeId: f.typeId, code: 'news', name: 'News' } });
    assert.equal(created.status, 201);
    const id = created.body.result.id as number;
    assert.equal((await call('GET', `/${id}`, { token: adminToken })).body.result.code, 'news');
    assert.equal((await call('GET', '/news', { token: adminToken })).body.result.id, id, 'by code');
    const list = await call('GET', '', { token: adminToken });
    assert.deepEqual(list.body.result.map((i: { code: string }) => i.code).sort(), ['catalog', 'news']);
    const patched = await call('PATCH', `/${id}`, { token: adminToken, json: { name: 'Company news' } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.result.name, 'Company news');
    assert.equal((await call('DELETE', `/${id}`, { token: adminToken })).body.result, true);
    const gone = await call('GET', `/${id}`, { token: adminToken });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error!.code, 'IBLOCK_NOT_FOUND');
  });

  it('creates, lists, moves and deletes sections', async () => {
    const add = (json: unknown) => call('POST', '/catalog/sections', { token: adminToken, json });
    const a = (await add({ name: 'A', code: 'a' })).body.result;
    const b = (await add({ name: 'B', code: 'b' })).body.result;
    const a1 = await add({ name: 'A1', code: 'a1', parentId: a.id });
    assert.equal(a1.status, 201);
    assert.equal(a1.body.result.codePath, 'a/a1');
    const roots = await call('GET', `/${catalogId}/sections?parentId=0`, { token: adminToken });
    assert.deepEqual(roots.body.result.map((s: { code: string }) => s.code), ['a', 'b']);
    const shallow = await call('GET', `/${catalogId}/sections?maxDepth=1`, { token: adminToken });
    assert.equal(shallow.body.total, 2);
    const moved = await call('PATCH', `/catalog/sections/${a1.body.result.id}`, { token: adminToken, json: { parentId: b.id, name: 'B1' } });
    assert.equal(moved.body.result.codePath, 'b/a1');
    assert.equal(moved.body.result.name, 'B1');
    const children = await call('GET', `/catalog/sections?parentId=${b.id}`, { token: adminToken });
    assert.deepEqual(children.body.result.map((s: { id: number }) => s.id), [a1.body.result.id]);
    assert.equal((await call('GET', `/catalog/sections/${a1.body.result.id}`, { token: adminToken })).body.result.depth, 2);
    assert.equal((await call('DELETE', `/catalog/sections/${b.id}`, { token: adminToken })).status, 200);
    assert.equal((await call('GET', `/catalog/sections/${a1.body.result.id}`, { token: adminToken })).status, 404, 'subtree deleted');
    assert.equal((await call('GET', '/catalog/sections/abc', { token: adminToken })).status, 404);
    await call('DELETE', `/catalog/sections/${a.id}`, { token: adminToken });
  });

  it('creates, reads, updates and deletes an element', async () => {
    const created = await call('POST', '/catalog/elements', { token: adminToken, json: { name: 'Lamp', code: 'lamp', properties: { PRICE: 42 } } });
    assert.equal(created.status, 201);
    const id = created.body.result.id as number;
    const got = await call('GET', `/catalog/elements/${id}`, { token: adminToken });
    assert.equal(got.body.result.properties.PRICE, 42);
    const patched = await call('PATCH', `/catalog/elements/${id}`, { token: adminToken, json: { name: 'Desk lamp', properties: { PRICE: 50 } } });
    assert.equal(patched.body.result.name, 'Desk lamp');
    assert.equal(patched.body.result.properties.PRICE, 50);
    assert.equal((await call('DELETE', `/catalog/elements/${id}`, { token: adminToken })).body.result, true);
    const gone = await call('GET', `/catalog/elements/${id}`, { token: adminToken });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error!.code, 'ELEMENT_NOT_FOUND');
    assert.equal((await call('GET', '/catalog/elements/12x', { token: adminToken })).status, 404, 'non-numeric id');
  });

  it('gives the download URLs of an element\'s files, which work with the same token', async () => {
    const k = f.t.kernel;
    await f.api.properties.add(admin, catalogId, { code: 'MANUALS', name: 'Manuals', type: 'file', multiple: true });
    const save = (name: string, text: string) => k.files.save({ module: 'infoblocks', name, mimeType: 'text/plain', buffer: Buffer.from(text) });
    const [pic, a, b] = [await save('pic.txt', 'picture'), await save('a.txt', 'manual a'), await save('b.txt', 'manual b')];
    const el = await f.api.elements.add(admin, catalogId, { name: 'With files', previewPicture: pic.id, properties: { MANUALS: [a.id, b.id] } });
    const one = await call('GET', `/${catalogId}/elements/${el.id}`, { token: readerToken });
    assert.equal(one.body.result.previewPicture, pic.id);
    assert.deepEqual(Object.keys(one.body.files!).sort(), [pic.id, a.id, b.id].map(String).sort());
    assert.deepEqual(one.body.files![String(a.id)], { url: k.files.url(a), name: 'a.txt', size: 8, mimeType: 'text/plain' });
    const got = await fetch(`${server.url}${one.body.files![String(b.id)]!.url}`, { headers: { authorization: `Bearer ${readerToken}` } });
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'manual b');
    const list = await call('GET', `/${catalogId}/elements?filter=${q({ '=NAME': 'With files' })}`, { token: readerToken });
    assert.equal(list.body.files![String(pic.id)]!.url, k.files.url(pic), 'lists carry them too');
    const plain = await call('GET', `/${catalogId}/elements?filter=${q({ '=NAME': 'Item 1' })}`, { token: readerToken });
    assert.deepEqual(plain.body.files, {});
    await f.api.elements.delete(admin, el.id);
    await f.api.properties.delete(admin, catalogId, 'MANUALS');
  });

  it('lists elements with filter, order, select and paging like the module API', async () => {
    const filter = { '=ACTIVE': true, '>=PROPERTY_PRICE': 10 };
    const order = { PROPERTY_PRICE: 'DESC' };
    const expected = await f.api.elements.list(admin, catalogId, { filter, order, page: 2, pageSize: 3 });
    assert.ok(expected.total > 6, 'enough rows for three pages');
    const res = await call('GET', `/catalog/elements?filter=${q(filter)}&order=${q(order)}&select=${q(['ID', 'NAME', 'PROPERTY_PRICE'])}&page=2&limit=3`, { token: readerToken });
    assert.equal(res.status, 200);
    assert.equal(res.body.total, expected.total);
    assert.deepEqual(res.body.result.map((e: { id: number }) => e.id), expected.items.map((e) => e.id));
    assert.equal(res.body.next, 3);
    const viaPost = await call('POST', `/${catalogId}/elements/list`, { token: readerToken, json: { filter, order, page: 2, limit: 3 } });
    assert.deepEqual(viaPost.body.result.map((e: { id: number }) => e.id), expected.items.map((e) => e.id));
    const last = await call('GET', `/catalog/elements?filter=${q(filter)}&order=PROPERTY_PRICE:DESC&page=${Math.ceil(expected.total / 3)}&limit=3`, { token: readerToken });
    assert.equal(last.body.next, null);
    const tooMany = await call('GET', '/catalog/elements?limit=501', { token: readerToken });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.error!.message, /limit/);
  });

  it('answers a malformed filter and an unknown field with coded 400s naming them', async () => {
    const bad = await call('GET', '/catalog/elements?filter=%7B%22%3DACTIVE%22%3A', { token: readerToken });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error!.code, 'VALIDATION_FAILED');
    assert.match(bad.body.error!.message, /"filter"/);
    const unknown = await call('GET', `/catalog/elements?filter=${q({ '=COLOUR': 'red' })}`, { token: readerToken });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error!.code, 'FILTER_FIELD_UNKNOWN');
    assert.match(unknown.body.error!.message, /COLOUR/);
    const badOp = await call('POST', '/catalog/elements/list', { token: readerToken, json: { filter: { '~NAME': 'x' } } });
    assert.equal(badOp.status, 400);
    assert.match(badOp.body.error!.message, /NAME/);
  });

  it('answers anonymous callers with 401 and readers writing with 403', async () => {
    const anon = await call('GET', '/catalog/elements');
    assert.equal(anon.status, 401);
    assert.equal(anon.body.error!.code, 'UNAUTHENTICATED');
    const denied = await call('POST', `/${catalogId}/elements`, { token: readerToken, json: { name: 'Nope' } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error!.code, 'ACCESS_DENIED');
    assert.equal((await call('POST', '/catalog/sections', { token: readerToken, json: { name: 'Nope' } })).status, 403);
    assert.equal((await call('GET', `/${catalogId}`, { token: readerToken })).status, 200, 'reading is allowed');
  });

  it('needs the CSRF token for cookie-session writes', async () => {
    const c = new HttpClient(server.url);
    assert.equal((await c.signIn('boss', PASSWORD)).status, 302);
    const list = await c.get('/api/v1/infoblocks/catalog/elements?limit=1');
    assert.equal(list.status, 200, 'session reads work');
    const noToken = await c.request('POST', '/api/v1/infoblocks/catalog/elements', { json: { name: 'Via session' } });
    assert.equal(noToken.status, 403);
    assert.equal(((await noToken.json()) as Json).error!.code, 'CSRF_TOKEN_INVALID');
    const withToken = await c.request('POST', '/api/v1/infoblocks/catalog/elements', { json: { name: 'Via session' }, headers: { 'x-csrf-token': HttpClient.csrfFrom(await (await c.get('/')).text()) } });
    assert.equal(withToken.status, 201);
  });
});
