import assert from 'node:assert/strict';
import { isoDateIn } from '../../core/time/wall-time.js';
import siteTimeZone from '../../modules/main/migrations/2026-12-03-01-site-time-zone.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { alertText, page, startAdminEnv, submit, type AdminEnv } from './harness.js';

/** 31 January 2026, 20:05:09 UTC: 1 February 06:05:09 in Vladivostok, 31 January 17:05:09 in São Paulo. */
const AT = Date.UTC(2026, 0, 31, 20, 5, 9);

describeEachDb('site time zone', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  const site = { name: 'Portal', domains: '', language: 'en', dir: '/', template: '.default' };
  const setZone = (timeZone: string | null) => env.t.kernel.sites.update('s1', { timeZone });
  const ivan = async () => (await env.t.kernel.users.findByLogin('ivan'))!;

  it('is a setting of the site form: the server’s by default, any IANA zone, nothing else', async () => {
    const form = await page(env.admin, '/admin/sites/s1/');
    assert.match(form.html, new RegExp(`<option value="">The server’s \\(${process.env.TZ ?? '[^)]+'}\\)</option>`), 'the default names the server’s zone');
    assert.match(form.html, /<option value="Asia\/Vladivostok">Asia\/Vladivostok<\/option>/);
    const saved = await submit(env.admin, '/admin/sites/s1/', { ...site, timeZone: 'Asia/Vladivostok' });
    assert.equal(saved.status, 302);
    assert.equal((await env.t.kernel.sites.get('s1')).timeZone, 'Asia/Vladivostok');
    assert.match((await page(env.admin, '/admin/sites/s1/')).html, /<option value="Asia\/Vladivostok" selected>/);
    assert.match((await page(env.admin, '/admin/sites/')).html, /<td>Asia\/Vladivostok<\/td>/);

    for (const bad of ['Mars/Olympus', 'asia/vladivostok', '<b>UTC</b>']) {
      const res = await submit(env.admin, '/admin/sites/s1/', { ...site, name: 'Kept name', timeZone: bad });
      assert.equal(res.status, 400, bad);
      assert.match(alertText(res.html), /There is no time zone/, bad);
      assert.match(res.html, /name="name" value="Kept name"/);
    }
    assert.equal((await env.t.kernel.sites.get('s1')).timeZone, 'Asia/Vladivostok', 'nothing was written');
    await assert.rejects(env.t.kernel.sites.update('s1', { timeZone: 'Mars/Olympus' }), { code: 'VALIDATION_FAILED' });

    assert.equal((await submit(env.admin, '/admin/sites/s1/', { ...site, timeZone: '' })).status, 302);
    assert.equal((await env.t.kernel.sites.get('s1')).timeZone, null, 'empty: back to the server’s');
  });

  it('shows times in admin lists on the site’s clock (security log, users, agents, mail queue, dashboard)', async () => {
    await setZone('Asia/Vladivostok');
    const db = env.t.kernel.db('main');
    await db.write('security_log').update({ created_at: AT });
    await db.write('users').where({ id: (await ivan()).id }).update({ last_login_at: AT });
    await db.write('agents').update({ next_run_at: AT, last_run_at: AT });
    assert.ok((await env.t.kernel.mail.send('USER_INFO', { LOGIN: 'ivan', NAME: 'Ivan', URL: '/' }, { siteId: 's1', language: 'en', to: 'ivan@example.com' })).length);
    await db.write('mail_queue').update({ created_at: AT });
    for (const path of ['/admin/security/', '/admin/users/', '/admin/agents/', '/admin/', '/admin/mail/queue/']) {
      const { status, html } = await page(env.admin, path);
      assert.equal(status, 200, path);
      assert.match(html, /1 Feb 2026, 06:05:09/, `${path} shows the site’s time`);
      assert.doesNotMatch(html, /2026-01-31[ T]20:05|UTC<\/td>/, `${path} shows no UTC timestamp`);
    }
    await setZone('America/Sao_Paulo');
    assert.match((await page(env.admin, '/admin/security/')).html, /31 Jan 2026, 17:05:09/, 'another zone, another clock');
  });

  it('shows birthdays as the same calendar day in any zone, and counts “today” on the site’s clock', async () => {
    const user = await ivan();
    await env.t.kernel.users.update(user.id, { birthday: '1990-03-12' });
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Vladivostok', null]) {
      await setZone(zone);
      const { html } = await page(env.admin, `/company/${user.id}/`);
      assert.match(html, /<dt>Birthday<\/dt><dd>12 March<\/dd>/, String(zone));
    }
    // Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: never the same calendar day.
    const today = isoDateIn(Date.now(), 'Pacific/Kiritimati');
    await env.t.kernel.users.update(user.id, { birthday: `1990-${today.slice(5)}` });
    const birthdayCard = async () => /<section class="card" aria-labelledby="birthdays-title">[\s\S]*?<\/section>/.exec((await page(env.admin, '/')).html)?.[0] ?? '';
    await setZone('Pacific/Kiritimati');
    assert.match(await birthdayCard(), /Ivan[\s\S]*badge-accent">Today</, 'today in Kiritimati');
    await setZone('Pacific/Pago_Pago');
    assert.match(await birthdayCard(), /Ivan[\s\S]*class="badge">in [12] d\.</, 'still a day or two ahead in Pago Pago (the cached card is not reused)');
  });

  it('shows when colleagues joined on the site’s calendar', async () => {
    await env.t.kernel.db('main').write('users').where({ id: (await ivan()).id }).update({ created_at: AT });
    await env.t.kernel.cache.invalidateTags('main:users');
    await setZone('Asia/Vladivostok');
    assert.match((await page(env.admin, '/')).html, /datetime="2026-01-31T20:05:09\.000Z">1 February 2026</);
    await setZone('America/Sao_Paulo');
    assert.match((await page(env.admin, '/')).html, /datetime="2026-01-31T20:05:09\.000Z">31 January 2026</);
  });

  it('the migration adds the column to existing sites and goes down again, keeping the sites', async () => {
    const db = env.t.kernel.db('main');
    await siteTimeZone.down(db);
    assert.equal(await db.schema.hasColumn(db.table('sites'), 'time_zone'), false);
    assert.equal((await db.write('sites').where({ id: 's1' })).length, 1);
    await siteTimeZone.up(db);
    assert.equal(await db.schema.hasColumn(db.table('sites'), 'time_zone'), true);
    await env.t.kernel.cache.invalidateTags('main:sites');
    assert.equal((await env.t.kernel.sites.get('s1')).timeZone, null, 'an existing site shows the server’s zone');
  });
});
