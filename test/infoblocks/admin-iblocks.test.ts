import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { alertText, assertCsrfRequired, chosen, page, root, startIbAdminEnv, submit, type IbAdminEnv } from './admin-harness.js';

describeEachDb('infoblocks admin: types and infoblocks', (kind) => {
  let env: IbAdminEnv;
  before(async () => {
    env = await startIbAdminEnv(kind);
  });
  after(async () => env.close());

  it('puts Infoblocks in the Content section of the admin menu through the manifest', async () => {
    const { status, html } = await page(env.admin, '/admin/');
    assert.equal(status, 200);
    const content = /Content<\/div>\s*<ul>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    assert.match(content, /<a href="\/admin\/infoblocks\/">Infoblocks<\/a>/);
    assert.match(content, /<a href="\/admin\/infoblocks\/types\/">Infoblock types<\/a>/);
    const list = await page(env.admin, '/admin/infoblocks/');
    assert.match(list.html, /<a href="\/admin\/infoblocks\/" aria-current="page">Infoblocks<\/a>/);
    assert.match((await page(env.admin, '/admin/infoblocks/types/')).html, /<a href="\/admin\/infoblocks\/types\/" aria-current="page">Infoblock types<\/a>/);
  });

  it('lists, adds, renames and deletes types; a type in use cannot be deleted', async () => {
    const added = await submit(env.admin, '/admin/infoblocks/types/', { code: 'news_type', nameEn: 'News', nameRu: 'Новости', sort: '10', sections: '1' });
    assert.equal(added.status, 302);
    assert.equal(added.location, '/admin/infoblocks/types/?done=created');
    const type = (await env.api.iblocks.listTypes()).find((t) => t.code === 'news_type')!;
    assert.deepEqual(type.names, { en: 'News', ru: 'Новости' });
    const list = await page(env.admin, '/admin/infoblocks/types/?done=created');
    assert.match(list.html, /role="status">Created\./);
    assert.match(list.html, /<code>news_type<\/code>/);

    const renamed = await submit(env.admin, `/admin/infoblocks/types/${type.id}/`, { nameEn: 'Company news', nameRu: 'Новости компании', sort: '20' });
    assert.equal(renamed.status, 302);
    assert.deepEqual((await env.api.types.get(type.id)).names, { en: 'Company news', ru: 'Новости компании' });
    assert.equal((await env.api.types.get(type.id)).sort, 20);
    assert.equal((await env.api.types.get(type.id)).code, 'news_type', 'the code is fixed');

    await env.api.iblocks.add(root, { typeId: type.id, code: 'uses_type', name: 'Uses the type' });
    const refused = await submit(env.admin, `/admin/infoblocks/types/${type.id}/delete/`);
    assert.equal(refused.status, 409);
    assert.match(alertText(refused.html), /still has infoblocks/);
    await env.api.iblocks.delete(root, (await env.api.iblocks.getByCode(root, 'uses_type')).id);
    const deleted = await submit(env.admin, `/admin/infoblocks/types/${type.id}/delete/`);
    assert.equal(deleted.status, 302);
    assert.equal((await env.api.iblocks.listTypes()).some((t) => t.code === 'news_type'), false);
  });

  it('re-renders an invalid type form with a readable 4xx error and keeps what was typed', async () => {
    const bad = await submit(env.admin, '/admin/infoblocks/types/', { code: '1bad code', nameEn: 'Bad', nameRu: 'Плохой' });
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /code "1bad code" may hold only latin letters, digits, "_" and "-", starting with a letter/);
    assert.doesNotMatch(alertText(bad.html), /[\^$\[\]]/, 'no regular expression in the message');
    assert.match(bad.html, /name="nameRu" value="Плохой"/);
    const taken = await submit(env.admin, '/admin/infoblocks/types/', { code: 'content', nameEn: 'Again' });
    assert.equal(taken.status, 409);
    const noName = await submit(env.admin, `/admin/infoblocks/types/${env.typeId}/`, { nameEn: '', sort: 'abc' });
    assert.equal(noName.status, 400);
    assert.match(alertText(noName.html), /sort must be a whole number/);
    assert.equal((await page(env.admin, '/admin/infoblocks/types/999999/')).status, 404);
    assert.equal((await page(env.admin, '/admin/infoblocks/types/abc/')).status, 404);
  });

  it('creates an infoblock with URL templates, flags and rights per group, then edits it', async () => {
    const form = await page(env.admin, `/admin/infoblocks/new/?type=${env.typeId}`);
    assert.equal(form.status, 200);
    const everyone = await env.t.kernel.groups.byCode('everyone');
    const registered = await env.t.kernel.groups.byCode('registered');
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    assert.deepEqual(chosen(form.html, `right_${registered.id}`), ['R'], 'signed-in employees read by default');
    assert.deepEqual(chosen(form.html, `right_${everyone.id}`), [''], 'visitors who are not signed in get nothing by default');
    const res = await submit(env.admin, '/admin/infoblocks/new/', {
      typeId: String(env.typeId), code: 'docs', name: 'Documents', siteId: 's1', sort: '100', active: '1',
      listUrl: '#SITE_DIR#/docs/', detailUrl: '#SITE_DIR#/docs/#ELEMENT_CODE#/', sectionUrl: '#SITE_DIR#/docs/#SECTION_CODE_PATH#/',
      sectionsEnabled: '1', workflow: '1', description: 'Company documents',
      [`right_${everyone.id}`]: 'R', [`right_${viewers.id}`]: 'W',
    });
    assert.equal(res.status, 302);
    const docs = await env.api.iblocks.getByCode(root, 'docs');
    assert.equal(res.location, `/admin/infoblocks/${docs.id}/properties/?done=created`);
    assert.equal(docs.siteId, 's1');
    assert.equal(docs.detailUrl, '#SITE_DIR#/docs/#ELEMENT_CODE#/');
    assert.equal(docs.workflow, true);
    assert.deepEqual(await env.api.iblocks.getRights(root, docs.id), { [everyone.id]: 'R', [viewers.id]: 'W' });

    const settings = await page(env.admin, `/admin/infoblocks/${docs.id}/settings/`);
    assert.match(settings.html, /name="detailUrl" value="#SITE_DIR#\/docs\/#ELEMENT_CODE#\/"/);
    assert.deepEqual(chosen(settings.html, `right_${viewers.id}`), ['W']);
    const saved = await submit(env.admin, `/admin/infoblocks/${docs.id}/settings/`, {
      typeId: String(env.typeId), code: 'docs', name: 'Documents and forms', siteId: '', sort: '100', active: '1', sectionsEnabled: '1',
      listUrl: '', detailUrl: '', sectionUrl: '', description: '', [`right_${everyone.id}`]: 'R',
    });
    assert.equal(saved.status, 302);
    const after = await env.api.iblocks.get(root, docs.id);
    assert.equal(after.name, 'Documents and forms');
    assert.equal(after.workflow, false, 'an unticked box turns the flag off');
    assert.equal(after.siteId, null);
    assert.deepEqual(await env.api.iblocks.getRights(root, docs.id), { [everyone.id]: 'R' });

    const list = await page(env.admin, `/admin/infoblocks/?type=${env.typeId}`);
    assert.match(list.html, /Documents and forms/);
  });

  it('refuses a bad infoblock form with a 4xx and an alert, never a 500', async () => {
    const everyone = await env.t.kernel.groups.byCode('everyone');
    const base = { typeId: String(env.typeId), code: 'ok_code', name: 'Fine', sort: '1' };
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...base, code: '' }, 400, /code is required/],
      [{ ...base, code: 'docs' }, 409, /already used/],
      [{ ...base, typeId: '' }, 400, /Choose the infoblock type/],
      [{ ...base, typeId: '987654' }, 404, /type 987654 does not exist/],
      [{ ...base, sort: '1.5' }, 400, /sort must be a whole number/],
      [{ ...base, [`right_${everyone.id}`]: 'Z' }, 400, /Level "Z" is not one of/],
    ];
    for (const [form, status, message] of cases) {
      const res = await submit(env.admin, '/admin/infoblocks/new/', form);
      assert.equal(res.status, status, JSON.stringify(form));
      assert.match(alertText(res.html), message);
      assert.match(res.html, /name="name" value="Fine"/, 'what was typed stays');
    }
    assert.equal((await env.api.iblocks.list(root)).some((b) => b.code === 'ok_code'), false);
    assert.equal((await page(env.admin, '/admin/infoblocks/424242/settings/')).status, 404);
  });

  it('deletes an infoblock after a confirmation page', async () => {
    const tmp = await env.api.iblocks.add(root, { typeId: env.typeId, code: 'tmp_block', name: 'Temporary' });
    const confirm = await page(env.admin, `/admin/infoblocks/${tmp.id}/delete/`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /Delete the infoblock &quot;Temporary&quot;\?/);
    const res = await submit(env.admin, `/admin/infoblocks/${tmp.id}/delete/`);
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/infoblocks/?done=deleted');
    await assert.rejects(env.api.iblocks.get(root, tmp.id), { code: 'IBLOCK_NOT_FOUND' });
  });

  it('lets the admin viewer look but not change: no buttons, 403 on every POST', async () => {
    const docs = await env.api.iblocks.getByCode(root, 'docs');
    const types = await page(env.viewer, '/admin/infoblocks/types/');
    assert.equal(types.status, 200);
    assert.doesNotMatch(types.html, /Add a type/);
    const list = await page(env.viewer, '/admin/infoblocks/');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.html, /Add an infoblock/);
    const settings = await page(env.viewer, `/admin/infoblocks/${docs.id}/settings/`);
    assert.equal(settings.status, 200);
    assert.match(settings.html, /<fieldset disabled>/);
    assert.doesNotMatch(settings.html, /type="submit"[^>]*>Save/);
    assert.equal((await page(env.viewer, '/admin/infoblocks/new/')).status, 403);
    assert.equal((await page(env.viewer, `/admin/infoblocks/${docs.id}/delete/`)).status, 403);
    for (const [path, form] of [
      ['/admin/infoblocks/types/', { code: 'sneaky', nameEn: 'Sneaky' }],
      [`/admin/infoblocks/types/${env.typeId}/`, { nameEn: 'Renamed' }],
      [`/admin/infoblocks/types/${env.typeId}/delete/`, {}],
      ['/admin/infoblocks/new/', { typeId: String(env.typeId), code: 'sneaky', name: 'Sneaky' }],
      [`/admin/infoblocks/${docs.id}/settings/`, { typeId: String(env.typeId), code: 'docs', name: 'Hacked' }],
      [`/admin/infoblocks/${docs.id}/delete/`, {}],
    ] as const) {
      const res = await submit(env.viewer, path, form);
      assert.equal(res.status, 403, `viewer POST ${path}`);
    }
    assert.equal((await env.api.iblocks.get(root, docs.id)).name, 'Documents and forms');
    assert.equal((await env.api.types.get(env.typeId)).names.en, 'Content');
  });

  it('keeps users without the admin area out, and refuses POSTs without the CSRF token', async () => {
    const docs = await env.api.iblocks.getByCode(root, 'docs');
    assert.equal((await page(env.user, '/admin/infoblocks/')).status, 403);
    assert.equal((await page(env.user, `/admin/infoblocks/${docs.id}/settings/`)).status, 403);
    await assertCsrfRequired(env.admin, '/admin/infoblocks/types/', { code: 'nocsrf', nameEn: 'No CSRF' });
    await assertCsrfRequired(env.admin, '/admin/infoblocks/new/', { typeId: String(env.typeId), code: 'nocsrf', name: 'No CSRF' });
    await assertCsrfRequired(env.admin, `/admin/infoblocks/${docs.id}/delete/`);
    assert.equal((await env.api.iblocks.listTypes()).some((t) => t.code === 'nocsrf'), false);
  });
});
