import assert from 'node:assert/strict';
import { silentLogger } from '../../core/log/logger.js';
import { MailService } from '../../core/mail/mail-service.js';
import { LEASE_MS } from '../../core/mail/mail-queue.js';
import type { MailEventDefinition } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { freePort } from '../harness/free-port.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { startSmtpServer, type TestSmtpServer } from '../harness/smtp.js';

const EVENT: MailEventDefinition = {
  type: 'TEST_NOTICE',
  title: { en: 'Test notice', ru: 'Тестовое уведомление' },
  fields: ['EMAIL_TO', 'NAME', 'SITE_NAME'],
  templates: [
    { language: 'en', subject: '#SITE_NAME#: hello #NAME#', body: 'Hello #NAME#,\nwelcome to #SITE_NAME#.\n' },
    { language: 'ru', subject: '#SITE_NAME#: привет, #NAME#', body: 'Здравствуйте, #NAME#!\nДобро пожаловать на #SITE_NAME#.\n' },
  ],
};
const SMTP_AUTH = { user: 'mailer', pass: 's3cret' };

describeEachDb('mail queue', (kind) => {
  let smtp: TestSmtpServer;
  let tk: TestKernel;
  let mail: MailService;
  const extra: MailService[] = [];

  const db = () => tk.kernel.db('main');
  const service = (smtpUrl: string) => {
    const s = new MailService({ db: db(), log: silentLogger(), config: { ...tk.kernel.config.mail, smtpUrl } });
    extra.push(s);
    return s;
  };
  const closedPortUrl = async () => `smtp://127.0.0.1:${await freePort()}`;

  before(async () => {
    smtp = await startSmtpServer({ auth: SMTP_AUTH });
    tk = await bootTestKernel(kind, { overrides: { mail: { smtpUrl: smtp.url, from: 'Portal <portal@example.com>', maxAttempts: 3 } } });
    mail = tk.kernel.mail;
    await mail.registerEvents('testmod', [EVENT]);
  });

  beforeEach(async () => {
    await db().write('mail_queue').delete();
    smtp.messages.length = 0;
  });

  after(async () => {
    for (const s of extra) await s.close();
    await tk?.close();
    await smtp?.stop();
  });

  it('registers event types with default templates and never overwrites admin edits', async () => {
    const types = await mail.listEventTypes();
    const type = types.find((t) => t.type === 'TEST_NOTICE');
    assert.deepEqual(type, { type: 'TEST_NOTICE', module: 'testmod', title: EVENT.title, fields: EVENT.fields });
    const templates = await mail.listTemplates('TEST_NOTICE');
    assert.deepEqual(templates.map((t) => [t.language, t.siteId, t.emailTo, t.emailFrom, t.active]).sort(), [
      ['en', '', '#EMAIL_TO#', '#DEFAULT_EMAIL_FROM#', true],
      ['ru', '', '#EMAIL_TO#', '#DEFAULT_EMAIL_FROM#', true],
    ]);
    const en = templates.find((t) => t.language === 'en')!;
    await mail.saveTemplate({ ...en, subject: 'Edited by admin' });
    await mail.registerEvents('testmod', [{ ...EVENT, title: { en: 'Renamed', ru: 'Переименовано' }, templates: [{ language: 'en', subject: 'New default', body: 'x' }] }]);
    assert.equal((await mail.getTemplate(en.id)).subject, 'Edited by admin');
    assert.equal((await mail.listTemplates('TEST_NOTICE')).length, 2);
    assert.equal((await mail.listEventTypes()).find((t) => t.type === 'TEST_NOTICE')?.title.en, 'Renamed');
    await mail.saveTemplate({ ...en, subject: EVENT.templates[0]!.subject });
  });

  it('a send with an idempotency key queues once: the same key again (also at the same moment) returns the first ids', async () => {
    const fields = { EMAIL_TO: 'key@example.com', NAME: 'Key', SITE_NAME: 'Intranet' };
    const first = await mail.send('TEST_NOTICE', fields, { siteId: 's1', language: 'en', key: 'test:once' });
    assert.deepEqual(await mail.send('TEST_NOTICE', fields, { siteId: 's1', language: 'en', key: 'test:once' }), first);
    const long = `test:${'x'.repeat(300)}`;
    const racing = await Promise.all([1, 2, 3].map(() => mail.send('TEST_NOTICE', fields, { siteId: 's1', language: 'en', key: long })));
    assert.deepEqual(racing[1], racing[0]);
    assert.deepEqual(racing[2], racing[0]);
    await mail.send('TEST_NOTICE', fields, { siteId: 's1', language: 'en' });
    await mail.send('TEST_NOTICE', fields, { siteId: 's1', language: 'en' });
    assert.equal((await mail.queue()).length, 4, 'two keyed sends once each, two unkeyed sends both');
    await mail.processQueue();
    assert.equal(smtp.messages.length, 4);
  });

  it('queues rendered messages per site and language, falling back to English', async () => {
    const ruIds = await mail.send('TEST_NOTICE', { EMAIL_TO: 'anna@example.com', NAME: 'Анна', SITE_NAME: 'Интранет' }, { siteId: 's1', language: 'ru' });
    assert.equal(ruIds.length, 1);
    const [ru] = await mail.queue({ status: 'pending' });
    assert.equal(ru!.id, ruIds[0]);
    assert.equal(ru!.subject, 'Интранет: привет, Анна');
    assert.equal(ru!.to, 'anna@example.com');
    assert.equal(ru!.from, 'Portal <portal@example.com>');
    assert.equal(ru!.language, 'ru');
    assert.equal(ru!.attempts, 0);

    const deIds = await mail.send('TEST_NOTICE', { NAME: 'Jörg', SITE_NAME: 'Intranet' }, { siteId: 's1', language: 'de', to: 'joerg@example.com' });
    const de = (await mail.queue()).find((m) => m.id === deIds[0])!;
    assert.equal(de.language, 'en');
    assert.equal(de.subject, 'Intranet: hello Jörg');
    assert.equal(de.to, 'joerg@example.com');

    const siteOnly = await mail.saveTemplate({ eventType: 'TEST_NOTICE', siteId: 's2', language: 'en', subject: 'S2 only', body: 'b', emailTo: 'admin@example.com' });
    try {
      assert.equal((await mail.send('TEST_NOTICE', { EMAIL_TO: 'u@example.com' }, { siteId: 's2', language: 'en' })).length, 2);
      assert.equal((await mail.send('TEST_NOTICE', { EMAIL_TO: 'u@example.com' }, { siteId: 's3', language: 'en' })).length, 1);
    } finally {
      await mail.deleteTemplate(siteOnly.id);
    }
    assert.deepEqual(await mail.stats(), { pending: 5, sending: 0, sent: 0, failed: 0 });
  });

  it('delivers through the SMTP server with subject, body and recipient intact (Russian text too)', async () => {
    await mail.send('TEST_NOTICE', { EMAIL_TO: 'anna@example.com', NAME: 'Анна', SITE_NAME: 'Интранет' }, { siteId: 's1', language: 'ru' });
    await mail.send('TEST_NOTICE', { EMAIL_TO: 'bob@example.com', NAME: 'Bob', SITE_NAME: 'Intranet' }, { siteId: 's1', language: 'en' });
    assert.deepEqual(await mail.processQueue(), { sent: 2, failed: 0, deferred: 0 });
    assert.equal(smtp.messages.length, 2);
    const ru = smtp.messages.find((m) => m.to.includes('anna@example.com'))!;
    assert.equal(ru.subject, 'Интранет: привет, Анна');
    assert.equal(ru.text.replace(/\r\n/g, '\n').trim(), 'Здравствуйте, Анна!\nДобро пожаловать на Интранет.');
    assert.equal(ru.from, 'portal@example.com');
    assert.match(ru.headers.from!, /Portal <portal@example\.com>/);
    const en = smtp.messages.find((m) => m.to.includes('bob@example.com'))!;
    assert.equal(en.subject, 'Intranet: hello Bob');
    const rows = await mail.queue();
    assert.ok(rows.every((r) => r.status === 'sent' && r.sentAt instanceof Date && r.leaseOwner === null));
    assert.deepEqual(await mail.processQueue(), { sent: 0, failed: 0, deferred: 0 }, 'nothing is sent twice');
  });

  it('notes recipients the server refused while delivering to the others', async () => {
    const picky = await startSmtpServer({ rejectRecipients: /^nouser@/ });
    try {
      const s = service(picky.url);
      const [id] = await mail.send('TEST_NOTICE', { EMAIL_TO: 'ok@example.com, nouser@example.com' }, { siteId: 's1', language: 'en' });
      assert.deepEqual(await s.processQueue(), { sent: 1, failed: 0, deferred: 0 });
      assert.deepEqual(picky.messages.map((m) => m.to), [['ok@example.com']]);
      const row = await mail.queueItem(id!);
      assert.equal(row.status, 'sent');
      assert.match(row.lastError ?? '', /rejected recipients: nouser@example\.com/);
    } finally {
      await picky.stop();
    }
  });

  it('escapes field values in html templates', async () => {
    const tpl = await mail.saveTemplate({ eventType: 'TEST_NOTICE', siteId: 'html', language: 'en', subject: 'Hi #NAME#', body: '<p>Hi #NAME#</p>', bodyType: 'html' });
    try {
      await mail.send('TEST_NOTICE', { EMAIL_TO: 'h@example.com', NAME: '<b>Eve</b>' }, { siteId: 'html', language: 'en' });
      await mail.processQueue();
      const msg = smtp.messages.find((m) => m.subject === 'Hi <b>Eve</b>');
      assert.ok(msg, 'html message delivered');
      assert.equal(msg.html.trim(), '<p>Hi &lt;b&gt;Eve&lt;/b&gt;</p>');
    } finally {
      await mail.deleteTemplate(tpl.id);
    }
  });

  it('loses nothing while SMTP is down: backs off, then delivers when the server is back', async () => {
    const [id] = await mail.send('TEST_NOTICE', { EMAIL_TO: 'later@example.com', NAME: 'Later' }, { siteId: 's1', language: 'en' });
    await smtp.stop();
    const t0 = Date.now();
    try {
      assert.deepEqual(await mail.processQueue({ now: t0 }), { sent: 0, failed: 0, deferred: 1 });
      let row = (await mail.queue()).find((m) => m.id === id)!;
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 1);
      assert.match(row.lastError ?? '', /ECONNREFUSED|ECONNECTION|connect/i);
      assert.equal(row.nextAttemptAt.getTime(), t0 + 30_000);
      assert.deepEqual(await mail.processQueue({ now: t0 + 1000 }), { sent: 0, failed: 0, deferred: 0 }, 'not due yet');
      assert.deepEqual(await mail.processQueue({ now: t0 + 30_000 }), { sent: 0, failed: 0, deferred: 1 });
      row = (await mail.queue()).find((m) => m.id === id)!;
      assert.equal(row.attempts, 2);
      assert.equal(row.nextAttemptAt.getTime(), t0 + 30_000 + 60_000, 'exponential backoff');
    } finally {
      smtp = await startSmtpServer({ auth: SMTP_AUTH, port: smtp.port });
    }
    assert.deepEqual(await mail.processQueue({ now: t0 + 90_000 }), { sent: 1, failed: 0, deferred: 0 });
    assert.deepEqual(smtp.messages.map((m) => m.to), [['later@example.com']]);
    assert.equal((await mail.queue({ status: 'sent' })).length, 1);
  });

  it('marks a message failed after maxAttempts and lets an admin retry it', async () => {
    const down = service(await closedPortUrl());
    const [id] = await mail.send('TEST_NOTICE', { EMAIL_TO: 'x@example.com' }, { siteId: 's1', language: 'en' });
    let now = Date.now();
    assert.deepEqual(await down.processQueue({ now }), { sent: 0, failed: 0, deferred: 1 });
    now += 3_600_000;
    assert.deepEqual(await down.processQueue({ now }), { sent: 0, failed: 0, deferred: 1 });
    now += 3_600_000;
    assert.deepEqual(await down.processQueue({ now }), { sent: 0, failed: 1, deferred: 0 });
    const failed = (await mail.queue({ status: 'failed' }))[0]!;
    assert.equal(failed.id, id);
    assert.equal(failed.attempts, 3);
    assert.deepEqual(await mail.stats(), { pending: 0, sending: 0, sent: 0, failed: 1 });
    assert.deepEqual(await down.processQueue({ now: now + 86_400_000 }), { sent: 0, failed: 0, deferred: 0 }, 'failed mail is left alone');

    const retried = await mail.retry(id!);
    assert.equal(retried.status, 'pending');
    assert.equal(retried.attempts, 0);
    assert.deepEqual(await mail.processQueue(), { sent: 1, failed: 0, deferred: 0 });
    await assert.rejects(mail.retry(id!), { code: 'MAIL_RETRY_NOT_ALLOWED', status: 409 });
    await assert.rejects(mail.retry(999_999), { code: 'MAIL_QUEUE_NOT_FOUND', status: 404 });
  });

  it('never sends a message twice when two workers process the queue at once', async () => {
    const other = service(smtp.url);
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(...(await mail.send('TEST_NOTICE', { EMAIL_TO: `u${i}@example.com`, NAME: `N${i}` }, { siteId: 's1', language: 'en' })));
    const [a, b] = await Promise.all([mail.processQueue({ limit: 50 }), other.processQueue({ limit: 50 })]);
    assert.equal(a.sent + b.sent, 20);
    await smtp.waitFor(20);
    const recipients = smtp.messages.map((m) => m.to[0]).sort();
    assert.equal(recipients.length, 20);
    assert.equal(new Set(recipients).size, 20, 'each message delivered exactly once');
    assert.equal((await mail.queue({ status: 'sent', limit: 100 })).length, 20);
    const page = await mail.queue({ status: 'sent', limit: 5, offset: 5 });
    assert.deepEqual(page.map((m) => m.id), [...ids].sort((x, y) => y - x).slice(5, 10), 'newest first, paged');
  });

  it('takes over a message whose worker died (expired lease) but not one still leased', async () => {
    const [dead, alive] = await Promise.all([
      mail.send('TEST_NOTICE', { EMAIL_TO: 'dead@example.com' }, { siteId: 's1', language: 'en' }),
      mail.send('TEST_NOTICE', { EMAIL_TO: 'alive@example.com' }, { siteId: 's1', language: 'en' }),
    ]);
    const now = Date.now();
    await db().write('mail_queue').where({ id: dead![0] }).update({ status: 'sending', lease_owner: 'crashed', lease_until: now - 1 });
    await db().write('mail_queue').where({ id: alive![0] }).update({ status: 'sending', lease_owner: 'busy', lease_until: now + LEASE_MS });
    assert.deepEqual(await mail.processQueue({ now }), { sent: 1, failed: 0, deferred: 0 });
    assert.deepEqual(smtp.messages.map((m) => m.to), [['dead@example.com']]);
    const alive1 = (await mail.queue()).find((m) => m.id === alive![0])!;
    assert.equal(alive1.status, 'sending');
    assert.equal(alive1.leaseOwner, 'busy');
  });

  it('keeps mail queued while no SMTP server is configured', async () => {
    const off = service('');
    await mail.send('TEST_NOTICE', { EMAIL_TO: 'q@example.com' }, { siteId: 's1', language: 'en' });
    assert.deepEqual(await off.processQueue(), { sent: 0, failed: 0, deferred: 0 });
    const [row] = await mail.queue();
    assert.equal(row!.status, 'pending');
    assert.equal(row!.attempts, 0);
    const check = await off.verifyTransport();
    assert.equal(check.ok, false);
    assert.match(check.error ?? '', /smtpUrl/);
  });

  it('verifies the transport for doctor', async () => {
    assert.deepEqual(await mail.verifyTransport(), { ok: true });
    const bad = await service(await closedPortUrl()).verifyTransport();
    assert.equal(bad.ok, false);
    assert.ok(bad.error);
  });

  it('rejects unknown event types, bad recipients and header injection', async () => {
    await assert.rejects(mail.send('NO_SUCH_EVENT', {}, { siteId: 's1', language: 'en' }), { code: 'MAIL_EVENT_UNKNOWN', status: 400 });
    await assert.rejects(mail.send('TEST_NOTICE', { EMAIL_TO: 'not-an-address' }, { siteId: 's1', language: 'en' }), {
      code: 'MAIL_RECIPIENT_INVALID',
      status: 400,
    });
    await assert.rejects(mail.send('TEST_NOTICE', {}, { siteId: 's1', language: 'en' }), { code: 'MAIL_RECIPIENT_INVALID' });
    await assert.rejects(mail.send('TEST_NOTICE', { EMAIL_TO: 'a@example.com\r\nBcc: evil@example.com' }, { siteId: 's1', language: 'en' }), {
      code: 'MAIL_RECIPIENT_INVALID',
    });
    assert.equal((await mail.queue()).length, 0, 'nothing queued');

    await mail.send('TEST_NOTICE', { EMAIL_TO: 'a@example.com', NAME: 'X\r\nBcc: evil@example.com' }, { siteId: 's1', language: 'en' });
    await mail.processQueue();
    assert.equal(smtp.messages.length, 1);
    assert.deepEqual(smtp.messages[0]!.to, ['a@example.com']);
    assert.equal(smtp.messages[0]!.headers.bcc, undefined);
    assert.equal(smtp.messages[0]!.subject, ': hello X Bcc: evil@example.com', 'the CR/LF became a space inside the subject');
  });

  it('validates templates in the admin CRUD', async () => {
    const base = { eventType: 'TEST_NOTICE', language: 'en', subject: 's', body: 'b' };
    await assert.rejects(mail.saveTemplate({ ...base, eventType: 'NOPE' }), { code: 'MAIL_EVENT_UNKNOWN' });
    await assert.rejects(mail.saveTemplate({ ...base, subject: 'a\r\nBcc: x@y.z' }), { code: 'MAIL_TEMPLATE_INVALID', status: 400 });
    await assert.rejects(mail.saveTemplate({ ...base, language: 'english!' }), { code: 'MAIL_TEMPLATE_INVALID' });
    await assert.rejects(mail.saveTemplate({ ...base, id: 999_999 }), { code: 'MAIL_TEMPLATE_NOT_FOUND', status: 404 });
    const t = await mail.saveTemplate({ ...base, active: false });
    assert.equal(t.active, false);
    assert.equal(t.emailTo, '#EMAIL_TO#');
    const ids = await mail.send('TEST_NOTICE', { EMAIL_TO: 'a@example.com' }, { siteId: 's1', language: 'en' });
    assert.equal(ids.length, 1, 'inactive templates are not used');
    await mail.deleteTemplate(t.id);
    await assert.rejects(mail.getTemplate(t.id), { code: 'MAIL_TEMPLATE_NOT_FOUND' });
    await assert.rejects(mail.deleteTemplate(t.id), { code: 'MAIL_TEMPLATE_NOT_FOUND' });
  });

  it('removes a module’s event types and templates but keeps its queued mail', async () => {
    await mail.registerEvents('othermod', [{ ...EVENT, type: 'OTHER_EVENT' }]);
    await mail.send('OTHER_EVENT', { EMAIL_TO: 'o@example.com' }, { siteId: 's1', language: 'en' });
    await mail.removeModule('othermod');
    assert.equal((await mail.listEventTypes()).some((t) => t.type === 'OTHER_EVENT'), false);
    assert.equal((await mail.listTemplates('OTHER_EVENT')).length, 0);
    assert.equal((await mail.queue()).length, 1);
    assert.ok((await mail.listEventTypes()).some((t) => t.type === 'TEST_NOTICE'), 'other modules keep theirs');
  });
});
