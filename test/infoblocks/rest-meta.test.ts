import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';
import { restCaller, type RestJson } from './rest-call.js';

const PASSWORD = 'password-123';
type Json = RestJson;

describeEachDb('infoblocks REST API: types, properties, batch import', (kind) => {
  let f: IbFixture;
  let server: RunningServer;
  let adminToken: string;
  let readerToken: string;
  let writerToken: string;

  const call = restCaller(() => server.url);
  const fails = (r: { status: number; body: Json }, status: number, code: string, re?: RegExp) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.error!.code, code);
    if (re) assert.match(r.body.error!.message, re);
  };

  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    const admins = await k.groups.byCode('administrators');
    const readers = await k.groups.create({ code: 'shop_readers', name: 'Readers' });
    const writers = await k.groups.create({ code: 'shop_writers', name: 'Writers' });
    const mk = async (login: string, groupIds: number[]) => (await k.tokens.issue((await k.users.create({ login, email: `${login}@example.com`, password: PASSWORD, groupIds })).id, 'rest')).token;
    adminToken = await mk('boss', [admins.id]);
    readerToken = await mk('reader', [readers.id]);
    writerToken = await mk('writer', [writers.id]);
    await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'shop', name: 'Shop', rights: { [readers.id]: 'R', [writers.id]: 'W' } });
    server = await startServer(k, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await f.t.close();
  });

  it('creates, lists, reads, updates and deletes infoblock types', async () => {
    const created = await call('POST', '/types', { token: adminToken, json: { code: 'lists', names: { en: 'Lists', ru: 'Списки' }, sort: 10 } });
    assert.equal(created.status, 201);
    const id = created.body.result.id as number;
    const list = await call('GET', '/types', { token: readerToken });
    assert.deepEqual(list.body.result.map((t: { code: string }) => t.code), ['lists', 'content']);
    assert.equal((await call('GET', '/types/lists', { token: readerToken })).body.result.id, id, 'by code');
    const patched = await call('PATCH', `/types/${id}`, { token: adminToken, json: { names: { ru: 'Перечни' }, sort: 900 } });
    assert.deepEqual(patched.body.result.names, { en: 'Lists', ru: 'Перечни' });
    assert.equal(patched.body.result.sort, 900);
    fails(await call('POST', '/types', { token: adminToken, json: { code: 'lists', names: { en: 'Again' } } }), 409, 'IBLOCK_CODE_TAKEN');
    fails(await call('POST', '/types', { token: adminToken, json: { code: '1 bad', names: { en: 'Bad' } } }), 400, 'IBLOCK_INPUT_INVALID', /code/);
    fails(await call('PATCH', `/types/${id}`, { token: adminToken, json: { names: 'Lists' } }), 400, 'IBLOCK_INPUT_INVALID', /names must be an object/);
    fails(await call('DELETE', `/types/${f.typeId}`, { token: adminToken }), 409, 'IBLOCK_TYPE_IN_USE');
    assert.equal((await call('DELETE', `/types/${id}`, { token: adminToken })).body.result, true);
    fails(await call('GET', `/types/${id}`, { token: adminToken }), 404, 'IBLOCK_TYPE_NOT_FOUND');
    fails(await call('DELETE', '/types/nope', { token: adminToken }), 404, 'IBLOCK_TYPE_NOT_FOUND');
  });

  it('creates, lists, reads, updates and deletes properties of an infoblock', async () => {
    const created = await call('POST', '/shop/properties', { token: adminToken, json: { code: 'SIZE', name: 'Size', type: 'list', multiple: true, enums: [{ value: 'S' }, { value: 'M' }] } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.result.enums.map((e: { xmlId: string }) => e.xmlId), ['S', 'M']);
    await call('POST', '/shop/properties', { token: adminToken, json: { code: 'PRICE', name: 'Price', type: 'number', filterable: true } });
    const list = await call('GET', '/shop/properties', { token: readerToken });
    assert.deepEqual(list.body.result.map((p: { code: string }) => p.code), ['SIZE', 'PRICE']);
    assert.equal(list.body.total, 2);
    const byId = await call('GET', `/shop/properties/${created.body.result.id}`, { token: readerToken });
    assert.equal(byId.body.result.code, 'SIZE');
    const patched = await call('PATCH', '/shop/properties/SIZE', { token: adminToken, json: { name: 'Sizes', enums: [{ value: 'S' }, { value: 'M' }, { value: 'L' }] } });
    assert.equal(patched.body.result.name, 'Sizes');
    assert.equal(patched.body.result.enums.length, 3);
    fails(await call('PATCH', '/shop/properties/SIZE', { token: adminToken, json: { type: 'string' } }), 400, 'PROPERTY_INPUT_INVALID', /type of a property cannot change/);
    fails(await call('POST', '/shop/properties', { token: adminToken, json: { code: 'X', name: 'X', type: 'colour' } }), 400, 'PROPERTY_INPUT_INVALID', /colour/);
    fails(await call('POST', '/shop/properties', { token: adminToken, json: { code: 'PRICE', name: 'Again', type: 'number' } }), 409, 'IBLOCK_CODE_TAKEN');
    fails(await call('GET', '/shop/properties/NOPE', { token: readerToken }), 404, 'PROPERTY_NOT_FOUND', /NOPE/);
    assert.equal((await call('DELETE', '/shop/properties/SIZE', { token: adminToken })).body.result, true);
    fails(await call('GET', '/shop/properties/SIZE', { token: adminToken }), 404, 'PROPERTY_NOT_FOUND');
    fails(await call('GET', '/nope/properties', { token: adminToken }), 404, 'IBLOCK_NOT_FOUND');
  });

  it('checks rights: 401 anonymous, 403 without the level', async () => {
    fails(await call('GET', '/types'), 401, 'UNAUTHENTICATED');
    fails(await call('GET', '/shop/properties'), 401, 'UNAUTHENTICATED');
    fails(await call('POST', '/types', { token: readerToken, json: { code: 'x', names: { en: 'X' } } }), 403, 'ACCESS_DENIED');
    fails(await call('POST', '/shop/properties', { token: writerToken, json: { code: 'X', name: 'X', type: 'string' } }), 403, 'ACCESS_DENIED');
    fails(await call('DELETE', '/shop/properties/PRICE', { token: readerToken }), 403, 'ACCESS_DENIED');
  });

  it('imports a batch of elements: created, then updated by xml_id; dry run; limits and coded errors', async () => {
    const items = [
      { name: 'Mug', xmlId: 'mug', properties: { PRICE: 5 } },
      { name: 'Cup', xmlId: 'cup', properties: { PRICE: 4 } },
    ];
    const first = await call('POST', '/shop/elements/batch', { token: writerToken, json: { items } });
    assert.equal(first.status, 200);
    assert.deepEqual([first.body.result.created, first.body.result.updated, first.body.result.ids.length], [2, 0, 2]);
    const dry = await call('POST', '/shop/elements/batch', { token: writerToken, json: { items: [{ name: 'Big mug', xmlId: 'mug' }], dryRun: true } });
    assert.deepEqual(dry.body.result, { created: 0, updated: 1, ids: [first.body.result.ids[0]] });
    const second = await call('POST', '/shop/elements/batch', { token: writerToken, json: { items: [{ name: 'Big mug', xmlId: 'mug', properties: { PRICE: 6 } }] } });
    assert.deepEqual([second.body.result.created, second.body.result.updated], [0, 1]);
    const listed = await call('GET', '/shop/elements?select=ID,NAME,PROPERTY_PRICE&order=ID:ASC', { token: readerToken });
    assert.deepEqual(listed.body.result.map((e: { name: string; properties: { PRICE: number } }) => [e.name, e.properties.PRICE]), [['Big mug', 6], ['Cup', 4]]);

    fails(await call('POST', '/shop/elements/batch', { token: writerToken, json: { items: [{ name: 'x', properties: { PRICE: 'a lot' } }] } }), 400, 'PROPERTY_VALUE_INVALID', /^item 0: Property "PRICE"/);
    fails(await call('POST', '/shop/elements/batch', { token: writerToken, json: { items: [] } }), 400, 'VALIDATION_FAILED', /1 to 1000/);
    fails(await call('POST', '/shop/elements/batch', { token: writerToken, json: { items: Array.from({ length: 1001 }, (_, i) => ({ name: `n${i}` })) } }), 400, 'VALIDATION_FAILED', /1 to 1000/);
    fails(await call('POST', '/shop/elements/batch', { token: writerToken, json: { items, matchBy: 'id' } }), 400, 'ELEMENT_INPUT_INVALID', /matchBy/);
    fails(await call('POST', '/shop/elements/batch', { token: writerToken, json: { items, dryRun: 'yes' } }), 400, 'VALIDATION_FAILED', /dryRun/);
    fails(await call('POST', '/shop/elements/batch', { token: readerToken, json: { items } }), 403, 'ACCESS_DENIED');
  });
});
