import assert from 'node:assert/strict';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../core/users/passwords.js';
import { errorParams, localizedMessage } from '../../core/i18n/error-text.js';
import { Translator } from '../../core/i18n/translator.js';
import mainModule from '../../modules/main/module.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { alertText, page, PASSWORD, startAdminEnv, submit, type AdminEnv } from '../admin/harness.js';
import type { PortalError } from '../../core/errors/portal-error.js';

const refusal = (password: unknown, login?: string): PortalError => {
  try {
    checkPasswordPolicy(password, login);
  } catch (err) {
    return err as PortalError;
  }
  assert.fail(`${JSON.stringify(password)} was accepted`);
};

describe('password policy', () => {
  it('refuses control characters, only-whitespace and broken Unicode; counts characters, not UTF-16 units', () => {
    const bad: [unknown, string][] = [
      ['\u0000'.repeat(10), 'control'],
      ['secret\u0000password', 'control'],
      ['tab\there-and-more', 'control'],
      ['line\nbreak-password', 'control'],
      ['delete\u007fchar-pw', 'control'],
      ['c1\u0085control-pw', 'control'],
      [' '.repeat(12), 'whitespace'],
      ['\u3000\u00a0\u2003'.repeat(4), 'whitespace'],
      ['\ud800abcdefghij', 'unicode'],
      ['😀'.repeat(4), 'length'],
      ['short', 'length'],
      ['a'.repeat(PASSWORD_MAX_LENGTH + 1), 'length'],
      ['Ivan.Petrov', 'login'],
      [12345678, 'type'],
    ];
    for (const [password, reason] of bad) {
      const err = refusal(password, 'ivan.petrov');
      assert.equal(err.code, 'PASSWORD_WEAK', JSON.stringify(password));
      assert.equal(err.status, 400);
      assert.equal(err.details?.reason, reason, JSON.stringify(password));
    }
    for (const good of ['correct horse 42', 'пароль с пробелами', '😀'.repeat(PASSWORD_MIN_LENGTH), '😀'.repeat(PASSWORD_MAX_LENGTH), '  spaced out  ']) {
      assert.doesNotThrow(() => checkPasswordPolicy(good, 'ivan'), good);
    }
  });

  it('states the whole rule in the error, in English and in Russian', () => {
    const err = refusal('\u0000'.repeat(10));
    assert.match(err.message, new RegExp(`${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`));
    assert.match(err.message, /control characters/);
    assert.match(err.message, /only spaces/);
    assert.deepEqual({ min: err.details?.min, max: err.details?.max }, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
    const i18n = new Translator();
    i18n.register('main', mainModule.lang);
    assert.equal(i18n.t('main', 'ERR_PASSWORD_WEAK', 'en', errorParams(err.details, 'en')), err.message);
    const ru = localizedMessage(i18n, err, 'ru');
    assert.match(ru, new RegExp(`от ${PASSWORD_MIN_LENGTH} до ${PASSWORD_MAX_LENGTH} символов`));
    assert.match(ru, /управляющих символов/);
  });
});

describeEachDb('password policy everywhere a password is set', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  it('users.create and users.setPassword refuse ten NUL characters and whitespace only', async () => {
    const { users } = env.t.kernel;
    await assert.rejects(users.create({ login: 'nul.user', email: 'nul@example.com', password: '\u0000'.repeat(10) }), { code: 'PASSWORD_WEAK' });
    assert.equal(await users.findByLogin('nul.user'), null, 'no half-made user');
    const ivan = (await users.findByLogin('ivan'))!;
    await assert.rejects(users.setPassword(ivan.id, ' '.repeat(10)), { code: 'PASSWORD_WEAK' });
    await assert.rejects(users.setPassword(ivan.id, '\u0000'.repeat(10)), { code: 'PASSWORD_WEAK' });
    assert.equal((await users.authenticate('ivan', PASSWORD, '10.77.0.1')).id, ivan.id, 'the old password still works');
  });

  it('the admin user form shows the rule next to the field and refuses a bad password with it', async () => {
    const form = await page(env.admin, '/admin/users/new/');
    assert.match(form.html, /<input type="password" id="password" name="password"[^>]*aria-describedby="password-rule"/);
    assert.match(form.html, /id="password-rule"[^>]*>[^<]*8 to 256 characters/);
    const created = await submit(env.admin, '/admin/users/new/', { login: 'nul.admin', email: 'nula@example.com', password: '\u0000'.repeat(10), active: '1' });
    assert.equal(created.status, 400);
    assert.match(alertText(created.html), /8 to 256 characters/);
    assert.equal(await env.t.kernel.users.findByLogin('nul.admin'), null);
    const ivan = (await env.t.kernel.users.findByLogin('ivan'))!;
    const reset = await submit(env.admin, `/admin/users/${ivan.id}/`, { email: 'ivan@example.com', active: '1', password: '\t'.repeat(10) });
    assert.equal(reset.status, 400);
    assert.match(alertText(reset.html), /control characters/);
  });

  it('the profile password form shows the rule and refuses a bad new password, in Russian for a Russian user', async () => {
    const { users } = env.t.kernel;
    const olga = await users.create({ login: 'olga.ru', email: 'olga.ru@example.com', password: PASSWORD, language: 'ru' });
    const c = new HttpClient(env.server.url);
    assert.equal((await c.signIn('olga.ru', PASSWORD)).status, 302);
    const form = await (await c.get('/profile/password/')).text();
    assert.match(form, /id="password-rule"[^>]*>[^<]*от 8 до 256 символов/);
    const csrf = HttpClient.csrfFrom(form);
    const bad = await c.post('/profile/password/', { _csrf: csrf, current: PASSWORD, password: '\u0000'.repeat(10), password2: '\u0000'.repeat(10) });
    assert.equal(bad.status, 400);
    assert.match(alertText(await bad.text()), /от 8 до 256 символов/);
    assert.equal((await users.authenticate('olga.ru', PASSWORD, '10.77.0.2')).id, olga.id, 'the password did not change');
  });
});
