import assert from 'node:assert/strict';
import uniqueUserEmails from '../../modules/main/migrations/2026-12-04-24-unique-user-emails.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { solidPng, uploadFile } from '../intranet/fixtures.js';
import { alertText, csrfOf, page, startAdminEnv, submit, type AdminEnv } from './harness.js';

describeEachDb('admin user form: work details, photo and one user per e-mail', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  it('shows every HR field with its limits as a hint before anything is typed', async () => {
    const ivan = (await env.t.kernel.users.findByLogin('ivan'))!;
    const { html } = await page(env.admin, `/admin/users/${ivan.id}/`);
    for (const name of ['position', 'departmentId', 'phone', 'birthday', 'employee']) assert.match(html, new RegExp(`name="${name}"`), name);
    assert.match(html, /id="email-hint">Required; up to 255 characters; one user per address/);
    assert.match(html, /id="phone-hint">Digits, spaces, plus, brackets, hyphens and dots/);
    assert.match(html, /id="birthday-hint">A date such as 1990-05-17/);
    assert.match(html, /action="\/admin\/users\/\d+\/photo\/" enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf"/, 'the token is the first field, not in the URL');
    const fresh = await page(env.admin, '/admin/users/new/');
    assert.match(fresh.html, /id="login-hint">Required; 3 to 50 characters: latin letters, digits, dot, underscore, @ and hyphen\./);
  });

  it('edits position, department, phone, birthday and the employee flag', async () => {
    const k = env.t.kernel;
    const sales = await k.users.departments.create({ name: 'Sales' });
    const ivan = (await k.users.findByLogin('ivan'))!;
    const res = await submit(env.admin, `/admin/users/${ivan.id}/`, {
      email: 'ivan@example.com', name: 'Ivan', lastName: 'Petrov', active: '1',
      position: 'Account manager', departmentId: String(sales.id), phone: '+7 (495) 123-45-67 доб. 12', birthday: '1990-05-17', employee: ['0', '1'],
    });
    assert.equal(res.status, 302);
    const after = await k.users.get(ivan.id);
    assert.deepEqual([after.position, after.departmentId, after.phone, after.birthday, after.employee], ['Account manager', sales.id, '+7 (495) 123-45-67 доб. 12', '1990-05-17', true]);
    const form = (await page(env.admin, `/admin/users/${ivan.id}/`)).html;
    assert.match(form, /name="position" value="Account manager"/);
    assert.match(form, new RegExp(`<option value="${sales.id}" selected>`));

    const service = await submit(env.admin, `/admin/users/${ivan.id}/`, { email: 'ivan@example.com', active: '1', employee: '0', position: 'Account manager', departmentId: String(sales.id) });
    assert.equal(service.status, 302);
    assert.equal((await k.users.get(ivan.id)).employee, false, 'the unticked box (only the hidden 0) makes a service account');

    const bad = await submit(env.admin, `/admin/users/${ivan.id}/`, { email: 'ivan@example.com', active: '1', phone: 'call me', birthday: '1990-02-30' });
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /The phone may hold digits/);
    assert.match(bad.html, /name="phone" value="call me"/, 'the typed value is kept');
    const gone = await submit(env.admin, `/admin/users/${ivan.id}/`, { email: 'ivan@example.com', active: '1', departmentId: '999999' });
    assert.equal(gone.status, 400);
    assert.match(alertText(gone.html), /Choose a department from the list/);
    await k.users.update(ivan.id, { employee: true });
  });

  it('uploads and removes a user’s photo from the admin form', async () => {
    const ivan = (await env.t.kernel.users.findByLogin('ivan'))!;
    const csrf = await csrfOf(env.admin);
    const up = await uploadFile(env.admin, `/admin/users/${ivan.id}/photo/`, csrf, { field: 'photo', name: 'me.png', type: 'image/png', data: solidPng(8, 8) });
    assert.equal(up.status, 302);
    const photo = (await env.t.kernel.users.get(ivan.id)).photoFileId;
    assert.ok(photo);
    assert.match((await page(env.admin, `/admin/users/${ivan.id}/`)).html, /<img class="avatar avatar-lg" src="[^"]+"/);
    const notImage = await uploadFile(env.admin, `/admin/users/${ivan.id}/photo/`, csrf, { field: 'photo', name: 'x.png', type: 'image/png', data: Buffer.from('not an image') });
    assert.equal(notImage.status, 415);
    assert.match(alertText(await notImage.text()), /must be a PNG, JPEG, WebP or GIF image/);
    assert.equal((await env.t.kernel.users.get(ivan.id)).photoFileId, photo, 'the old photo stays');
    assert.equal((await submit(env.admin, `/admin/users/${ivan.id}/photo/delete/`)).status, 302);
    assert.equal((await env.t.kernel.users.get(ivan.id)).photoFileId, null);
  });

  it('refuses a second user with the same e-mail in any case, with a readable error, on create and on edit', async () => {
    const taken = await submit(env.admin, '/admin/users/new/', { login: 'ivan2', email: 'IVAN@Example.com', password: 'ivan2 password 1', active: '1' });
    assert.equal(taken.status, 409);
    assert.equal(alertText(taken.html), 'The e-mail address IVAN@Example.com already belongs to user ivan; each user needs an address of their own.');
    assert.equal(await env.t.kernel.users.findByLogin('ivan2'), null);
    const vera = (await env.t.kernel.users.findByLogin('vera'))!;
    const edit = await submit(env.admin, `/admin/users/${vera.id}/`, { email: 'boss@EXAMPLE.com', active: '1' });
    assert.equal(edit.status, 409);
    assert.match(alertText(edit.html), /already belongs to user boss/);
    assert.equal((await env.t.kernel.users.get(vera.id)).email, 'vera@example.com');
    assert.equal((await submit(env.admin, `/admin/users/${vera.id}/`, { email: 'VERA@example.com', active: '1' })).status, 302, 'one’s own address in another case is fine');
    await assert.rejects(env.t.kernel.users.create({ login: 'ivan3', email: 'ivan@EXAMPLE.COM' }), { code: 'USER_EMAIL_TAKEN', status: 409 });

    await env.t.kernel.sites.update('s1', { language: 'ru' });
    try {
      const ru = await submit(env.admin, '/admin/users/new/', { login: 'ivan2', email: 'ivan@example.com', password: 'ivan2 password 1', active: '1' });
      assert.equal(alertText(ru.html), 'Адрес ivan@example.com уже принадлежит пользователю ivan; у каждого пользователя должен быть свой адрес.');
    } finally {
      await env.t.kernel.sites.update('s1', { language: 'en' });
    }
  });

  it('holds one user per address in the database too (a unique index that ignores case)', async () => {
    const db = env.t.kernel.db('main');
    const row = { login: 'raw', email: 'Boss@Example.COM', name: '', last_name: '', active: true, created_at: 1, updated_at: 1 };
    await assert.rejects(db.write('users').insert(row));
    assert.equal((await db.write('users').where({ login: 'raw' }).first()) ?? null, null);
  });

  it('the index migration names the addresses several users share instead of failing blindly', async () => {
    const db = env.t.kernel.db('main');
    await uniqueUserEmails.down(db);
    try {
      await db.write('users').insert({ login: 'boss2', email: 'BOSS@example.com', name: '', last_name: '', active: true, created_at: 1, updated_at: 1 });
      await assert.rejects(uniqueUserEmails.up(db), (err: { code: string; message: string }) => {
        assert.equal(err.code, 'MIGRATION_FAILED');
        assert.match(err.message, /1 address is shared: boss@example\.com \(boss, boss2\)\. Give these users different addresses/);
        return true;
      });
      await db.write('users').where({ login: 'boss2' }).delete();
    } finally {
      await uniqueUserEmails.up(db);
    }
    await assert.rejects(db.write('users').insert({ login: 'boss3', email: 'boss@example.com', name: '', last_name: '', active: true, created_at: 1, updated_at: 1 }));
  });
});
