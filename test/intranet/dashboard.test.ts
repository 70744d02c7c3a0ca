import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { PASSWORD, seedCompany } from './fixtures.js';

describeEachDb('intranet dashboard', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let ivan: HttpClient;
  before(async () => {
    t = await bootTestKernel(kind);
    await seedCompany(t.kernel);
    const ivanId = (await t.kernel.users.findByLogin('ivan'))!.id;
    const today = new Date().toISOString().slice(5, 10);
    await t.kernel.users.update(ivanId, { birthday: `1990-${today}` });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    ivan = new HttpClient(server.url);
    assert.equal((await ivan.signIn('ivan', PASSWORD)).status, 302);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('sends anonymous visitors to the sign-in page', async () => {
    const res = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/auth/login/?back=%2F');
  });

  it('renders the dashboard components for a signed-in user', async () => {
    const res = await ivan.get('/');
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const name of ['main.welcome', 'main.users.new', 'main.company.stats', 'main.users.birthdays']) {
      assert.match(html, new RegExp(`data-component="${name.replace(/\./g, '\\.')}"`), `${name} is on the page`);
    }
    assert.match(html, /Welcome, Иван Петров/);
    assert.match(html, /Менеджер · Sales/, 'position and department in the greeting');
    assert.match(html, /href="\/profile\/"/, 'quick link to the profile');
    assert.doesNotMatch(html, /class="quick-link" href="\/admin\/"/, 'no admin link for a user without the right');
    assert.match(html, /<dt>Colleagues<\/dt><dd class="stat"><a href="\/company\/">5<\/a>/, 'employee count');
    assert.match(html, /<dt>Departments<\/dt><dd class="stat">3</);
    assert.match(html, /class="person-list birthdays"[\s\S]*Иван Петров[\s\S]*Today/, 'today\'s birthday');
    assert.match(html, /New colleagues[\s\S]*No Department/, 'newest colleague listed');
  });

  it('serves cached components and invalidates them on user events', async () => {
    const first = await (await ivan.get('/')).text();
    assert.match(first, /No Department/);
    // A write that bypasses UserService fires no event: the cached components keep the old text.
    const db = t.kernel.db('main');
    const nobody = (await t.kernel.users.findByLogin('nobody'))!;
    await db.write('users').where({ id: nobody.id }).update({ last_name: 'Sneaky' });
    const cached = await (await ivan.get('/')).text();
    assert.match(cached, /No Department/, 'served from the cache');
    assert.doesNotMatch(cached, /No Sneaky/);

    // main.user.updated invalidates them.
    await t.kernel.users.update(nobody.id, { lastName: 'Renamed' });
    const updated = await (await ivan.get('/')).text();
    assert.match(updated, /No Renamed/);

    // main.user.created: the newcomer heads the list and the count grows.
    await t.kernel.users.create({ login: 'fresh', email: 'fresh@example.com', name: 'Фёдор', lastName: 'Новиков' });
    const created = await (await ivan.get('/')).text();
    const firstNewcomer = /class="person-list users-new">\s*<li class="person">([\s\S]*?)<\/li>/.exec(created);
    assert.match(firstNewcomer?.[1] ?? '', /Фёдор Новиков/, 'newest first');
    assert.match(created, /<a href="\/company\/">6<\/a>/);

    // main.user.deleted
    const fresh = (await t.kernel.users.findByLogin('fresh'))!;
    await t.kernel.users.delete(fresh.id);
    const deleted = await (await ivan.get('/')).text();
    assert.doesNotMatch(deleted, /Фёдор Новиков/);
    assert.match(deleted, /<a href="\/company\/">5<\/a>/);
  });

  it('invalidates the greeting when the user edits the profile and the stats when a department is added', async () => {
    const me = (await t.kernel.users.findByLogin('ivan'))!;
    assert.match(await (await ivan.get('/')).text(), /Менеджер · Sales/);
    await t.kernel.users.update(me.id, { position: 'Руководитель отдела' });
    assert.match(await (await ivan.get('/')).text(), /Руководитель отдела · Sales/);
    await t.kernel.users.departments.create({ name: 'Logistics' });
    assert.match(await (await ivan.get('/')).text(), /<dt>Departments<\/dt><dd class="stat">4</);
  });

  it('shows the admin link to administrators only', async () => {
    const admins = await t.kernel.groups.byCode('administrators');
    await t.kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, name: 'Big', lastName: 'Boss', groupIds: [admins.id] });
    const boss = new HttpClient(server.url);
    await boss.signIn('boss', PASSWORD);
    assert.match(await (await boss.get('/')).text(), /class="quick-link" href="\/admin\/"/);
  });
});
