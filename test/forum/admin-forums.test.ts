import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import en from '../../modules/forum/lang/en-admin.js';
import ru from '../../modules/forum/lang/ru-admin.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { ADMIN, alertText, assertCsrfRequired, assertDenied, linkedForums, page, startForumAdminEnv, submit, type ForumAdminEnv } from './admin-harness.js';

describe('forum admin messages', () => {
  it('have the same keys in English and Russian, none empty, with the same #PARAMS#', () => {
    assert.deepEqual(Object.keys(ru).sort(), Object.keys(en).sort());
    const params = (s: string) => [...s.matchAll(/#([A-Z0-9_]+)#/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) {
      assert.ok(en[key]!.trim() && ru[key]!.trim(), `${key} has both texts`);
      assert.deepEqual(params(ru[key]!), params(en[key]!), key);
    }
  });

  it('are all used by the admin screens, and every FORUMA_ key they use exists', () => {
    const dirs = ['modules/forum/admin', 'modules/forum/views/admin'].map((d) => path.join(projectRoot, d));
    const source = dirs.flatMap((d) => readdirSync(d).map((f) => readFileSync(path.join(d, f), 'utf8'))).join('\n');
    const used = new Set(source.match(/FORUMA_[A-Z0-9_]*[A-Z0-9]/g));
    for (const key of used) assert.ok(key in en, `${key} is defined`);
    for (const key of Object.keys(en).filter((k) => k.startsWith('FORUMA_'))) assert.ok(used.has(key), `${key} is used`);
  });
});

describeEachDb('forum admin: forums and categories', (kind) => {
  let env: ForumAdminEnv;
  before(async function () {
    this.timeout(60_000);
    env = await startForumAdminEnv(kind);
  });
  after(async () => env?.close());

  it('creates a category and a forum in it, edits both, and deletes them with confirmation pages', async () => {
    const list0 = await page(env.admin, '/admin/forum/');
    assert.equal(list0.status, 200);
    assert.match(list0.html, /No forums on this site yet/);
    const cat = await submit(env.admin, '/admin/forum/categories/', { site: 's1', name: 'Company life', sort: '20' });
    assert.equal(cat.status, 302);
    const [category] = await env.api.forums.categories('s1');
    assert.deepEqual([category!.name, category!.sort], ['Company life', 20]);

    const created = await submit(env.admin, '/admin/forum/new/', { site: 's1', name: 'Canteen', description: 'Lunch talk', categoryId: String(category!.id), sort: '5', premoderation: '1' });
    assert.equal(created.status, 302);
    const id = Number(/\/admin\/forum\/(\d+)\/\?done=created/.exec(created.location ?? '')?.[1]);
    assert.ok(id > 0, `redirected to the new forum: ${created.location}`);
    const forum = await env.api.forums.get(ADMIN, id);
    assert.deepEqual([forum.name, forum.description, forum.categoryId, forum.sort, forum.premoderation, forum.siteId], ['Canteen', 'Lunch talk', category!.id, 5, true, 's1']);
    const levels = await env.api.forums.permissions(ADMIN, id);
    assert.equal(levels.get(env.people.groups.get('registered')!), 'M', 'a new forum lets employees start topics');

    const list = await page(env.admin, '/admin/forum/');
    assert.deepEqual(linkedForums(list.html), [id]);
    assert.match(list.html, /Company life/);
    assert.match(list.html, /Premoderation/);

    const form = await page(env.admin, `/admin/forum/${id}/`);
    assert.match(form.html, /name="name" value="Canteen"/);
    assert.match(form.html, new RegExp(`<option value="${category!.id}" selected>`));
    assert.match(form.html, /name="premoderation" value="1" checked/);
    const saved = await submit(env.admin, `/admin/forum/${id}/`, { name: 'Canteen & café', description: '', categoryId: '', sort: '7' });
    assert.deepEqual([saved.status, saved.location], [302, `/admin/forum/${id}/?done=saved`]);
    const edited = await env.api.forums.get(ADMIN, id);
    assert.deepEqual([edited.name, edited.description, edited.categoryId, edited.sort, edited.premoderation], ['Canteen & café', '', null, 7, false]);
    assert.match((await page(env.admin, `/admin/forum/${id}/?done=saved`)).html, /name="name" value="Canteen &amp; café"/);

    const catSaved = await submit(env.admin, `/admin/forum/categories/${category!.id}/`, { name: 'Life', sort: '30' });
    assert.equal(catSaved.status, 302);
    assert.deepEqual((await env.api.forums.categories('s1')).map((c) => [c.name, c.sort]), [['Life', 30]]);

    const confirm = await page(env.admin, `/admin/forum/${id}/delete/`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /Delete the forum &quot;Canteen &amp; café&quot;\?|Delete the forum "Canteen &amp; café"\?/);
    assert.match(confirm.html, /The forum has no topics/);
    const gone = await submit(env.admin, `/admin/forum/${id}/delete/`);
    assert.equal(gone.status, 302);
    await assert.rejects(env.api.forums.get(ADMIN, id), { code: 'FORUM_NOT_FOUND' });
    assert.equal((await env.api.forums.permissions(ADMIN, (await env.api.forums.create(ADMIN, { name: 'Probe' })).id)).size, 1, 'the module still creates forums');

    assert.equal((await page(env.admin, `/admin/forum/categories/${category!.id}/delete/`)).status, 200);
    assert.equal((await submit(env.admin, `/admin/forum/categories/${category!.id}/delete/`)).status, 302);
    assert.deepEqual(await env.api.forums.categories('s1'), []);
  });

  it('refuses to delete a category with forums, and a forum with topics until the topics are confirmed, leaving everything in place', async () => {
    const category = await env.api.forums.createCategory(ADMIN, { name: 'Busy' });
    const forum = await env.api.forums.create(ADMIN, { name: 'Talk', categoryId: category.id });
    const refused = await submit(env.admin, `/admin/forum/categories/${category.id}/delete/`);
    assert.equal(refused.status, 409);
    assert.match(alertText(refused.html), /still holds 1 forum/);
    assert.equal((await env.api.forums.categories('s1')).filter((c) => c.id === category.id).length, 1);

    const ann = env.people.principals.get('ann')!;
    const { topic } = await env.api.createTopic(ann, { forumId: forum.id, title: 'Hello', body: 'first' });
    await env.api.reply(ann, { topicId: topic.id, body: 'second' });
    const confirm = await page(env.admin, `/admin/forum/${forum.id}/delete/`);
    assert.match(confirm.html, /The forum has 1 topic\(s\) with 2 message\(s\)/);
    assert.match(confirm.html, /name="withTopics" value="1"/);
    assert.match(confirm.html, /Delete the forum and its 1 topic\(s\)/);

    // A confirmation given for an empty forum (no withTopics) does not delete the topics that arrived since.
    const unconfirmed = await submit(env.admin, `/admin/forum/${forum.id}/delete/`);
    assert.equal(unconfirmed.status, 409);
    assert.match(alertText(unconfirmed.html), /The forum has 1 topic\(s\): confirm/);
    assert.equal((await env.api.topic(ADMIN, topic.id)).title, 'Hello', 'nothing was deleted');

    const all = await submit(env.admin, `/admin/forum/${forum.id}/delete/`, { withTopics: '1' });
    assert.equal(all.status, 302);
    await assert.rejects(env.api.forums.get(ADMIN, forum.id), { code: 'FORUM_NOT_FOUND' });
    await assert.rejects(env.api.topic(ADMIN, topic.id), { code: 'FORUM_TOPIC_NOT_FOUND' });
    assert.deepEqual(await env.api.search(ADMIN, 'second'), [], 'the search index forgot its messages');
    await env.api.admin.deleteCategory(ADMIN, category.id);
  });

  it('shows a bad form again with a role=alert error and writes nothing', async () => {
    const before = (await env.api.forums.list(ADMIN, 's1')).length;
    const noName = await submit(env.admin, '/admin/forum/new/', { site: 's1', name: '   ', sort: '1', description: 'kept <b>' });
    assert.equal(noName.status, 400);
    assert.match(alertText(noName.html), /name/i);
    assert.match(noName.html, /kept &lt;b&gt;<\/textarea>/, 'the form keeps what was typed, escaped');
    const badSort = await submit(env.admin, '/admin/forum/new/', { site: 's1', name: 'X', sort: 'ten' });
    assert.equal(badSort.status, 400);
    assert.match(alertText(badSort.html), /whole number/);
    const badCategory = await submit(env.admin, '/admin/forum/new/', { site: 's1', name: 'X', sort: '1', categoryId: '99999' });
    assert.equal(badCategory.status, 404);
    assert.match(alertText(badCategory.html), /Forum category 99999 does not exist/);
    const badSite = await submit(env.admin, '/admin/forum/new/', { site: 'nowhere', name: 'X', sort: '1' });
    assert.equal(badSite.status, 400);
    assert.match(alertText(badSite.html), /Site &quot;nowhere&quot; does not exist/);
    const longName = await submit(env.admin, '/admin/forum/new/', { site: 's1', name: 'n'.repeat(256), sort: '1' });
    assert.equal(longName.status, 400);
    assert.equal((await env.api.forums.list(ADMIN, 's1')).length, before, 'no forum was made');

    const forum = await env.api.forums.create(ADMIN, { name: 'Keep me', sort: 3 });
    const badEdit = await submit(env.admin, `/admin/forum/${forum.id}/`, { name: '', sort: '-1' });
    assert.equal(badEdit.status, 400);
    assert.equal((await env.api.forums.get(ADMIN, forum.id)).name, 'Keep me');
    const badCat = await submit(env.admin, '/admin/forum/categories/', { site: 's1', name: '', sort: '1' });
    assert.equal(badCat.status, 400);
    assert.match(badCat.html, /role="alert"/);
    assert.equal((await page(env.admin, '/admin/forum/abc/')).status, 404);
    assert.equal((await page(env.admin, '/admin/forum/99999/')).status, 404);
  });

  it('speaks Russian to an administrator who reads Russian, errors included', async () => {
    const boss = await env.t.kernel.users.findByLogin('boss');
    await env.t.kernel.users.update(boss!.id, { language: 'ru' });
    try {
      const list = await page(env.admin, '/admin/forum/');
      assert.match(list.html, /Добавить форум/);
      assert.match(list.html, /href="\/admin\/forum\/moderation\/">Очередь модерации</);
      const bad = await submit(env.admin, '/admin/forum/new/', { site: 's1', name: '', sort: 'x' });
      assert.equal(bad.status, 400);
      assert.equal(alertText(bad.html), 'Введите название.');
      const badSort = await submit(env.admin, '/admin/forum/new/', { site: 's1', name: 'Имя', sort: 'x' });
      assert.equal(alertText(badSort.html), 'Сортировка должна быть целым числом от 0 до 1000000.');
      const words = await submit(env.admin, '/admin/forum/bad-words/', { action: 'save', words: '*' });
      assert.match(alertText(words.html), /не подходит/);
    } finally {
      await env.t.kernel.users.update(boss!.id, { language: 'en' });
    }
  });

  it('is refused to users without forum.manage (403, logged) and to posts without the CSRF token', async () => {
    const forum = await env.api.forums.create(ADMIN, { name: 'Guarded' });
    for (const path of ['/admin/forum/', '/admin/forum/new/', `/admin/forum/${forum.id}/`, `/admin/forum/${forum.id}/delete/`, '/admin/forum/permissions/', '/admin/forum/bad-words/']) {
      await assertDenied(env, env.viewer, 'GET', path);
      await assertDenied(env, env.user, 'GET', path);
    }
    await assertDenied(env, env.viewer, 'POST', `/admin/forum/${forum.id}/delete/`, { withTopics: '1' });
    await assertDenied(env, env.viewer, 'POST', '/admin/forum/new/', { site: 's1', name: 'Sneaky', sort: '1' });
    await assertDenied(env, env.viewer, 'POST', '/admin/forum/categories/', { site: 's1', name: 'Sneaky', sort: '1' });
    assert.equal((await env.api.forums.get(ADMIN, forum.id)).name, 'Guarded');
    assert.ok(!(await env.api.forums.list(ADMIN, 's1')).some((f) => f.name === 'Sneaky'));
    await assertCsrfRequired(env.admin, `/admin/forum/${forum.id}/delete/`, { withTopics: '1' });
    await assertCsrfRequired(env.admin, '/admin/forum/new/', { site: 's1', name: 'No token', sort: '1' });
    assert.equal((await env.api.forums.get(ADMIN, forum.id)).name, 'Guarded');

    const menu = (await page(env.admin, '/admin/')).html;
    for (const href of ['/admin/forum/', '/admin/forum/permissions/', '/admin/forum/moderation/', '/admin/forum/bad-words/']) assert.match(menu, new RegExp(`href="${href}"`));
    const viewerMenu = (await page(env.viewer, '/admin/')).html;
    assert.doesNotMatch(viewerMenu, /href="\/admin\/forum\/"/);
    assert.match(viewerMenu, /href="\/admin\/forum\/moderation\/"/, 'the queue entry shows to the admin area; its screen says who moderates');
  });
});
