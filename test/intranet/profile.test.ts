import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { PHOTO_MAX_BYTES } from '../../modules/main/routes/intranet/photo.js';
import { PASSWORD, seedCompany, solidPng, uploadFile } from './fixtures.js';

describeEachDb('intranet profile', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let c: HttpClient;
  let ivanId: number;
  let depts: { sales: number; exportDept: number; it: number };
  const filesOfMain = async () => (await t.kernel.files.listByModule('main')).length;
  const csrf = async () => HttpClient.csrfFrom(await (await c.get('/profile/')).text());

  before(async () => {
    t = await bootTestKernel(kind);
    depts = await seedCompany(t.kernel);
    ivanId = (await t.kernel.users.findByLogin('ivan'))!.id;
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    c = new HttpClient(server.url);
    await c.signIn('ivan', PASSWORD);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('needs a signed-in user', async () => {
    const res = await fetch(`${server.url}/profile/`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location') ?? '', /^\/auth\/login\//);
  });

  it('shows the own profile with a form and a link to the password change', async () => {
    const res = await c.get('/profile/');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /name="name" value="Иван"/);
    assert.match(html, /name="position" value="Менеджер"/);
    assert.match(html, new RegExp(`<option value="${depts.sales}" selected>`));
    assert.match(html, /href="\/profile\/password\/"/);
    assert.match(html, /enctype="multipart\/form-data"/);
    assert.match(html, /action="\/profile\/photo\/" enctype="multipart\/form-data">\s*<input type="hidden" name="_csrf"/, 'the multipart form carries the CSRF token as its first field');
  });

  it('saves the fields and shows them back', async () => {
    const res = await c.post('/profile/', {
      _csrf: await csrf(),
      name: 'Иван',
      lastName: 'Петров-Водкин',
      position: 'Старший менеджер',
      departmentId: String(depts.exportDept),
      phone: '+7 (495) 765-43-21 доб. 12',
      birthday: '1988-02-29',
      language: '',
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/profile/?saved=1');
    const user = await t.kernel.users.get(ivanId);
    assert.equal(user.lastName, 'Петров-Водкин');
    assert.equal(user.position, 'Старший менеджер');
    assert.equal(user.departmentId, depts.exportDept);
    assert.equal(user.phone, '+7 (495) 765-43-21 доб. 12');
    assert.equal(user.birthday, '1988-02-29');
    const html = await (await c.get('/profile/?saved=1')).text();
    assert.match(html, /role="status">Your profile has been saved/);
    assert.match(html, /name="lastName" value="Петров-Водкин"/);
    const found = await t.kernel.users.list({ search: 'старший' });
    assert.deepEqual(found.items.map((u) => u.login), ['ivan'], 'the new position is searchable, case-insensitively');
  });

  it('re-renders the form with a readable error and the values kept', async () => {
    const before = await t.kernel.users.get(ivanId);
    const res = await c.post('/profile/', { _csrf: await csrf(), name: 'Vanya', lastName: 'X', position: '', departmentId: '', phone: 'call me maybe', birthday: '', language: '' });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /role="alert">The phone may hold digits/);
    assert.match(html, /name="name" value="Vanya"/, 'value kept');
    assert.match(html, /name="phone" value="call me maybe"/);
    assert.equal((await t.kernel.users.get(ivanId)).name, before.name, 'nothing saved');

    const badDate = await c.post('/profile/', { _csrf: await csrf(), name: 'Иван', lastName: 'П', position: '', departmentId: '', phone: '', birthday: '1990-02-30', language: '' });
    assert.equal(badDate.status, 400);
    assert.match(await badDate.text(), /role="alert">Give the birthday as a real date/);

    const badDept = await c.post('/profile/', { _csrf: await csrf(), name: 'Иван', lastName: 'П', position: '', departmentId: '99999', phone: '', birthday: '', language: '' });
    assert.equal(badDept.status, 400);
    assert.match(await badDept.text(), /role="alert">Choose a department from the list/);

    const noCsrf = await c.post('/profile/', { name: 'Hacker' });
    assert.equal(noCsrf.status, 403);
  });

  it('switches the interface language from the profile', async () => {
    const res = await c.post('/profile/', { _csrf: await csrf(), name: 'Иван', lastName: 'Петров', position: 'Менеджер', departmentId: String(depts.sales), phone: '', birthday: '', language: 'ru' });
    assert.equal(res.status, 302);
    const html = await (await c.get('/profile/')).text();
    assert.match(html, /<html lang="ru">/);
    assert.match(html, /Мой профиль/);
    await c.post('/profile/', { _csrf: await csrf(), name: 'Иван', lastName: 'Петров', position: 'Менеджер', departmentId: String(depts.sales), phone: '', birthday: '', language: '' });
    assert.match(await (await c.get('/profile/')).text(), /<html lang="en">/);
  });

  it('uploads a photo: shown as the avatar and served with nosniff', async () => {
    const png = solidPng(48, 48);
    const res = await uploadFile(c, '/profile/photo/', await csrf(), { field: 'photo', name: 'me.PNG', type: 'image/png', data: png });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/profile/?photo=1');
    const user = await t.kernel.users.get(ivanId);
    assert.ok(user.photoFileId, 'photo recorded on the user');
    const file = await t.kernel.files.get(user.photoFileId!);
    assert.equal(file.mimeType, 'image/png');
    assert.equal(file.createdBy, ivanId);

    const html = await (await c.get('/profile/?photo=1')).text();
    const src = /<img class="avatar avatar-xl" src="(\/upload\/\d+\/[^"]+)"/.exec(html)?.[1];
    assert.ok(src, 'avatar <img> on the profile');
    assert.equal(src, `/upload/${file.id}/${file.urlKey}/me.png`);
    assert.equal(src, t.kernel.files.url(file));
    const img = await c.get(src!);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.equal(img.headers.get('x-content-type-options'), 'nosniff');
    assert.match(img.headers.get('content-disposition') ?? '', /^inline/);
    assert.deepEqual(Buffer.from(await img.arrayBuffer()), png);
    assert.ok(html.includes(`<img class="avatar avatar-sm" src="${src}"`), 'the header shows the photo too');
    assert.equal((await c.get(`/upload/${file.id}/avatar`)).status, 404, 'the id alone finds nothing');

    const anon = await fetch(`${server.url}${src}`, { redirect: 'manual' });
    assert.equal(anon.status, 302, 'files are for signed-in users');
    const page = await (await c.get(`/company/${ivanId}/`)).text();
    assert.ok(page.includes(`src="${src}"`), 'the avatar shows in the directory');
  });

  it('replaces the photo and deletes the old file', async () => {
    const old = (await t.kernel.users.get(ivanId)).photoFileId!;
    const count = await filesOfMain();
    const res = await uploadFile(c, '/profile/photo/', await csrf(), { field: 'photo', name: 'new.gif', type: 'image/gif', data: Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20)]) });
    assert.equal(res.status, 302);
    const now = (await t.kernel.users.get(ivanId)).photoFileId!;
    assert.notEqual(now, old);
    assert.equal((await t.kernel.files.get(now)).mimeType, 'image/gif');
    await assert.rejects(t.kernel.files.get(old), /does not exist/);
    assert.equal(await filesOfMain(), count, 'one in, one out');
  });

  it('refuses a file that is not an image with a readable 415 and stores nothing', async () => {
    const before = await t.kernel.users.get(ivanId);
    const count = await filesOfMain();
    const res = await uploadFile(c, '/profile/photo/', await csrf(), { field: 'photo', name: 'evil.png', type: 'image/png', data: Buffer.from('<script>alert(1)</script>') });
    assert.equal(res.status, 415);
    const html = await res.text();
    assert.match(html, /role="alert">This file is not an image we accept/);
    assert.match(html, /<form method="post" action="\/profile\/"/, 'the profile page, not a bare error');
    assert.equal(await filesOfMain(), count, 'nothing stored');
    assert.equal((await t.kernel.users.get(ivanId)).photoFileId, before.photoFileId);
  });

  it('refuses a photo over the size limit with a readable 413 and stores nothing', async () => {
    const count = await filesOfMain();
    const before = await t.kernel.users.get(ivanId);
    const big = Buffer.concat([solidPng(1, 1), Buffer.alloc(PHOTO_MAX_BYTES)]);
    const res = await uploadFile(c, '/profile/photo/', await csrf(), { field: 'photo', name: 'big.png', type: 'image/png', data: big });
    assert.equal(res.status, 413);
    assert.match(await res.text(), /role="alert">The photo is too large. The limit is 2 MB/);
    assert.equal(await filesOfMain(), count);
    assert.equal((await t.kernel.users.get(ivanId)).photoFileId, before.photoFileId);
  });

  it('asks for a file when none is chosen, and checks the CSRF token of uploads', async () => {
    const form = new FormData();
    form.set('_csrf', await csrf());
    form.set('other', 'x');
    const none = await c.request('POST', '/profile/photo/', { body: form });
    assert.equal(none.status, 400);
    assert.match(await none.text(), /role="alert">Choose an image file to upload/);
    const forged = await uploadFile(c, '/profile/photo/', 'not-the-token', { field: 'photo', name: 'a.png', type: 'image/png', data: solidPng(2, 2) });
    assert.equal(forged.status, 403);
  });

  it('removes the photo', async () => {
    const old = (await t.kernel.users.get(ivanId)).photoFileId!;
    const res = await c.post('/profile/photo/delete/', { _csrf: await csrf() });
    assert.equal(res.status, 302);
    assert.equal((await t.kernel.users.get(ivanId)).photoFileId, null);
    await assert.rejects(t.kernel.files.get(old), /does not exist/);
    const html = await (await c.get('/profile/?photo=0')).text();
    assert.match(html, /<span class="avatar avatar-xl" aria-hidden="true">ИП<\/span>/, 'initials instead of the photo');
  });
});
