import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { PASSWORD, seedCompany } from './fixtures.js';

function names(html: string): string[] {
  return [...html.matchAll(/<a class="person-name" href="\/company\/\d+\/">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

describeEachDb('directory: ё and е are one letter; service accounts are not colleagues', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let c: HttpClient;
  const find = async (q: string) => names(await (await c.get(`/company/?q=${encodeURIComponent(q)}`)).text());

  before(async () => {
    t = await bootTestKernel(kind);
    await seedCompany(t.kernel);
    await t.kernel.users.create({ login: 'petr', email: 'petr@example.com', name: 'Пётр', lastName: 'Семёнов', position: 'Инженер' });
    await t.kernel.users.create({ login: 'petr2', email: 'petr2@example.com', name: 'Петр', lastName: 'Федоров', position: 'Инженер' });
    await t.kernel.users.create({ login: 'robot', email: 'robot@example.com', name: 'Сервисный', lastName: 'Робот', position: 'Инженер', employee: false, birthday: `1992-${new Date().toISOString().slice(5, 10)}` });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    c = new HttpClient(server.url);
    await c.signIn('anna', PASSWORD);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('Петр finds Пётр and Пётр finds Петр, in any case', async () => {
    assert.deepEqual(await find('Петр'), ['Иван Петров', 'Пётр Семёнов', 'Петр Федоров']);
    assert.deepEqual(await find('пётр'), ['Иван Петров', 'Пётр Семёнов', 'Петр Федоров']);
    assert.deepEqual(await find('Пётр Семёнов'.split(' ')[1]!.replace('ё', 'е')), ['Пётр Семёнов']);
    assert.deepEqual(await find('СЕМЕНОВ'), ['Пётр Семёнов']);
    assert.deepEqual(await find('Фёдоров'), ['Петр Федоров']);
    assert.deepEqual((await t.kernel.users.list({ search: 'семенов' })).items.map((u) => u.login), ['petr'], 'the users API too');
  });

  it('a service account is not listed as a colleague, nor counted, but stays in the admin list', async () => {
    const robot = (await t.kernel.users.findByLogin('robot'))!;
    assert.deepEqual(await find('Инженер'), ['Пётр Семёнов', 'Петр Федоров']);
    assert.equal((await c.get(`/company/${robot.id}/`)).status, 404);
    const home = await (await c.get('/')).text();
    assert.doesNotMatch(home, /Робот/, 'not among new colleagues or birthdays on the home page');
    assert.deepEqual((await t.kernel.users.list({ search: 'robot' })).items.map((u) => u.login), ['robot'], 'the admin list still has it');
    await t.kernel.users.update(robot.id, { employee: true });
    assert.deepEqual(await find('Робот'), ['Сервисный Робот'], 'ticking "a person of the company" lists it');
    await t.kernel.users.update(robot.id, { employee: false });
  });
});
