import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { csrfOf, startAdminEnv, type AdminEnv } from '../admin/harness.js';
import mainModule from '../../modules/main/module.js';
import infoblocksModule from '../../modules/infoblocks/module.js';
import type { Principal } from '../../core/services.js';
import { solidPng } from '../intranet/fixtures.js';

const root: Principal = { userId: null, groupIds: [], isAdmin: true };

/** A multipart body with its parts in exactly this order. */
function multipart(parts: ([string, string] | { field: string; name: string; type: string; data: Buffer })[]): FormData {
  const form = new FormData();
  for (const p of parts) {
    if (Array.isArray(p)) form.append(p[0], p[1]);
    else form.append(p.field, new Blob([new Uint8Array(p.data)], { type: p.type }), p.name);
  }
  return form;
}

describeEachDb('CSRF tokens travel in the body or a header only', (kind) => {
  let env: AdminEnv;
  let elementsBase: string;
  let tmp: string;
  let savedTmpdir: string | undefined;
  const photo = { field: 'photo', name: 'me.png', type: 'image/png', data: solidPng(4, 4) };
  const stored = async () => Number((await env.t.kernel.db('main').write('files').count({ n: '*' }).first()).n);
  const uploadTemps = () => readdirSync(tmp).filter((f) => f.startsWith('portal-upload-'));

  before(async function () {
    this.timeout(60_000);
    env = await startAdminEnv(kind, { definitions: [mainModule, infoblocksModule] });
    await env.t.kernel.modules.install('infoblocks');
    const api = env.t.kernel.api('infoblocks');
    const type = await api.iblocks.addType(root, { code: 'docs', names: { en: 'Docs', ru: 'Документы' } });
    const ib = await api.iblocks.add(root, { typeId: type.id, code: 'library', name: 'Library' });
    await api.properties.add(root, ib.id, { code: 'SCAN', name: 'Scan', type: 'file' });
    elementsBase = `/admin/infoblocks/${ib.id}/elements`;
    // Uploads go to os.tmpdir(): a private one shows exactly the temp files of these requests.
    tmp = mkdtempSync(path.join(os.tmpdir(), 'portal-csrf-test-'));
    savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
  });
  after(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    rmSync(tmp, { recursive: true, force: true });
    await env.close();
  });

  it('refuses a token in the query string of a form POST', async () => {
    const token = await csrfOf(env.user);
    const res = await env.user.request('POST', `/profile/?_csrf=${encodeURIComponent(token)}`, { form: { name: 'Query' } });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /reload the page/);
    assert.notEqual((await env.t.kernel.users.findByLogin('ivan'))!.name, 'Query');
  });

  it('the multipart forms carry the token as their first field, not in the action URL', async () => {
    const profile = await (await env.user.get('/profile/')).text();
    const photoForm = /<form method="post" action="\/profile\/photo\/"[^>]*enctype="multipart\/form-data">\s*<input type="hidden" name="_csrf" value="[^"]+">/.exec(profile);
    assert.ok(photoForm, 'the photo form starts with its _csrf field');
    const elementForm = await (await env.admin.get(`${elementsBase}/new/`)).text();
    assert.match(elementForm, new RegExp(`<form method="post" action="${elementsBase}/new/" enctype="multipart/form-data"[^>]*>\\s*<input type="hidden" name="_csrf" value="[^"]+">`));
    assert.doesNotMatch(profile + elementForm, /_csrf=/, 'no token in any URL');
  });

  it('reads the _csrf field that comes before the file parts of a multipart body', async () => {
    const before = await stored();
    const res = await env.user.request('POST', '/profile/photo/', { body: multipart([['_csrf', await csrfOf(env.user)], photo]) });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/profile/?photo=1');
    assert.equal(await stored(), before + 1);
    const viaHeader = await env.user.request('POST', '/profile/photo/', { body: multipart([photo]), headers: { 'x-csrf-token': await csrfOf(env.user) } });
    assert.equal(viaHeader.status, 302, 'the X-CSRF-Token header works for uploads too');
    const big = { ...photo, data: Buffer.alloc(1_000_000, 7) };
    const unparsed = await env.user.request('POST', '/profile/photo/delete/', { body: multipart([['_csrf', await csrfOf(env.user)], big]) });
    assert.equal(unparsed.status, 302, 'a route that never reads the multipart body still answers');
    assert.equal((await env.user.get('/profile/')).status, 200, 'and the connection serves the next request');
  });

  it('refuses a multipart body whose file comes before _csrf, or whose token is in the URL, and stores nothing', async () => {
    const token = await csrfOf(env.user);
    const adminToken = await csrfOf(env.admin);
    const before = await stored();
    const tempsBefore = uploadTemps().length;
    const big = { ...photo, data: Buffer.concat([solidPng(4, 4), Buffer.alloc(300_000)]) };
    const attempts = [
      () => env.user.request('POST', '/profile/photo/', { body: multipart([photo, ['_csrf', token]]) }),
      () => env.user.request('POST', '/profile/photo/', { body: multipart([big, ['_csrf', token]]) }),
      () => env.user.request('POST', `/profile/photo/?_csrf=${encodeURIComponent(token)}`, { body: multipart([photo]) }),
      () => env.admin.request('POST', `${elementsBase}/new/`, { body: multipart([['name', 'Forged'], { field: 'prop_SCAN', name: 'scan.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.7') }, ['_csrf', adminToken]]) }),
      () => env.admin.request('POST', `${elementsBase}/new/?_csrf=${encodeURIComponent(adminToken)}`, { body: multipart([['name', 'Forged'], { field: 'prop_SCAN', name: 'scan.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.7') }]) }),
    ];
    for (const [i, attempt] of attempts.entries()) {
      const res = await attempt();
      assert.equal(res.status, 403, `attempt ${i}`);
      assert.match(await res.text(), /reload the page/, `attempt ${i} gets the CSRF error`);
    }
    assert.equal(await stored(), before, 'no file stored');
    assert.equal(uploadTemps().length, tempsBefore, 'no temp file left');
    const api = env.t.kernel.api('infoblocks');
    const ib = await api.iblocks.getByCode(root, 'library');
    assert.equal((await api.elements.list(root, ib.id, {})).total, 0, 'no element made');
  });

  it('an element form with _csrf first saves with its file', async () => {
    const res = await env.admin.request('POST', `${elementsBase}/new/`, {
      body: multipart([['_csrf', await csrfOf(env.admin)], ['name', 'Scanned'], ['active', '1'], { field: 'prop_SCAN', name: 'scan.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.7 scan') }]),
    });
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location') ?? '', /\/elements\/\d+\/\?done=created$/);
  });

  it('anonymous visitors: the sign-in form refuses a query-string token too', async () => {
    const c = new HttpClient(env.server.url);
    const token = HttpClient.csrfFrom(await (await c.get('/auth/login/')).text());
    const res = await c.request('POST', `/auth/login/?_csrf=${encodeURIComponent(token)}`, { form: { login: 'ivan', password: 'correct horse 42' } });
    assert.equal(res.status, 403);
  });
});
