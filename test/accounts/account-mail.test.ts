import assert from 'node:assert/strict';
import { discoverModules } from '../../core/modules/discover.js';
import { installPortal } from '../../installer/install.js';
import { startAdminEnv, submit, type AdminEnv } from '../admin/harness.js';
import { freshPortal, ok, runCli, withPortalKernel, type CliPortal } from '../cli/cli-harness.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { allTestSources } from '../harness/test-sources.js';
import { HttpClient } from '../harness/http-client.js';
import { deliverMail, linkIn, queuedCount } from '../harness/mail-delivery.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';

const PASSWORD = 'correct horse 42';

describeEachDb('account mail, where it happens', (kind) => {
  let smtp: TestSmtpServer;
  let env: AdminEnv;

  before(async () => {
    smtp = await startSmtpServer();
    env = await startAdminEnv(kind, { overrides: { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>' } } });
  });
  after(async () => {
    await env?.close();
    await smtp?.stop();
  });

  it('an account made in the admin form mails "Account created" with the login and the sign-in link', async () => {
    const res = await submit(env.admin, '/admin/users/new/', { login: 'olga', email: 'olga@example.com', name: 'Olga', lastName: 'Petrova', password: 'olga password 1', notify: '1' });
    assert.equal(res.status, 302, res.html.slice(0, 300));
    const quiet = await submit(env.admin, '/admin/users/new/', { login: 'oleg', email: 'oleg@example.com', name: 'Oleg', lastName: 'Petrov', password: 'oleg password 1' });
    assert.equal(quiet.status, 302);
    const msg = await deliverMail(env.t.kernel, smtp, 'USER_INFO', 'olga@example.com');
    assert.match(msg.text, /Hello Olga Petrova,/);
    assert.match(msg.text, /Login: olga/);
    assert.match(linkIn(msg), /^http:\/\/[^/]+\/auth\/login\/$/);
    assert.equal(await queuedCount(env.t.kernel, 'USER_INFO', 'oleg@example.com'), 0, '"Mail the account" unticked: no mail');
  });

  it('a password changed on the profile mails "Password changed" to its owner', async () => {
    const c = new HttpClient(env.server.url);
    assert.equal((await c.signIn('ivan', PASSWORD)).status, 302);
    const csrf = HttpClient.csrfFrom(await (await c.get('/profile/password/')).text());
    const res = await c.post('/profile/password/', { _csrf: csrf, current: PASSWORD, password: 'ivan new password 1', password2: 'ivan new password 1' });
    assert.equal(res.status, 302);
    const msg = await deliverMail(env.t.kernel, smtp, 'USER_PASSWORD_CHANGED', 'ivan@example.com');
    assert.match(msg.text, /the password of ivan was changed/);
    assert.match(linkIn(msg), /\/auth\/forgot\/$/);
  });
});

describeEachDb('account mail from the CLI', (kind) => {
  let smtp: TestSmtpServer;
  let portal: CliPortal;

  before(async () => {
    smtp = await startSmtpServer();
    portal = await freshPortal(kind);
    portal.env.PORTAL_SMTP_URL = smtp.url;
    await installPortal({ env: portal.env, adminPassword: 'Admin-pass-123' });
  });
  after(async () => {
    await portal?.cleanup();
    await smtp?.stop();
  });

  it('portal user passwd mails "Password changed"', async () => {
    await withPortalKernel(portal.env, (k) => k.users.create({ login: 'petr', email: 'petr@example.com', password: 'Petr-pass-12', name: 'Petr', lastName: 'Ivanov' }));
    ok(await runCli(['user', 'passwd', 'petr', '--password', 'Brand-new-pass-1'], portal.env));
    const msg = await withPortalKernel(portal.env, (k) => deliverMail(k, smtp, 'USER_PASSWORD_CHANGED', 'petr@example.com'));
    assert.match(msg.text, /the password of petr was changed/);
  });
});

describe('declared mail events', () => {
  it('every mail event a module declares is delivered to the test SMTP server by some test', async () => {
    const declared = (await discoverModules()).flatMap((m) => (m.mailEvents ?? []).map((e) => e.type));
    assert.ok(declared.includes('USER_INFO'), 'main declares its events');
    const sources = allTestSources();
    const untested = declared.filter((type) => !new RegExp(`deliverMail\\([^)]*'${type}'`).test(sources));
    assert.deepEqual(untested, [], 'declared mail events no test receives through deliverMail()');
  });
});
