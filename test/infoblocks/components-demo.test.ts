import assert from 'node:assert/strict';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { startServer } from '../../core/http/server.js';
import { pagesOf } from '../../core/pages/services.js';
import { installPortal } from '../../installer/install.js';
import { createTestEnv, describeEachDb, type TestEnv } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { listedNames } from './components-fixture.js';
import { admin } from './fixture.js';

const ADMIN = { adminLogin: 'chief', adminEmail: 'chief@example.com', adminPassword: 'Chief-pass-123' };

async function withKernel<T>(env: TestEnv, fn: (k: Kernel) => Promise<T>): Promise<T> {
  const kernel = await Kernel.boot(env.config, { log: silentLogger() });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}

/** What the demo made, to compare two runs. */
async function snapshot(k: Kernel) {
  const api = k.api('infoblocks');
  const news = (await api.iblocks.list(admin)).find((i) => i.code === 'news')!;
  const elements = await api.elements.list(admin, news.id, { pageSize: 100, order: { ID: 'ASC' } });
  const { store, menus } = pagesOf(k);
  return {
    types: (await api.iblocks.listTypes()).map((t) => t.code),
    iblocks: (await api.iblocks.list(admin)).map((i) => i.code),
    properties: (await api.properties.list(admin, news.id)).map((p) => `${p.code}:${p.type}:${p.enums.length}`),
    sections: (await api.sections.list(admin, news.id)).map((s) => s.codePath),
    elements: elements.items.map((e) => `${e.xmlId}:${e.code}:${e.previewPicture ? 'pic' : '-'}`),
    pages: (await store.list()).map((p) => `${p.siteId}${p.path}:${p.active}:${p.placements.map((x) => x.component).join(',')}`),
    menu: [...(await menus.stored('*', 'top')), ...(await menus.stored('*', 'left'))].map((i) => `${i.menu}:${i.href}`),
    files: Number(((await k.db('main').read('files').count({ n: '*' }).first()) as { n: unknown }).n),
  };
}

describeEachDb('portal install --demo: the News infoblock on the home page', (kind) => {
  let env: TestEnv;
  let first: Awaited<ReturnType<typeof snapshot>>;

  before(async () => {
    env = await createTestEnv(kind);
  });
  after(async () => env?.cleanup());

  it('creates the news infoblock with sections, properties, six elements and their pages', async () => {
    const result = await installPortal({ config: env.config, env: {}, demo: true, ...ADMIN });
    assert.deepEqual(result.modules, ['main', 'infoblocks']);
    first = await withKernel(env, snapshot);
    assert.deepEqual(first.types, ['news']);
    assert.deepEqual(first.iblocks, ['news']);
    assert.deepEqual(first.properties, ['SOURCE:string:0', 'IMPORTANCE:list:2', 'EVENT_DATE:date:0']);
    assert.deepEqual(first.sections, ['company', 'company/events', 'industry']);
    assert.equal(first.elements.length, 6);
    assert.ok(first.elements.every((e) => /^demo-news-\d:[a-z-]+:(pic|-)$/.test(e)));
    assert.equal(first.elements.filter((e) => e.endsWith(':pic')).length, 4);
    assert.deepEqual(first.pages, [
      's1/:true:main.welcome,infoblocks.list,main.users.new,main.company.stats,main.users.birthdays',
      's1/news/:true:infoblocks.catalog',
    ]);
    assert.ok(first.menu.includes('top:/news/') && first.menu.includes('left:/news/'));
  });

  it('adds nothing when it runs again', async () => {
    await installPortal({ config: env.config, env: {}, demo: true, force: true, ...ADMIN });
    assert.deepEqual(await withKernel(env, snapshot), first);
  });

  it('shows the latest news on the home page and the catalog on /news/', async () => {
    await withKernel(env, async (k) => {
      const server = await startServer(k, { host: '127.0.0.1', port: 0 });
      try {
        const c = new HttpClient(server.url);
        assert.equal((await c.signIn(ADMIN.adminLogin, ADMIN.adminPassword)).status, 302);
        const home = await (await c.get('/')).text();
        assert.match(home, /<div class="component" data-component="main\.welcome">[\s\S]*<div class="component" data-component="infoblocks\.list">/, 'news right after the welcome box');
        assert.deepEqual(listedNames(home), ['Our new office opens next month', 'Quarterly results: revenue up 12%', 'Summer team day: sign up by Friday', 'New expense policy from the first of the month']);
        assert.match(home, /<a class="card-link" href="\/news\/">All →<\/a>/);
        assert.match(home, /<a href="\/news\/new-office-opens\/">Our new office opens next month<\/a>/);
        assert.match(home, /data-component="main\.users\.new"/, 'the rest of the home page stays');

        const list = await c.get('/news/');
        assert.equal(list.status, 200);
        const listHtml = await list.text();
        assert.match(listHtml, /<nav class="ib-menu"/);
        assert.match(listHtml, /<form method="get" class="ib-filter-form">/);
        assert.equal(listedNames(listHtml).length, 5);

        const detail = await (await c.get('/news/new-office-opens/')).text();
        assert.match(detail, /<h1>Our new office opens next month<\/h1>/);
        assert.match(detail, /<h3>What changes for you<\/h3><ul><li>Packing boxes arrive on Wednesday\.<\/li>/, 'HTML detail text');
        const picture = /<img class="ib-detail-picture" src="([^"]+)"/.exec(detail)![1]!;
        const image = await c.get(picture);
        assert.equal(image.status, 200);
        assert.equal(image.headers.get('content-type'), 'image/png');
        assert.deepEqual([...new Uint8Array(await image.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
        const filtered = await (await c.get('/news/?nf.PROPERTY_SOURCE=finance')).text();
        assert.deepEqual(listedNames(filtered), ['Quarterly results: revenue up 12%']);
      } finally {
        await server.close();
      }
    });
  });
});

describeEachDb('portal install --demo without infoblocks', (kind) => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv(kind);
  });
  after(async () => env?.cleanup());

  it('adds the demo users only and leaves the home page to main', async () => {
    const result = await installPortal({ config: env.config, env: {}, demo: true, modules: [], ...ADMIN });
    assert.deepEqual(result.modules, ['main']);
    await withKernel(env, async (k) => {
      assert.ok(await k.users.findByLogin('ivan.petrov'));
      assert.deepEqual(await pagesOf(k).store.list(), []);
      const server = await startServer(k, { host: '127.0.0.1', port: 0 });
      try {
        const c = new HttpClient(server.url);
        await c.signIn(ADMIN.adminLogin, ADMIN.adminPassword);
        const home = await c.get('/');
        assert.equal(home.status, 200);
        assert.doesNotMatch(await home.text(), /infoblocks|placement-error/);
      } finally {
        await server.close();
      }
    });
  });
});
