import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { HttpClient } from '../harness/http-client.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { PASSWORD, seedCompany } from './fixtures.js';

/** The text of the error card (the page body without the layout), tags removed. */
function cardText(html: string): string {
  const card = /<div class="card narrow">([\s\S]*?)<a class="btn"/.exec(html)?.[1];
  assert.ok(card, 'the page has an error card');
  return card.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describeEachDb('error pages speak the visitor’s language and name the right in words', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let ivan: HttpClient;

  before(async () => {
    t = await bootTestKernel(kind);
    await seedCompany(t.kernel);
    // Registered users may use the portal, but not see the employee directory.
    const staff = await t.kernel.groups.create({ code: 'portal_only', name: 'Portal only' });
    await t.kernel.rights.setLevel('main', (await t.kernel.groups.byCode('registered')).id, 'D');
    await t.kernel.rights.setLevel('main', staff.id, 'D');
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    ivan = new HttpClient(server.url);
    assert.equal((await ivan.signIn('ivan', PASSWORD)).status, 302);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('a 403 in English names the operation by its title, not its code', async () => {
    const res = await ivan.get('/company/');
    assert.equal(res.status, 403);
    const text = cardText(await res.text());
    assert.match(text, /It needs the right “View the employee directory”/);
    assert.doesNotMatch(text, /main\.users\.view/);
  });

  it('a 403 in Russian is all in Russian', async () => {
    await t.kernel.sites.update('s1', { language: 'ru' });
    try {
      const res = await ivan.get('/company/');
      assert.equal(res.status, 403);
      const text = cardText(await res.text());
      assert.match(text, /Для этого нужно право «Просмотр списка сотрудников»/);
      assert.doesNotMatch(text, /[A-Za-z]/, `no English left: ${text}`);
      const json = await ivan.request('GET', '/company/', { headers: { accept: 'application/json' } });
      const body = (await json.json()) as { error: { code: string; details?: { operation?: string } } };
      assert.equal(body.error.code, 'ACCESS_DENIED');
      assert.equal(body.error.details?.operation, 'main.users.view', 'API clients get the operation');
    } finally {
      await t.kernel.sites.update('s1', { language: 'en' });
    }
  });

  it('a refused form and a bad request in Russian say what happened in Russian; the code is labelled for the administrator', async () => {
    await t.kernel.sites.update('s1', { language: 'ru' });
    try {
      const csrf = await ivan.post('/profile/', { _csrf: 'forged', name: 'X' });
      assert.equal(csrf.status, 403);
      assert.match(cardText(await csrf.text()), /Форма устарела или отправлена не с этого сайта/);
      await t.kernel.rights.setLevel('main', (await t.kernel.groups.byCode('registered')).id, 'R');
      const bad = await ivan.get('/company/?department=abc');
      assert.equal(bad.status, 400);
      const text = cardText(await bad.text());
      assert.match(text, /Выберите отдел из списка\./);
      assert.match(text, /Код ошибки для администратора: VALIDATION_FAILED/);
    } finally {
      await t.kernel.rights.setLevel('main', (await t.kernel.groups.byCode('registered')).id, 'D');
      await t.kernel.sites.update('s1', { language: 'en' });
    }
  });
});
