import assert from 'node:assert/strict';
import { validateParams } from '../../core/components/params.js';
import { Translator } from '../../core/i18n/translator.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from '../infoblocks/fixture.js';

/** Names every plain object inherits; user input must never pick one of them as a key. */
const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
type Coded = { code?: string; status?: number; message?: string };
const is4xx = (code: string) => (err: Coded) => {
  assert.equal(err.code, code, err.message);
  assert.ok(err.status! >= 400 && err.status! < 500, `status ${err.status}`);
  return true;
};

describe('inherited names as keys: messages and component parameters', () => {
  it('a message key or parameter named like a built-in is just missing', () => {
    const tr = new Translator();
    tr.register('x', { en: { HI: 'Hi #NAME#' }, ru: { HI: 'Привет #NAME#' } });
    for (const key of INHERITED) assert.equal(tr.t('x', key, 'ru'), key);
    assert.equal(tr.t('x', 'HI', 'en', {}), 'Hi #NAME#');
  });

  it('component parameters named like built-ins are unknown parameters', () => {
    const schema = { title: { type: 'string' as const } };
    for (const key of INHERITED) {
      assert.throws(() => validateParams('demo', schema, JSON.parse(`{"${key}": "x"}`)), is4xx('VALIDATION_FAILED'), key);
    }
  });
});

describeEachDb('inherited names as keys: options, rights, users, infoblocks', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  before(async () => {
    f = await bootInfoblocks(kind);
    iblockId = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'keys', name: 'Keys' })).id;
    // Property codes may be words an object inherits; elements without them must still work.
    await f.api.properties.add(admin, iblockId, { code: 'toString', name: 'To string', type: 'string' });
    await f.api.properties.add(admin, iblockId, { code: 'constructor', name: 'Constructor', type: 'number', multiple: true });
    await f.api.elements.add(admin, iblockId, { name: 'First', properties: { constructor: [1, 2] } });
  });
  after(async () => f?.t.close());

  it('options and rights levels named like built-ins do not exist', async () => {
    const k = f.t.kernel;
    const group = await k.groups.create({ code: 'keys_group', name: 'Keys' });
    for (const key of INHERITED) {
      await assert.rejects(k.options.get('main', key), is4xx('NOT_FOUND'), key);
      await assert.rejects(k.options.set('main', key, 'x'), is4xx('NOT_FOUND'), key);
      await assert.rejects(k.rights.setLevel('main', group.id, key), is4xx('RIGHTS_LEVEL_UNKNOWN'), key);
    }
  });

  it('a user list order named like a built-in falls back to the id order', async () => {
    const list = await f.t.kernel.users.list({ order: 'constructor' as 'id', limit: 5 });
    assert.ok(Array.isArray(list.items));
  });

  it('elements with properties named like built-ins are written and read', async () => {
    const el = await f.api.elements.add(admin, iblockId, { name: 'Second' });
    assert.equal(el.properties.toString, null);
    assert.deepEqual(el.properties.constructor, []);
    const res = await f.api.elements.list(admin, iblockId, { filter: { '=PROPERTY_constructor': 2 } });
    assert.deepEqual(res.items.map((e) => e.name), ['First']);
  });

  it('filter, order and select fields named like built-ins are a coded 400 with every operator', async () => {
    for (const key of INHERITED) {
      for (const op of ['', '=', '!', '%', '>=', '><', '@']) {
        const filter = JSON.parse(`{"${op}${key}": ${op === '><' || op === '@' ? '[1, 2]' : '1'}}`);
        await assert.rejects(f.api.elements.list(admin, iblockId, { filter }), is4xx('FILTER_FIELD_UNKNOWN'), `${op}${key}`);
      }
      await assert.rejects(f.api.elements.list(admin, iblockId, { order: JSON.parse(`{"${key}": "ASC"}`) }), is4xx('ORDER_FIELD_INVALID'), key);
      await assert.rejects(f.api.elements.list(admin, iblockId, { select: [key] }), is4xx('SELECT_FIELD_UNKNOWN'), key);
    }
  });
});
