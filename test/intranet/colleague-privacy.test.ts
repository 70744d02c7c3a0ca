import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { PASSWORD, seedCompany } from './fixtures.js';

type ApiUser = Record<string, unknown> & { id: number };

/** Today as "MM-DD" in UTC, so the birthday widget lists Olga. */
const today = new Date().toISOString().slice(5, 10);

describeEachDb('what colleagues see of each other', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let employee: HttpClient;
  let admin: HttpClient;
  let olgaId: number;
  let annaId: number;

  const apiUsers = async (c: HttpClient, query = ''): Promise<ApiUser[]> => {
    const res = await c.get(`/api/v1/main/users${query}`);
    assert.equal(res.status, 200);
    return ((await res.json()) as { result: ApiUser[] }).result;
  };
  const olgaIn = async (c: HttpClient) => (await apiUsers(c)).find((u) => u.id === olgaId)!;
  const setOption = (name: string, value: boolean) => t.kernel.options.set('main', name, value);

  before(async () => {
    t = await bootTestKernel(kind);
    await seedCompany(t.kernel);
    const admins = await t.kernel.groups.byCode('administrators');
    await t.kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id], name: 'Big', lastName: 'Boss' });
    olgaId = (await t.kernel.users.findByLogin('olga'))!.id;
    annaId = (await t.kernel.users.findByLogin('anna'))!.id;
    await t.kernel.users.update(olgaId, { birthday: `1985-${today}` });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    employee = new HttpClient(server.url);
    await employee.signIn('anna', PASSWORD);
    admin = new HttpClient(server.url);
    await admin.signIn('boss', PASSWORD);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('the REST API gives an employee what a directory needs, no e-mail, login, year of birth or groups', async () => {
    const olga = await olgaIn(employee);
    assert.equal(olga.name, 'Ольга');
    assert.equal(olga.position, 'Экспорт-менеджер');
    assert.ok('departmentId' in olga && 'photoUrl' in olga);
    assert.equal(olga.phone, '+7 (495) 123-45-67', 'work phone: shown by default');
    assert.equal(olga.birthday, `--${today}`, 'day and month only');
    for (const hidden of ['email', 'login', 'groupIds', 'language', 'active']) assert.equal(hidden in olga, false, hidden);
    const one = await employee.get(`/api/v1/main/users/${olgaId}`);
    assert.equal(one.status, 200);
    assert.deepEqual(((await one.json()) as { result: ApiUser }).result, olga, 'one user: the same fields');
  });

  it('the REST API gives an administrator everything', async () => {
    const olga = await olgaIn(admin);
    assert.equal(olga.email, 'olga@example.com');
    assert.equal(olga.login, 'olga');
    assert.equal(olga.birthday, `1985-${today}`);
    assert.ok(Array.isArray(olga.groupIds));
    const one = (await (await admin.get(`/api/v1/main/users/${olgaId}`)).json()) as { result: ApiUser };
    assert.equal(one.result.email, 'olga@example.com');
  });

  it('searching does not reveal whose a hidden e-mail address or login is', async () => {
    const found = async (c: HttpClient, q: string) => (await apiUsers(c, `?search=${encodeURIComponent(q)}`)).map((u) => u.name);
    assert.deepEqual(await found(employee, 'olga@example'), [], 'e-mail hidden: no match by it');
    assert.deepEqual(await found(employee, 'olga'), [], 'nor by login');
    assert.deepEqual(names(await (await employee.get('/company/?q=olga%40example')).text()), []);
    assert.deepEqual(await found(employee, 'ольга'), ['Ольга'], 'names in any case and script');
    assert.deepEqual(await found(employee, 'экспорт'), ['Ольга'], 'and positions');
    assert.deepEqual(await found(admin, 'olga@example'), ['Ольга'], 'user editors search every field');
    await setOption('colleagues_see_email', true);
    try {
      assert.deepEqual(await found(employee, 'olga@example'), ['Ольга'], 'once e-mail is shown, by it too');
    } finally {
      await setOption('colleagues_see_email', false);
    }
  });

  it('"me" shows oneself everything', async () => {
    const me = ((await (await employee.get('/api/v1/main/me')).json()) as { result: ApiUser }).result;
    assert.equal(me.id, annaId);
    assert.equal(me.email, 'anna@example.com');
    assert.equal(me.login, 'anna');
    assert.ok(Array.isArray(me.groupIds));
  });

  it('the directory and profile pages follow the same rules', async () => {
    const directory = await (await employee.get('/company/')).text();
    assert.deepEqual(mailtos(directory), ['anna@example.com'], 'only one\'s own');
    assert.equal(phones(directory), 5, 'phones of all five');
    const table = await (await employee.get('/company/?view=table')).text();
    assert.deepEqual(mailtos(table), []);
    assert.doesNotMatch(table, /<th>E-mail<\/th>/);
    assert.match(table, /<th>Phone<\/th>/);
    const page = await (await employee.get(`/company/${olgaId}/`)).text();
    assert.doesNotMatch(page, /olga@example\.com|<code>olga<\/code>|1985/);
    assert.match(page, /Birthday/);
    const own = await (await employee.get(`/company/${annaId}/`)).text();
    assert.match(own, /anna@example\.com/, 'one\'s own page shows everything');
    const asAdmin = await (await admin.get(`/company/${olgaId}/`)).text();
    assert.match(asAdmin, /olga@example\.com/);
    assert.match(asAdmin, /<code>olga<\/code>/);
    assert.match(await (await admin.get('/company/')).text(), /mailto:olga@example\.com/);
  });

  it('the birthday widget shows the day, never the year, and nothing once birthdays are hidden', async () => {
    const html = await t.kernel.components.render(await stateOf(t, 'anna'), 'main.users.birthdays', {});
    assert.match(html, /Ольга Сидорова/);
    assert.doesNotMatch(html, /1985/);
    await setOption('colleagues_see_birthday', false);
    try {
      const hidden = await t.kernel.components.render(await stateOf(t, 'anna'), 'main.users.birthdays', {});
      assert.doesNotMatch(hidden, /Ольга/);
      assert.equal('birthday' in (await olgaIn(employee)), false, 'the API too');
      assert.doesNotMatch(await (await employee.get(`/company/${olgaId}/`)).text(), /Birthday/);
      assert.equal((await olgaIn(admin)).birthday, `1985-${today}`, 'administrators still see it');
    } finally {
      await setOption('colleagues_see_birthday', true);
    }
  });

  it('the administrator chooses in /admin/settings/main/ and it takes effect everywhere', async () => {
    const form = await (await admin.get('/admin/settings/main/')).text();
    for (const name of ['colleagues_see_email', 'colleagues_see_phone', 'colleagues_see_birthday']) assert.match(form, new RegExp(`name="value_${name}"`));
    const post = (values: Record<string, string>) => admin.post('/admin/settings/main/', { _csrf: HttpClient.csrfFrom(form), site: '', ...values });
    const keep = { value_site_title: '', value_directory_page_size: '20', value_security_log_days: '90', value_backup_schedule: '', value_backup_keep: '0' };
    assert.equal((await post({ ...keep, value_colleagues_see_email: '1', value_colleagues_see_birthday: '1' })).status, 302);
    try {
      const olga = await olgaIn(employee);
      assert.equal(olga.email, 'olga@example.com');
      assert.equal('phone' in olga, false, 'phone unticked');
      const directory = await (await employee.get('/company/')).text();
      assert.match(directory, /mailto:olga@example\.com/);
      assert.equal(phones(directory), 1, 'only one\'s own phone');
      assert.doesNotMatch(await (await employee.get(`/company/${olgaId}/`)).text(), /tel:/);
    } finally {
      assert.equal((await post({ ...keep, value_colleagues_see_phone: '1', value_colleagues_see_birthday: '1' })).status, 302);
    }
    assert.equal('email' in (await olgaIn(employee)), false);
  });
});

const names = (html: string) => [...html.matchAll(/<a class="person-name" href="\/company\/\d+\/">([^<]+)<\/a>/g)].map((m) => m[1]!);
const mailtos = (html: string) => [...html.matchAll(/href="mailto:([^"]+)"/g)].map((m) => m[1]!);
const phones = (html: string) => [...html.matchAll(/href="tel:/g)].length;

async function stateOf(t: TestKernel, login: string) {
  const user = (await t.kernel.users.findByLogin(login))!;
  const site = await t.kernel.sites.resolve('127.0.0.1');
  return { user, principal: await t.kernel.users.principalOf(user), language: 'en', site } as never;
}
