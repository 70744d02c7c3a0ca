import assert from 'node:assert/strict';
import { discoverModules } from '../../core/modules/discover.js';
import { Translator } from '../../core/i18n/translator.js';

describe('module messages', () => {
  it('every module ships English and Russian with the same keys', async () => {
    const modules = await discoverModules();
    assert.ok(modules.some((m) => m.id === 'main'));
    const tr = new Translator();
    for (const def of modules) {
      assert.ok(def.lang, `module ${def.id} has lang files`);
      tr.register(def.id, def.lang);
      assert.deepEqual(tr.missingKeys(def.id), { en: [], ru: [] }, `module ${def.id}: keys differ between en and ru`);
    }
  });

  it('falls back to English, then to the key, and fills #PARAMS#', () => {
    const tr = new Translator();
    tr.register('x', { en: { HI: 'Hello, #NAME#', ONLY_EN: 'only' }, ru: { HI: 'Привет, #NAME#' } });
    assert.equal(tr.t('x', 'HI', 'ru', { NAME: 'Иван' }), 'Привет, Иван');
    assert.equal(tr.t('x', 'ONLY_EN', 'ru'), 'only');
    assert.equal(tr.t('x', 'MISSING', 'en'), 'MISSING');
    assert.equal(tr.t('x', 'HI', 'de', { NAME: 'A' }), 'Hello, A', 'unknown language falls back to English');
  });
});
