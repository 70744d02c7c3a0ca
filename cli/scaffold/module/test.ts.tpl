import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { __NAME__Item } from '../../modules/__ID__/api.js';

describeEachDb('module __ID__', (kind) => {
  let t: TestKernel;

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('__ID__');
  });
  after(async () => t?.close());

  it('creates its table on install', async () => {
    assert.equal(await t.kernel.db('__ID__').hasTable('items'), true);
  });

  it('adds and lists items', async () => {
    const api = t.kernel.api('__ID__');
    const item: __NAME__Item = await api.add('  First item ');
    assert.equal(item.title, 'First item');
    assert.ok(item.id > 0);
    assert.deepEqual((await api.list()).map((i) => i.title), ['First item']);
  });

  it('rejects an empty title with a coded error', async () => {
    await assert.rejects(t.kernel.api('__ID__').add('  '), { code: '__CONST___TITLE_INVALID' });
  });

  it('has the same message keys in English and Russian', () => {
    assert.deepEqual(t.kernel.i18n.missingKeys('__ID__'), { en: [], ru: [] });
  });
});
