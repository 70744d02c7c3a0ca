import assert from 'node:assert/strict';
import { coreErrors } from '../../core/errors/codes.js';
import { defineErrors } from '../../core/errors/portal-error.js';
import { waitInWords } from '../../core/i18n/durations.js';
import { errorParams, localizedMessage } from '../../core/i18n/error-text.js';
import { Translator } from '../../core/i18n/translator.js';
import { userErrors } from '../../core/users/errors.js';
import { paused, throttled } from '../../core/users/login-guard.js';
import { checkPasswordPolicy } from '../../core/users/passwords.js';
import mainModule from '../../modules/main/module.js';

describe('coded error texts', () => {
  const i18n = new Translator();
  i18n.register('main', mainModule.lang);

  it('says a wait in words, with Russian plural forms', () => {
    const cases: [number, string, string][] = [
      [1, '1 second', '1 секунду'],
      [45, '45 seconds', '45 секунд'],
      [60, '1 minute', '1 минуту'],
      [61, '2 minutes', '2 минуты'],
      [300, '5 minutes', '5 минут'],
      [900, '15 minutes', '15 минут'],
      [21 * 60, '21 minutes', '21 минуту'],
      [11 * 60, '11 minutes', '11 минут'],
      [3600, '1 hour', '1 час'],
      [7200, '2 hours', '2 часа'],
    ];
    for (const [seconds, en, ru] of cases) {
      assert.equal(waitInWords(seconds, 'en'), en);
      assert.equal(waitInWords(seconds, 'ru'), ru);
    }
  });

  it('main\'s English texts say what the errors themselves say, and Russian ones exist for each', () => {
    let weak: unknown;
    try {
      checkPasswordPolicy(' '.repeat(9));
    } catch (err) {
      weak = err;
    }
    const errors = [throttled(900_000, 'client'), throttled(30_000, 'ip'), paused(125_000), userErrors.CURRENT_PASSWORD_WRONG(), userErrors.PASSWORD_MISMATCH(), weak as ReturnType<typeof userErrors.PASSWORD_WEAK>];
    for (const err of errors) {
      assert.ok(i18n.has('main', `ERR_${err.code}`), err.code);
      assert.equal(i18n.t('main', `ERR_${err.code}`, 'en', errorParams(err.details, 'en')), err.message, `${err.code}: the English text is the error's own`);
      assert.equal(localizedMessage(i18n, err, 'en'), err.message);
      assert.notEqual(localizedMessage(i18n, err, 'ru'), err.message, `${err.code} in Russian`);
    }
    assert.equal(localizedMessage(i18n, throttled(900_000, 'client'), 'ru'), 'Слишком много неудачных попыток входа. Попробуйте снова через 15 минут.');
    assert.equal(localizedMessage(i18n, coreErrors.NOT_FOUND('x'), 'ru'), 'Not found: x', 'codes without a text keep their message');
  });

  it('finds a module\'s own ERR_<CODE> text when the caller names the module, and main\'s as well', () => {
    const tr = new Translator();
    tr.register('main', mainModule.lang);
    tr.register('shop', { en: { ERR_SHOP_SOLD_OUT: 'Item #ITEM# is sold out' }, ru: { ERR_SHOP_SOLD_OUT: 'Товар #ITEM# распродан' } });
    const soldOut = defineErrors({ SHOP_SOLD_OUT: { status: 409, message: (item) => `Item ${item} is sold out` } }).SHOP_SOLD_OUT('42', { item: '42' });
    assert.equal(localizedMessage(tr, soldOut, 'ru', 'shop'), 'Товар 42 распродан');
    assert.equal(localizedMessage(tr, soldOut, 'en', 'shop'), 'Item 42 is sold out');
    assert.equal(localizedMessage(tr, soldOut, 'ru'), 'Item 42 is sold out', 'without the module only main is asked');
    assert.equal(localizedMessage(tr, userErrors.PASSWORD_MISMATCH(), 'ru', 'shop'), localizedMessage(tr, userErrors.PASSWORD_MISMATCH(), 'ru'), 'main\'s text still found');
    assert.match(localizedMessage(tr, userErrors.PASSWORD_MISMATCH(), 'ru', 'shop'), /[а-яё]/i);
  });
});
