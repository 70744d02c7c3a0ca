import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { purgeUnconfirmed } from '../../modules/main/accounts/registration.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { deliverMail, linkIn } from '../harness/mail-delivery.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';

const PASSWORD = 'my own password 7';

describeEachDb('self-registration', (kind) => {
  let smtp: TestSmtpServer;
  let t: TestKernel;
  let server: RunningServer;

  const allow = (on: boolean) => t.kernel.options.set('main', 'allow_registration', on);
  const fields = (over: Record<string, string> = {}) => ({ name: 'Nina', lastName: 'Novak', email: 'nina@example.com', login: 'nina', password: PASSWORD, password2: PASSWORD, ...over });

  /** Posts the registration form from a fresh browser (or `client`). */
  async function register(form: Record<string, string>, client = new HttpClient(server.url)): Promise<{ status: number; html: string }> {
    const page = await (await client.get('/auth/register/')).text();
    const res = await client.post('/auth/register/', { _csrf: HttpClient.csrfFrom(page), ...form });
    return { status: res.status, html: await res.text() };
  }

  before(async () => {
    smtp = await startSmtpServer();
    t = await bootTestKernel(kind, { overrides: { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' }, security: { loginMaxAttempts: 3 } } });
    await t.kernel.users.create({ login: 'olga', email: 'olga@example.com', password: PASSWORD, name: 'Olga', lastName: 'Owner' });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
    await smtp?.stop();
  });
  beforeEach(async () => {
    await t.kernel.db('main').write('login_attempts').delete();
    await allow(true);
  });

  it('is a 404 while "Let visitors register" is off, and the sign-in page links to it only while it is on', async () => {
    await allow(false);
    assert.equal((await fetch(`${server.url}/auth/register/`)).status, 404);
    const login = await (await fetch(`${server.url}/auth/login/`)).text();
    assert.doesNotMatch(login, /href="\/auth\/register\/"/);
    const visitor = new HttpClient(server.url);
    const form = await (await visitor.get('/auth/login/')).text();
    assert.equal((await visitor.post('/auth/register/', { _csrf: HttpClient.csrfFrom(form), ...fields({ login: 'sneaky', email: 'sneaky@example.com' }) })).status, 404);
    assert.equal(await t.kernel.users.findByLogin('sneaky'), null);
    await allow(true);
    assert.equal((await fetch(`${server.url}/auth/register/`)).status, 200);
    assert.match(await (await fetch(`${server.url}/auth/login/`)).text(), /<a href="\/auth\/register\/">Register<\/a>/);
  });

  it('makes an inactive account, mails a confirmation link, and the account signs in once confirmed', async () => {
    const answer = await register(fields());
    assert.equal(answer.status, 200);
    assert.match(answer.html, /Almost done: we sent a link to nina@example\.com/);
    const nina = (await t.kernel.users.findByLogin('nina'))!;
    assert.equal(nina.active, false);
    assert.deepEqual([nina.name, nina.lastName, nina.email], ['Nina', 'Novak', 'nina@example.com']);
    const visitor = new HttpClient(server.url);
    const signIn = await visitor.signIn('nina', PASSWORD);
    assert.equal(signIn.status, 403);
    assert.match(await signIn.text(), /Confirm your e-mail address first/);

    const msg = await deliverMail(t.kernel, smtp, 'USER_REGISTRATION_CONFIRM', 'nina@example.com');
    assert.equal(msg.subject, 'Intranet: confirm your e-mail address');
    const link = new URL(linkIn(msg));
    assert.equal(link.pathname, '/auth/confirm/');
    assert.equal((await t.kernel.users.find(nina.id))!.active, false, 'opening the link alone (a mail scanner) activates nothing');
    const page = await (await visitor.get(link.pathname + link.search)).text();
    assert.match(page, /Activate the account nina/);
    const confirmed = await visitor.post('/auth/confirm/', { _csrf: HttpClient.csrfFrom(page), token: link.searchParams.get('token')! });
    assert.equal(confirmed.headers.get('location'), '/auth/login/?done=confirmed');
    assert.equal((await t.kernel.users.find(nina.id))!.active, true);
    assert.equal((await visitor.signIn('nina', PASSWORD)).status, 302);
    const other = new HttpClient(server.url);
    const otherPage = await (await other.get('/auth/login/')).text();
    const again = await other.post('/auth/confirm/', { _csrf: HttpClient.csrfFrom(otherPage), token: link.searchParams.get('token')! });
    assert.equal(again.status, 400, 'the link works once');
  });

  it('refuses bad input with a readable error, a 4xx and the values kept; a form without its token changes nothing', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [fields({ login: 'p1', email: 'p1@example.com', lastName: '' }), 400, /Enter your first and last name\./],
      [fields({ login: 'p2x', email: 'p2@example.com', password: 'short', password2: 'short' }), 400, /does not meet the rule/],
      [fields({ login: 'p3x', email: 'p3@example.com', password2: 'another password 7' }), 400, /confirmation differ/],
      [fields({ login: 'olga', email: 'p4@example.com' }), 409, /This login is taken; choose another\./],
      [fields({ login: 'p5 bad', email: 'p5@example.com' }), 400, /3–50 characters: latin letters/],
      [fields({ login: 'p6x', email: 'not-an-address' }), 400, /Enter an e-mail address such as/],
    ];
    for (const [form, status, message] of cases) {
      await t.kernel.db('main').write('login_attempts').delete();
      const res = await register(form);
      assert.equal(res.status, status, JSON.stringify(form));
      assert.match(res.html, message);
      assert.match(res.html, new RegExp(`name="email" value="${form.email}"`), 'values kept');
      assert.doesNotMatch(res.html, new RegExp(`value="${PASSWORD}"`), 'passwords are not sent back');
    }
    const noToken = await fetch(`${server.url}/auth/register/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields({ login: 'nocsrf', email: 'nocsrf@example.com' })).toString() });
    assert.equal(noToken.status, 403);
    assert.equal(await t.kernel.users.findByLogin('nocsrf'), null);
  });

  it('gives the same answer for an address that has an account, and mails its owner instead of making one', async () => {
    const res = await register(fields({ login: 'olga2', email: 'OLGA@example.com' }));
    assert.equal(res.status, 200);
    assert.match(res.html, /Almost done: we sent a link to OLGA@example\.com/);
    assert.equal(await t.kernel.users.findByLogin('olga2'), null);
    const msg = await deliverMail(t.kernel, smtp, 'USER_REGISTRATION_EXISTS', 'olga@example.com');
    assert.equal(msg.subject, 'Intranet: you already have an account');
    assert.match(msg.text, /already belongs to the account olga/);
    assert.match(msg.text, /\/auth\/forgot\//);
  });

  it('deletes an account whose confirmation link expired unused, and keeps confirmed ones', async () => {
    await register(fields({ login: 'late', email: 'late@example.com' }));
    const late = (await t.kernel.users.findByLogin('late'))!;
    await deliverMail(t.kernel, smtp, 'USER_REGISTRATION_CONFIRM', 'late@example.com');
    assert.equal(await purgeUnconfirmed(t.kernel), 0, 'not before the link expires');
    await t.kernel.db('main').write('account_tokens').where({ user_id: late.id }).update({ expires_at: Date.now() - 1 });
    assert.equal(await purgeUnconfirmed(t.kernel), 1);
    assert.equal(await t.kernel.users.find(late.id), null);
    assert.equal((await t.kernel.users.findByLogin('nina'))?.active, true, 'a confirmed account stays');
    assert.ok((await t.kernel.agents.list()).some((a) => a.module === 'main' && a.name === 'registrations.purge'), 'an agent runs it');
  });

  it('is throttled per client like sign-in', async () => {
    const client = new HttpClient(server.url);
    for (let i = 0; i < 3; i++) await register(fields({ login: `t${i}x`, email: `t${i}@example.com`, lastName: '' }), client);
    const refused = await register(fields({ login: 't9x', email: 't9@example.com' }), client);
    assert.equal(refused.status, 429);
    assert.match(refused.html, /Too many requests from here; try again in/);
    assert.match(refused.html, /name="login" value="t9x"/);
    assert.equal(await t.kernel.users.findByLogin('t9x'), null);
  });
});
