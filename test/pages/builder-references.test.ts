import assert from 'node:assert/strict';
import { checkReferences } from '../../core/components/references.js';
import type { ParamSchema } from '../../core/components/params.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { pagesOf } from '../../core/pages/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { admin as system, bootInfoblocks, type IbFixture } from '../infoblocks/fixture.js';

const PASSWORD = 'references pass 42';

/** The text of the placement's error box and of the error under the field `p_<param>`. */
function errorsOf(html: string, param: string): { box: string | undefined; field: string | undefined; invalid: boolean } {
  const box = /<div class="card placement"[\s\S]*?<div class="alert alert-error" role="alert">([^<]*)</.exec(html)?.[1];
  const input = new RegExp(`<input[^>]*name="p_${param}"[^>]*>`).exec(html)?.[0] ?? '';
  const field = new RegExp(`name="p_${param}"[\\s\\S]*?<span class="field-error"[^>]*>([^<]*)<`).exec(html)?.[1];
  return { box, field, invalid: input.includes('aria-invalid="true"') };
}

describeEachDb('page builder: component parameters that refer to other modules', (kind) => {
  let f: IbFixture;
  let server: RunningServer;
  let boss: HttpClient;
  let csrf: string;
  let pageId: number;
  let placement: string;

  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    await f.api.iblocks.add(system, { typeId: f.typeId, code: 'news', name: 'News' });
    await f.api.iblocks.add(system, { typeId: f.typeId, code: 'archive', name: 'Archive', active: false });
    const admins = await k.groups.byCode('administrators');
    await k.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id] });
    server = await startServer(k, { host: '127.0.0.1', port: 0 });
    boss = new HttpClient(server.url);
    assert.equal((await boss.signIn('boss', PASSWORD)).status, 302);
    csrf = HttpClient.csrfFrom(await (await boss.get('/admin/pages/')).text());
    const created = await boss.post('/admin/pages/', { _csrf: csrf, siteId: 's1', path: '/catalog/', title: 'Catalog', template: '', access: '' });
    pageId = Number(/\/admin\/pages\/(\d+)\//.exec(created.headers.get('location') ?? '')?.[1]);
    assert.ok(pageId > 0);
    assert.equal((await boss.post(`/admin/pages/${pageId}/placements/`, { _csrf: csrf, component: 'infoblocks.list', area: 'main' })).status, 302);
    placement = pagesOf(k).store.editable(await pagesOf(k).store.get(pageId)).placements[0]!.id;
  });
  after(async () => {
    await server?.close();
    await f?.t.close();
  });

  const save = (iblock: string) => boss.post(`/admin/pages/${pageId}/placements/${placement}/`, { _csrf: csrf, p_iblock: iblock, template: '.default', area: 'main' });
  const storedIblock = async () => pagesOf(f.t.kernel).store.editable(await pagesOf(f.t.kernel).store.get(pageId)).placements[0]!.params?.iblock;

  it('shows the limits of a parameter under its field before anything goes wrong, in the editor’s language', async () => {
    const en = await (await boss.get(`/admin/pages/${pageId}/`)).text();
    assert.match(en, /name="p_iblock"[^>]*maxlength="50"[^>]* required/);
    assert.match(en, /<span class="hint" id="[^"]*-iblock-hint">Required; up to 50 characters; the code or the id of an existing infoblock<\/span>/);
    assert.match(en, /<span class="hint" id="[^"]*-pageSize-hint">A whole number; from 1 to 100<\/span>/);
    await f.t.kernel.sites.update('s1', { language: 'ru' });
    try {
      const ru = await (await boss.get(`/admin/pages/${pageId}/`)).text();
      assert.match(ru, /-iblock-hint">Обязательно; до 50 символов; код или ID существующего инфоблока<\/span>/);
      assert.match(ru, /-filterName-hint">До 30 символов; строчные латинские буквы, цифры и _, начиная с буквы<\/span>/);
    } finally {
      await f.t.kernel.sites.update('s1', { language: 'en' });
    }
  });

  it('refuses to save an infoblock that does not exist, next to the field, and keeps the draft as it was', async () => {
    const res = await save('nosuch');
    assert.equal(res.status, 400);
    const html = await res.text();
    const e = errorsOf(html, 'iblock');
    assert.equal(e.box, 'Infoblock (code or id): there is no infoblock &quot;nosuch&quot; (give the code or the id of an existing infoblock)');
    assert.equal(e.field, e.box);
    assert.ok(e.invalid, 'the field is marked aria-invalid');
    assert.match(html, /name="p_iblock" value="nosuch"/, 'the submitted value is kept');
    assert.equal(await storedIblock(), undefined, 'nothing was saved');

    const inactive = await save('archive');
    assert.equal(inactive.status, 400);
    assert.match(errorsOf(await inactive.text(), 'iblock').field ?? '', /infoblock &quot;archive&quot; is not active/);
  });

  it('words the problem in Russian for a Russian editor', async () => {
    await f.t.kernel.sites.update('s1', { language: 'ru' });
    try {
      const res = await save('nosuch');
      assert.equal(res.status, 400);
      const e = errorsOf(await res.text(), 'iblock');
      assert.equal(e.field, 'Инфоблок (код или ID): инфоблока «nosuch» нет (укажите код или ID существующего инфоблока)');
      const long = await boss.post(`/admin/pages/${pageId}/placements/${placement}/`, { _csrf: csrf, p_iblock: 'news', p_pageSize: '500', template: '.default', area: 'main' });
      assert.equal(long.status, 400);
      assert.equal(errorsOf(await long.text(), 'pageSize').field, 'Элементов на странице: не больше 100');
    } finally {
      await f.t.kernel.sites.update('s1', { language: 'en' });
    }
  });

  it('saves an existing infoblock by code or id', async () => {
    assert.equal((await save('news')).status, 302);
    assert.equal(await storedIblock(), 'news');
    const news = await f.api.iblocks.getByCode(system, 'news');
    assert.equal((await save(String(news.id))).status, 302);
    assert.equal(await storedIblock(), String(news.id));
  });

  it('refuses to publish a draft whose infoblock has gone, and the page stays unpublished', async () => {
    const store = pagesOf(f.t.kernel).store;
    const content = store.editable(await store.get(pageId));
    await store.saveDraft(pageId, { ...content, placements: content.placements.map((p) => ({ ...p, params: { iblock: 'gone' } })) });
    const res = await boss.post(`/admin/pages/${pageId}/publish/`, { _csrf: csrf });
    assert.equal(res.status, 400);
    const e = errorsOf(await res.text(), 'iblock');
    assert.match(e.field ?? '', /there is no infoblock &quot;gone&quot;/);
    assert.ok(e.invalid);
    assert.equal((await store.get(pageId)).active, false);
    assert.equal((await fetch(`${server.url}/catalog/`)).status, 404);

    await store.saveDraft(pageId, { ...content, placements: content.placements.map((p) => ({ ...p, params: { iblock: 'news' } })) });
    assert.equal((await boss.post(`/admin/pages/${pageId}/publish/`, { _csrf: csrf })).status, 302);
    assert.equal((await store.get(pageId)).active, true);
    assert.equal((await fetch(`${server.url}/catalog/`)).status, 200);
  });

  it('asks the owning module through its API: main answers for groups, departments and users; a missing module is named', async () => {
    const k = f.t.kernel;
    const schema: ParamSchema = {
      group: { type: 'string', refers: { module: 'main', kind: 'group' } },
      department: { type: 'number', refers: { module: 'main', kind: 'department' } },
      user: { type: 'string', refers: { module: 'main', kind: 'user' } },
      topic: { type: 'number', refers: { module: 'forum', kind: 'topic' } },
      plain: { type: 'string' },
    };
    const api = (id: string) => (k.modules.isInstalled(id) ? k.api(id as never) : undefined);
    const dept = await k.users.departments.create({ name: 'Sales' });
    assert.deepEqual(await checkReferences({ api }, schema, { group: 'administrators', department: dept.id, user: 'boss', topic: 0, plain: 'x' }, 'en'), []);
    const problems = await checkReferences({ api }, schema, { group: 'nosuch', department: dept.id + 100, user: 'nobody', topic: 5 }, 'ru');
    assert.deepEqual(problems.map((p) => [p.param, p.message]), [
      ['group', 'группы пользователей «nosuch» нет (укажите её код или ID)'],
      ['department', `подразделения с ID «${dept.id + 100}» нет`],
      ['user', 'пользователя «nobody» нет (укажите ID или логин)'],
      ['topic', 'ссылается на модуль «forum», который не установлен'],
    ]);
    assert.equal(problems[0]!.en, 'there is no user group "nosuch" (give its code or id)');
    await k.users.departments.remove(dept.id);
  });
});
