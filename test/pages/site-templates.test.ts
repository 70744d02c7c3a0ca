import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { pagesOf } from '../../core/pages/services.js';
import { newPlacement } from '../../core/pages/page-store.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootPages, PASSWORD, type PagesFixture } from './harness.js';

describeEachDb('site template selection', (kind) => {
  let f: PagesFixture;
  let server: RunningServer;
  let user: HttpClient;
  before(async () => {
    f = await bootPages(kind);
    server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
    user = new HttpClient(server.url);
    await user.signIn('ivan', PASSWORD);
  });
  after(async () => {
    await server.close();
    await f.close();
  });
  const rules = () => pagesOf(f.kernel).templates;
  const templateOf = (html: string) => /<body data-template="([^"]+)"/.exec(html)?.[1];

  it("uses the site's template when no rule matches", async () => {
    const site = await f.kernel.sites.get('s1');
    assert.equal(await rules().select(site, '/board/', 'en'), 'portal');
    assert.equal(templateOf(await (await user.get('/board/')).text()), 'portal');
  });

  it('switches the layout and the component templates by path prefix', async () => {
    const rule = await rules().create({ siteId: '*', kind: 'path_prefix', value: '/board/', template: 'board-theme', sort: 100, active: true });
    const list = await (await user.get('/board/')).text();
    assert.equal(templateOf(list), 'board-theme');
    assert.match(list, /class="board-theme-sections"/, "the site template's override of board.sections");
    assert.doesNotMatch(list, /class="board-sections"/);
    const topic = await (await user.get(`/board/topic/${f.topics.hello}/`)).text();
    assert.equal(templateOf(topic), 'board-theme');
    assert.match(topic, /class="board-topic"/, 'no override: the component template');
    assert.match(topic, /board\.topic\/templates\/\.default\/style\.css/, 'its CSS is still collected');
    assert.equal(templateOf(await (await user.get('/profile/password/')).text()), 'portal', 'other paths keep the site template');
    await rules().update(rule.id, { ...rule, value: '/profile/' });
    assert.equal(templateOf(await (await user.get('/profile/password/')).text()), 'board-theme', 'module routes use the selection too');
    await rules().remove(rule.id);
  });

  it('takes the first matching rule by sort order, for its site or every site', async () => {
    await f.kernel.sites.create({ id: 's2', name: 'Second', domains: ['second.test'], template: 'portal' }).catch(() => undefined);
    const s1 = await f.kernel.sites.get('s1');
    const s2 = await f.kernel.sites.get('s2');
    const a = await rules().create({ siteId: '*', kind: 'path_prefix', value: '/a/', template: 'board-theme', sort: 200, active: true });
    const b = await rules().create({ siteId: 's2', kind: 'path_prefix', value: '/a/', template: '.default', sort: 100, active: true });
    const c = await rules().create({ siteId: 's1', kind: 'language', value: 'ru', template: '.default', sort: 300, active: true });
    assert.equal(await rules().select(s1, '/a/b/', 'en'), 'board-theme');
    assert.equal(await rules().select(s2, '/a/b/', 'en'), '.default', 'the s2 rule sorts first');
    assert.equal(await rules().select(s1, '/x/', 'ru'), '.default', 'language rule');
    assert.equal(await rules().select(s2, '/x/', 'ru'), 'portal', 'the language rule is for s1 only');
    await rules().update(a.id, { ...a, active: false });
    assert.equal(await rules().select(s1, '/a/b/', 'en'), 'portal', 'inactive rules are ignored');
    for (const r of [a, b, c]) await rules().remove(r.id);
  });

  it("lets a page's own template win over the rules", async () => {
    const store = pagesOf(f.kernel).store;
    const page = await store.create({ siteId: 's1', path: '/themed/', title: 'Themed', template: 'board-theme' });
    await store.saveDraft(page.id, { ...store.editable(page), placements: [newPlacement({ component: 'board.sections' })] });
    await store.publish(page.id);
    const html = await (await user.get('/themed/')).text();
    assert.equal(templateOf(html), 'board-theme');
    assert.match(html, /board-theme-sections/);
  });

  it('refuses rules naming a missing template or a bad prefix', async () => {
    await assert.rejects(rules().create({ siteId: '*', kind: 'path_prefix', value: '/x/', template: 'nope', sort: 1, active: true }), /no site template "nope"/);
    await assert.rejects(rules().create({ siteId: '*', kind: 'path_prefix', value: 'x/', template: 'portal', sort: 1, active: true }), /must start with "\/"/);
    await assert.rejects(rules().create({ siteId: '*', kind: 'language', value: 'de', template: 'portal', sort: 1, active: true }), /must be en or ru/);
  });
});
