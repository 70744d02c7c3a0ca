import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { PASSWORD, seedCompany } from './fixtures.js';

const alert = (html: string) => /role="alert"[^>]*>([^<]*)</.exec(html)?.[1]?.trim();
/** The people counts shown on a department's node of the chart. */
const countsOf = (html: string, id: number) => {
  const node = new RegExp(`data-department="${id}">([\\s\\S]*?)</div>\\s*</div>`).exec(html)?.[1] ?? '';
  return { own: /class="org-own">([^<]*)</.exec(node)?.[1], all: /class="org-all">([^<]*)</.exec(node)?.[1], head: /Head:<\/span> <a href="[^"]+">([^<]*)</.exec(node)?.[1] };
};

describeEachDb('intranet company structure: chart, rename, move, head, delete', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let anna: HttpClient;
  let boss: HttpClient;
  let csrf: string;
  let depts: { sales: number; exportDept: number; it: number };

  before(async () => {
    t = await bootTestKernel(kind);
    depts = await seedCompany(t.kernel);
    const admins = await t.kernel.groups.byCode('administrators');
    await t.kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id], employee: false });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    anna = new HttpClient(server.url);
    await anna.signIn('anna', PASSWORD);
    boss = new HttpClient(server.url);
    await boss.signIn('boss', PASSWORD);
    csrf = HttpClient.csrfFrom(await (await boss.get('/company/departments/')).text());
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('shows the tree with heads and people counts, saying which count includes sub-departments', async () => {
    const ivan = (await t.kernel.users.findByLogin('ivan'))!;
    await t.kernel.users.departments.update(depts.sales, { headUserId: ivan.id });
    const html = await (await anna.get('/company/departments/')).text();
    assert.deepEqual(countsOf(html, depts.sales), { own: 'People: 1', all: 'with sub-departments: 2', head: 'Иван Петров' });
    assert.deepEqual(countsOf(html, depts.exportDept), { own: 'People: 1', all: undefined, head: undefined });
    assert.match(html, /The first number counts the people of the department itself; “with sub-departments” adds everyone/);
    assert.doesNotMatch(html, /\/company\/departments\/\d+\//, 'no edit links without main.users.edit');
    assert.equal((await anna.get(`/company/departments/${depts.sales}/`)).status, 403);
  });

  it('renames, moves and sets the head; never moves a department under its own subtree', async () => {
    const olga = (await t.kernel.users.findByLogin('olga'))!;
    const form = await (await boss.get(`/company/departments/${depts.sales}/`)).text();
    assert.match(form, /name="name" value="Sales"/);
    const parents = /<select id="dept-parent"[\s\S]*?<\/select>/.exec(form)?.[0] ?? '';
    assert.match(parents, new RegExp(`<option value="${depts.it}"`));
    assert.doesNotMatch(parents, new RegExp(`<option value="(${depts.exportDept}|${depts.sales})"`), 'neither itself nor its own sub-department is offered as the parent');
    assert.doesNotMatch(form, /\(boss\)<\/option>/, 'a service account is not offered as a head');
    const saved = await boss.post(`/company/departments/${depts.exportDept}/`, { _csrf: csrf, name: 'Export & Import', parentId: String(depts.it), headUserId: String(olga.id), sort: '5' });
    assert.equal(saved.status, 302);
    const moved = await t.kernel.users.departments.get(depts.exportDept);
    assert.deepEqual([moved.name, moved.parentId, moved.headUserId, moved.sort], ['Export & Import', depts.it, olga.id, 5]);

    const loop = await boss.post(`/company/departments/${depts.it}/`, { _csrf: csrf, name: 'IT', parentId: String(depts.exportDept), headUserId: '', sort: '20' });
    assert.equal(loop.status, 400);
    assert.equal(alert(await loop.text()), 'A department cannot be moved inside itself or inside one of its own sub-departments.');
    assert.equal((await t.kernel.users.departments.get(depts.it)).parentId, null);
    await assert.rejects(t.kernel.users.departments.update(depts.it, { parentId: depts.it }), { code: 'DEPARTMENT_MOVE_INVALID' });
    await assert.rejects(t.kernel.users.departments.update(depts.it, { headUserId: 999999 }), { code: 'USER_FIELD_INVALID' });

    const empty = await boss.post(`/company/departments/${depts.it}/`, { _csrf: csrf, name: ' ', parentId: '', headUserId: '', sort: '20' });
    assert.equal(empty.status, 400);
    assert.match(alert(await empty.text()) ?? '', /Give the department a name/);
    await t.kernel.users.departments.update(depts.exportDept, { parentId: depts.sales });
  });

  it('refuses to delete a department with people or sub-departments, saying how many, and deletes an empty one', async () => {
    const refused = await boss.post(`/company/departments/${depts.sales}/delete/`, { _csrf: csrf });
    assert.equal(refused.status, 409);
    assert.equal(alert(await refused.text()), 'The department cannot be deleted while it has 1 person and 1 sub-department: move them to another department first.');
    await t.kernel.sites.update('s1', { language: 'ru' });
    try {
      const ru = await boss.post(`/company/departments/${depts.it}/delete/`, { _csrf: csrf });
      assert.equal(alert(await ru.text()), 'Отдел нельзя удалить, пока в нём 2 сотрудника и 0 подотделов: сначала переведите их в другой отдел.');
    } finally {
      await t.kernel.sites.update('s1', { language: 'en' });
    }
    const spare = await t.kernel.users.departments.create({ name: 'Spare' });
    const ask = await (await boss.get(`/company/departments/${spare.id}/delete/`)).text();
    assert.match(ask, /Delete the department “Spare”\?/);
    assert.equal((await boss.post(`/company/departments/${spare.id}/delete/`, { _csrf: csrf })).status, 302);
    await assert.rejects(t.kernel.users.departments.get(spare.id), { code: 'DEPARTMENT_NOT_FOUND' });
    assert.equal((await boss.post(`/company/departments/${spare.id}/delete/`, { _csrf: csrf })).status, 404);
  });

  it('forgets a deleted user as head', async () => {
    const head = await t.kernel.users.create({ login: 'temp.head', email: 'temp.head@example.com' });
    await t.kernel.users.departments.update(depts.it, { headUserId: head.id });
    await t.kernel.users.delete(head.id);
    assert.equal((await t.kernel.users.departments.get(depts.it)).headUserId, null);
  });
});
