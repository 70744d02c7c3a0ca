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
    assert.deepEqual(result.modules, ['main', 'forum', 'infoblocks'], 'the demo brings the forum along');
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

  it('keeps the news private: anonymous visitors get no page and no picture until the admin opens both', async () => {
    await withKernel(env, async (k) => {
      const server = await startServer(k, { host: '127.0.0.1', port: 0 });
      try {
        const staff = new HttpClient(server.url);
        await staff.signIn(ADMIN.adminLogin, ADMIN.adminPassword);
        const detail = await (await staff.get('/news/new-office-opens/')).text();
        const picture = /<img class="ib-detail-picture" src="([^"]+)"/.exec(detail)![1]!;
        const [, id, key, name] = /^\/upload\/(\d+)\/([A-Za-z0-9_-]{22})\/([^/]+)$/.exec(picture) ?? [];
        assert.ok(id && key && name, `the picture URL carries a random key: ${picture}`);

        const anonymous = new HttpClient(server.url);
        const signIn = async (path: string) => {
          const res = await anonymous.get(path);
          await res.body?.cancel();
          return res.status === 302 && (res.headers.get('location') ?? '').startsWith('/auth/login/') ? 'login' : res.status;
        };
        assert.equal(await signIn('/news/'), 'login');
        assert.equal(await signIn(picture), 'login', 'the picture is refused like the page');
        assert.equal((await staff.get(picture)).status, 200, 'signed in, it is served');

        const news = (await k.api('infoblocks').iblocks.list(admin)).find((i) => i.code === 'news')!;
        const groups = await k.groups.list();
        const group = (code: string) => groups.find((g) => g.code === code)!.id;
        assert.deepEqual(await k.api('infoblocks').iblocks.getRights(admin, news.id), { [group('registered')]: 'R' }, 'the demo news is for employees');
        await k.api('infoblocks').iblocks.setRights(admin, news.id, { [group('registered')]: 'R', [group('everyone')]: 'R' });
        assert.equal(await signIn(picture), 'login', 'readable by everyone, but the portal is still private');

        const form = HttpClient.csrfFrom(await (await staff.get('/admin/rights/main/')).text());
        assert.equal((await staff.post('/admin/rights/main/public/', { _csrf: form, access: 'open' })).status, 302);
        assert.equal(await signIn('/news/'), 200);
        const image = await anonymous.get(picture);
        assert.equal(image.status, 200, 'open portal and a readable infoblock: anonymous gets it');
        assert.equal(image.headers.get('content-type'), 'image/png');
        await image.body?.cancel();

        const wrong = `/upload/${id}/${key.slice(0, 21)}${key.endsWith('A') ? 'B' : 'A'}/${name}`;
        for (const c of [anonymous, staff]) {
          for (const path of [wrong, `/upload/${id}/${name}`, `/upload/${id}/`, `/upload/${id}`]) {
            const res = await c.get(path);
            await res.body?.cancel();
            assert.equal(res.status, 404, `${path}: a wrong or missing key is a 404, for the admin too`);
          }
        }
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
