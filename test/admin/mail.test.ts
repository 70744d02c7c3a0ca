import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { alertText, assertCsrfRequired, assertDenied, page, startAdminEnv, submit, type AdminEnv } from './harness.js';

describeEachDb('admin mail', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  const fields = { EMAIL_TO: 'anna@example.com', LOGIN: 'anna', NAME: 'Anna', SITE_NAME: 'Portal', URL: 'http://portal/' };
  const enTemplate = async () => (await env.t.kernel.mail.listTemplates('USER_INFO')).find((t) => t.language === 'en')!;

  it('lists event types with their templates', async () => {
    const { status, html } = await page(env.admin, '/admin/mail/');
    assert.equal(status, 200);
    assert.match(html, /<code>USER_INFO<\/code>/);
    assert.match(html, /#SITE_NAME#: your account/);
    assert.match(html, /href="\/admin\/mail\/templates\/new\/\?type=USER_INFO"/);
  });

  it('edits a template', async () => {
    const tpl = await enTemplate();
    const form = await page(env.admin, `/admin/mail/templates/${tpl.id}/`);
    assert.equal(form.status, 200);
    assert.match(form.html, /#LOGIN#/);
    const res = await submit(env.admin, `/admin/mail/templates/${tpl.id}/`, {
      siteId: '', language: 'en', active: '1', emailFrom: 'portal@example.com', emailTo: '#EMAIL_TO#', subject: 'Welcome to #SITE_NAME#', body: 'Hi #NAME#', bodyType: 'text',
    });
    assert.equal(res.status, 302);
    const saved = await env.t.kernel.mail.getTemplate(tpl.id);
    assert.equal(saved.subject, 'Welcome to #SITE_NAME#');
    assert.equal(saved.emailFrom, 'portal@example.com');
    await env.t.kernel.mail.send('USER_INFO', fields, { siteId: 's1', language: 'en' });
    const [queued] = await env.t.kernel.mail.queue({ limit: 1 });
    assert.equal(queued!.subject, 'Welcome to Portal', 'the edited template is used');
  });

  it('adds a template for a site and language', async () => {
    const form = await page(env.admin, '/admin/mail/templates/new/?type=USER_INFO');
    assert.equal(form.status, 200);
    const res = await submit(env.admin, '/admin/mail/templates/new/', {
      eventType: 'USER_INFO', siteId: 's1', language: 'ru', active: '1', emailFrom: '#DEFAULT_EMAIL_FROM#', emailTo: '#EMAIL_TO#', subject: 'Привет, #NAME#', body: 'Текст', bodyType: 'text',
    });
    assert.equal(res.status, 302);
    const added = (await env.t.kernel.mail.listTemplates('USER_INFO')).find((t) => t.siteId === 's1');
    assert.ok(added);
    assert.equal(added.language, 'ru');
    assert.equal(res.location, `/admin/mail/templates/${added.id}/?done=created`);
    assert.equal((await page(env.admin, '/admin/mail/templates/new/?type=NOPE')).status, 404);
  });

  it('re-renders an invalid template with a readable 400 and the values kept', async () => {
    const tpl = await enTemplate();
    const res = await submit(env.admin, `/admin/mail/templates/${tpl.id}/`, {
      siteId: '', language: 'en', active: '1', emailFrom: 'portal@example.com', emailTo: '#EMAIL_TO#', subject: '', body: 'Body kept here', bodyType: 'text',
    });
    assert.equal(res.status, 400);
    assert.match(alertText(res.html), /subject is required/);
    assert.match(res.html, /Body kept here/);
    assert.equal((await env.t.kernel.mail.getTemplate(tpl.id)).subject, 'Welcome to #SITE_NAME#');
    assert.equal((await page(env.admin, '/admin/mail/templates/x/')).status, 404);
  });

  it('shows the queue with a status filter and retries a failed message', async () => {
    const [id] = await env.t.kernel.mail.send('USER_INFO', fields, { siteId: 's1', language: 'en' });
    await env.t.kernel.db('main').write('mail_queue').where({ id }).update({ status: 'failed', last_error: 'SMTP said no', attempts: 5 });
    const failed = await page(env.admin, '/admin/mail/queue/?status=failed');
    assert.equal(failed.status, 200);
    assert.match(failed.html, /SMTP said no/);
    assert.match(failed.html, new RegExp(`action="/admin/mail/queue/${id}/retry/"`));
    const pending = await page(env.admin, '/admin/mail/queue/?status=sent');
    assert.doesNotMatch(pending.html, /SMTP said no/);
    const res = await submit(env.admin, `/admin/mail/queue/${id}/retry/`);
    assert.equal(res.status, 302);
    const item = await env.t.kernel.mail.queueItem(id!);
    assert.equal(item.status, 'pending');
    assert.equal(item.attempts, 0);
  });

  it('refuses to retry a sent message and a bad status filter, readably', async () => {
    const [id] = await env.t.kernel.mail.send('USER_INFO', fields, { siteId: 's1', language: 'en' });
    await env.t.kernel.db('main').write('mail_queue').where({ id }).update({ status: 'sent', sent_at: Date.now() });
    const res = await submit(env.admin, `/admin/mail/queue/${id}/retry/`);
    assert.equal(res.status, 409);
    assert.match(alertText(res.html), /only failed or pending messages/);
    const bad = await page(env.admin, '/admin/mail/queue/?status=lost');
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /not a queue status/);
    assert.equal((await submit(env.admin, '/admin/mail/queue/abc/retry/')).status, 404);
    assert.equal((await submit(env.admin, '/admin/mail/queue/999999/retry/')).status, 404);
  });

  it('needs main.mail.manage to change and the CSRF token', async () => {
    const tpl = await enTemplate();
    assert.equal((await page(env.viewer, '/admin/mail/')).status, 200);
    assert.equal((await page(env.viewer, '/admin/mail/queue/')).status, 200);
    await assertDenied(env, env.user, 'GET', '/admin/mail/');
    await assertDenied(env, env.user, 'GET', '/admin/mail/queue/');
    const form = { siteId: '', language: 'en', active: '1', emailFrom: 'x@example.com', emailTo: '#EMAIL_TO#', subject: 'Hacked', body: 'x', bodyType: 'text' };
    await assertDenied(env, env.viewer, 'POST', `/admin/mail/templates/${tpl.id}/`, form);
    await assertDenied(env, env.viewer, 'POST', '/admin/mail/queue/1/retry/');
    await assertCsrfRequired(env.admin, `/admin/mail/templates/${tpl.id}/`, form);
    assert.equal((await env.t.kernel.mail.getTemplate(tpl.id)).subject, 'Welcome to #SITE_NAME#');
  });
});
