import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { DIRECTORY_PAGE_SIZE } from '../../modules/main/routes/intranet/company.js';
import { PASSWORD, seedCompany } from './fixtures.js';

/** Names of the people listed on a directory page, in order. */
function names(html: string): string[] {
  return [...html.matchAll(/<a class="person-name" href="\/company\/\d+\/">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

describeEachDb('intranet employee directory', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let c: HttpClient;
  let depts: { sales: number; exportDept: number; it: number };

  before(async () => {
    t = await bootTestKernel(kind);
    depts = await seedCompany(t.kernel);
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    c = new HttpClient(server.url);
    await c.signIn('anna', PASSWORD);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('lists active colleagues by last name with position, department and phone (e-mail only when the admin allows it)', async () => {
    const res = await c.get('/company/');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.deepEqual(names(html), ['No Department', 'Anna Smith', 'Борис Иванов', 'Иван Петров', 'Ольга Сидорова']);
    assert.match(html, /Developer/);
    assert.doesNotMatch(html, /href="mailto:olga@example.com"/, 'colleagues_see_email is off by default');
    assert.match(html, /href="tel:\+74951234567"/);
    assert.match(html, /<form class="card toolbar directory-search" method="get" action="\/company\/"/, 'a plain GET form: works without JavaScript');
    assert.match(html, /<script src="\/assets\/templates\/\.default\/directory\.js" defer><\/script>/, 'instant search only enhances it');
    assert.match(html, /<div id="directory-results" aria-live="polite">/);
    const js = await fetch(`${server.url}/assets/templates/.default/directory.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    const table = await (await c.get('/company/?view=table')).text();
    assert.match(table, /<table class="table directory-table">/);
    assert.match(table, /<td>Export<\/td>/);
  });

  it('hides blocked colleagues', async () => {
    const nobody = (await t.kernel.users.findByLogin('nobody'))!;
    await t.kernel.users.setActive(nobody.id, false);
    assert.ok(!names(await (await c.get('/company/')).text()).includes('No Department'));
    assert.equal((await c.get(`/company/${nobody.id}/`)).status, 404);
    await t.kernel.users.setActive(nobody.id, true);
  });

  it('searches by name in any case, Cyrillic too', async () => {
    assert.deepEqual(names(await (await c.get('/company/?q=smith')).text()), ['Anna Smith']);
    assert.deepEqual(names(await (await c.get(`/company/?q=${encodeURIComponent('иван')}`)).text()), ['Борис Иванов', 'Иван Петров'], 'first and last names');
    assert.deepEqual(names(await (await c.get(`/company/?q=${encodeURIComponent('ОЛЬГА')}`)).text()), ['Ольга Сидорова']);
    assert.deepEqual(names(await (await c.get(`/company/?q=${encodeURIComponent('Ёлка')}`)).text()), []);
    const html = await (await c.get(`/company/?q=${encodeURIComponent('Сидорова')}`)).text();
    assert.match(html, /name="q" value="Сидорова"/, 'the search box keeps the text');
  });

  it('shows a readable empty state when nobody matches', async () => {
    const html = await (await c.get('/company/?q=zzzz%25_')).text();
    assert.match(html, /class="empty-state" role="status"/);
    assert.match(html, /Nobody found/);
    assert.match(html, /No colleague matches “zzzz%_”/);
    assert.deepEqual(names(html), []);
  });

  it('filters by department, including the departments inside it', async () => {
    assert.deepEqual(names(await (await c.get(`/company/?department=${depts.sales}`)).text()), ['Иван Петров', 'Ольга Сидорова'], 'Sales and Sales › Export');
    assert.deepEqual(names(await (await c.get(`/company/?department=${depts.exportDept}`)).text()), ['Ольга Сидорова']);
    assert.deepEqual(names(await (await c.get(`/company/?department=${depts.it}&q=${encodeURIComponent('борис')}`)).text()), ['Борис Иванов']);
    const html = await (await c.get(`/company/?department=${depts.it}`)).text();
    assert.match(html, new RegExp(`<option value="${depts.it}" selected>`), 'the filter keeps its value');
    assert.match(html, /IT: 2/);
    assert.equal((await c.get('/company/?department=99999')).status, 404);
    assert.equal((await c.get('/company/?department=abc')).status, 400);
  });

  it('pages through many colleagues and keeps the filters in the links', async () => {
    for (let i = 0; i < DIRECTORY_PAGE_SIZE + 5; i++) {
      await t.kernel.users.create({ login: `clerk${i}`, email: `clerk${i}@example.com`, name: 'Clerk', lastName: `Zz${String(i).padStart(2, '0')}` });
    }
    const first = await (await c.get('/company/?q=clerk')).text();
    assert.equal(names(first).length, DIRECTORY_PAGE_SIZE);
    assert.equal(names(first)[0], 'Clerk Zz00');
    assert.match(first, /<span class="page-current" aria-current="page">1<\/span>/);
    assert.match(first, /href="\/company\/\?q=clerk&amp;page=2" rel="next"/);
    assert.match(first, /Page 1 of 2 · 25 in all/);
    const second = await (await c.get('/company/?q=clerk&page=2')).text();
    assert.deepEqual(names(second), ['Clerk Zz20', 'Clerk Zz21', 'Clerk Zz22', 'Clerk Zz23', 'Clerk Zz24']);
    assert.match(second, /href="\/company\/\?q=clerk" rel="prev"/);
    const past = await c.get('/company/?q=clerk&page=9');
    assert.equal(past.status, 302, 'past the end goes to the last page');
    assert.equal(past.headers.get('location'), '/company/?q=clerk&page=2');
    assert.equal((await c.get('/company/?page=0')).status, 400);
    assert.equal((await c.get('/company/?page=abc')).status, 400);
  });

  it('shows a colleague\'s page, and 404 for unknown or malformed ids', async () => {
    const olga = (await t.kernel.users.findByLogin('olga'))!;
    const res = await c.get(`/company/${olga.id}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1>Ольга Сидорова<\/h1>/);
    assert.match(html, /Экспорт-менеджер/);
    assert.match(html, new RegExp(`href="/company/\\?department=${depts.exportDept}">Export</a>`));
    assert.match(html, /<nav class="breadcrumbs"[\s\S]*Export[\s\S]*Ольга Сидорова/);
    for (const bad of ['999999', 'abc', '0', '-1', '1e3', '01']) {
      const r = await c.get(`/company/${bad}/`);
      assert.equal(r.status, 404, `/company/${bad}/`);
      assert.match(await r.text(), /Page not found/);
    }
  });

  it('needs the right to view users', async () => {
    const anon = await fetch(`${server.url}/company/`, { redirect: 'manual' });
    assert.equal(anon.status, 302);
    assert.equal(anon.headers.get('location'), '/auth/login/?back=%2Fcompany%2F');
  });

  it('shows the department tree and lets user editors add departments', async () => {
    const html = await (await c.get('/company/departments/')).text();
    assert.match(html, /<ul class="tree[^"]*">[\s\S]*Sales[\s\S]*<ul class="tree[^"]*">[\s\S]*Export/, 'Export nested in Sales');
    assert.doesNotMatch(html, /name="parentId"/, 'no form without main.users.edit');
    const denied = await c.post('/company/departments/', { _csrf: HttpClient.csrfFrom(html), name: 'Hackers' });
    assert.equal(denied.status, 403);

    const admins = await t.kernel.groups.byCode('administrators');
    await t.kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id] });
    const boss = new HttpClient(server.url);
    await boss.signIn('boss', PASSWORD);
    const form = await (await boss.get('/company/departments/')).text();
    assert.match(form, /name="parentId"/);
    const empty = await boss.post('/company/departments/', { _csrf: HttpClient.csrfFrom(form), name: '  ', parentId: '' });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /role="alert">Give the department a name/);
    const ok = await boss.post('/company/departments/', { _csrf: HttpClient.csrfFrom(form), name: 'Export Asia', parentId: String(depts.exportDept) });
    assert.equal(ok.status, 302);
    const created = (await t.kernel.users.departments.list()).find((d) => d.name === 'Export Asia')!;
    assert.equal(created.parentId, depts.exportDept);
    assert.deepEqual(await t.kernel.users.departments.withDescendants(depts.sales), [depts.sales, depts.exportDept, created.id]);
  });
});
