import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';
import { restCaller } from './rest-call.js';

/** Audit findings over REST, as a normal employee (registered, no special groups) and as an admin. */
describeEachDb('infoblocks REST API: audit findings', (kind) => {
  let f: IbFixture;
  let server: RunningServer;
  let employee: string;
  let boss: string;
  let newsId: number;
  let secretFile: number;
  let secretUrl: string;
  const call = restCaller(() => server.url);

  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    const registered = await k.groups.byCode('registered');
    const admins = await k.groups.byCode('administrators');
    employee = (await k.tokens.issue((await k.users.create({ login: 'emp', email: 'emp@example.com', password: 'password-123' })).id, 'rest')).token;
    boss = (await k.tokens.issue((await k.users.create({ login: 'boss', email: 'boss@example.com', password: 'password-123', groupIds: [admins.id] })).id, 'rest')).token;
    newsId = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'news', name: 'News', rights: { [registered.id]: 'W' } })).id;
    const secret = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'secret', name: 'Secret', rights: {} })).id;
    await f.api.elements.add(admin, newsId, { name: 'Public news' });
    const saved = await k.files.save({ module: 'infoblocks', name: 'salaries.txt', buffer: Buffer.from('salaries') });
    secretFile = saved.id;
    secretUrl = k.files.url(saved);
    for (const name of ['secret plan', 'secret salaries']) await f.api.elements.add(admin, secret, { name, previewPicture: name === 'secret plan' ? secretFile : null });
    server = await startServer(k, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await f?.t.close();
  });

  it('a top-level LOGIC OR returns only elements of the infoblock asked for', async () => {
    const res = await call('POST', '/news/elements/list', { token: employee, json: { filter: { LOGIC: 'OR', ID: -1, '%NAME': 'secret' } } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, []);
    assert.equal(res.body.total, 0);
    const wide = await call('POST', '/news/elements/list', { token: employee, json: { filter: { LOGIC: 'OR', '%NAME': 'e', '!ID': 0 } } });
    assert.deepEqual(wide.body.result.map((e: { name: string }) => e.name), ['Public news']);
    const denied = await call('POST', '/secret/elements/list', { token: employee, json: { filter: { LOGIC: 'OR', ID: -1, '%NAME': 'secret' } } });
    assert.equal(denied.status, 403);
  });

  it('a writer cannot attach a file of an infoblock they cannot read, and still cannot download it', async () => {
    const res = await call('POST', '/news/elements', { token: employee, json: { name: 'Leak', previewPicture: secretFile } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error!.code, 'FILE_REFERENCE_DENIED');
    const download = await fetch(`${server.url}${secretUrl}`, { headers: { authorization: `Bearer ${employee}` }, redirect: 'manual' });
    await download.body?.cancel();
    assert.equal(download.status, 403, 'even with the file\'s key, the read check refuses');
  });

  it('built-in names as order or filter fields are a coded 400, not a 500', async () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const order = await call('GET', `/news/elements?order=${encodeURIComponent(`${key}:ASC`)}`, { token: employee });
      assert.equal(order.status, 400, key);
      assert.equal(order.body.error!.code, 'ORDER_FIELD_INVALID');
      for (const op of ['', '!', '>=', '%']) {
        const filter = await call('POST', '/news/elements/list', { token: employee, json: JSON.parse(`{"filter": {"${op}${key}": 1}}`) });
        assert.equal(filter.status, 400, `${op}${key}`);
        // The JSON body parser itself refuses a "__proto__" key.
        assert.equal(filter.body.error!.code, `${op}${key}` === '__proto__' ? 'BAD_REQUEST' : 'FILTER_FIELD_UNKNOWN');
        const inQuery = await call('GET', `/news/elements?filter=${encodeURIComponent(`{"${op}${key}": 1}`)}`, { token: employee });
        assert.equal(inQuery.status, 400, `${op}${key}`);
        assert.equal(inQuery.body.error!.code, 'FILTER_FIELD_UNKNOWN');
      }
    }
  });

  it('URL templates take only http(s) and site-relative links', async () => {
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', '//evil.example/', '/\\evil.example', '#IBLOCK_CODE#:x', 'vbscript:x']) {
      const res = await call('POST', '', { token: boss, json: { typeId: f.typeId, code: 'links', name: 'Links', detailUrl: bad } });
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error!.code, 'IBLOCK_INPUT_INVALID');
      assert.match(res.body.error!.message, /detailUrl .*must start with "\/", "#SITE_DIR#" or http\(s\):\/\//);
      const patched = await call('PATCH', `/${newsId}`, { token: boss, json: { listUrl: bad } });
      assert.equal(patched.status, 400, bad);
    }
    for (const good of ['#SITE_DIR#news/#ELEMENT_CODE#/', '/news/#ID#/', 'https://example.com/n/#ELEMENT_CODE#']) {
      assert.equal((await call('PATCH', `/${newsId}`, { token: boss, json: { detailUrl: good } })).status, 200, good);
    }
    assert.equal((await call('GET', '/links', { token: boss })).status, 404, 'nothing created');
  });

  it('an infoblock with bad rights is refused before anything is written', async () => {
    for (const rights of [{ 99999: 'R' }, { 1: 'Q' }, { abc: 'R' }, ['R'], 'R']) {
      const res = await call('POST', '', { token: boss, json: { typeId: f.typeId, code: 'halfmade', name: 'Half', rights } });
      assert.equal(res.status, 400, JSON.stringify(rights));
      assert.match(res.body.error!.code, /^RIGHTS_(GROUP_UNKNOWN|LEVEL_INVALID)$/);
      assert.equal((await call('GET', '/halfmade', { token: boss })).status, 404, 'no infoblock was created');
    }
    const ok = await call('POST', '', { token: boss, json: { typeId: f.typeId, code: 'halfmade', name: 'Half', rights: {} } });
    assert.equal(ok.status, 201, 'the code is still free');
    const prop = await call('POST', '/halfmade/properties', { token: boss, json: { code: 'KIND', name: 'Kind', type: 'list', enums: [{ value: 'A' }, { value: '' }] } });
    assert.equal(prop.status, 400);
    assert.deepEqual((await f.api.properties.list(admin, ok.body.result.id)).map((p) => p.code), [], 'no half-made property');
  });

  it('dates and numbers out of range are a coded 400 naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ activeFrom: -1e20 }, /activeFrom/],
      [{ activeTo: 1e20 }, /activeTo/],
      [{ activeFrom: '0999-12-31T00:00:00Z' }, /activeFrom/],
      [{ sort: 1e12 }, /sort/],
      [{ sort: -1e20 }, /sort/],
    ];
    for (const [input, re] of cases) {
      const res = await call('POST', '/news/elements', { token: employee, json: { name: 'Range', ...input } });
      assert.equal(res.status, 400, JSON.stringify(input));
      assert.equal(res.body.error!.code, 'ELEMENT_INPUT_INVALID');
      assert.match(res.body.error!.message, re);
    }
    const edge = await call('POST', '/news/elements', { token: employee, json: { name: 'Edge', activeFrom: '1000-01-01T00:00:00Z', activeTo: '9999-12-31T23:59:59Z' } });
    assert.equal(edge.status, 201);
    const back = await call('GET', `/news/elements/${edge.body.result.id}`, { token: employee });
    assert.equal(back.body.result.activeFrom, '1000-01-01T00:00:00.000Z');
    assert.equal(back.body.result.activeTo, '9999-12-31T23:59:59.000Z');
    assert.equal((await call('PATCH', `/${newsId}`, { token: boss, json: { sort: 2 ** 40 } })).status, 400);
    await f.api.properties.add(admin, newsId, { code: 'WHEN', name: 'When', type: 'datetime' });
    await f.api.properties.add(admin, newsId, { code: 'DAY', name: 'Day', type: 'date' });
    for (const properties of [{ WHEN: -1e20 }, { WHEN: 8.64e15 }, { DAY: '0001-01-01' }]) {
      const res = await call('POST', '/news/elements', { token: employee, json: { name: 'Range', properties } });
      assert.equal(res.status, 400, JSON.stringify(properties));
      assert.equal(res.body.error!.code, 'PROPERTY_VALUE_INVALID');
      assert.match(res.body.error!.message, new RegExp(Object.keys(properties)[0]!));
    }
  });
});
