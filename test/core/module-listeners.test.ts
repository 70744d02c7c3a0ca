import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { defineModule } from '../../core/modules/types.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { alpha } from '../fixtures/test-modules.js';

/** Counts what a listening module's setup registered, however it registered it. */
const heard = { scoped: 0, raw: 0, before: 0, checker: 0 };

/** Registers in setup without `{ module: ctx.id }`: the kernel must still know they are its own. */
const listener = defineModule({
  id: 'listener',
  version: '0.1.0',
  title: { en: 'Listener', ru: 'Слушатель' },
  dependencies: { alpha: '^1.0.0' },
  setup(ctx) {
    ctx.events.onAfter('alpha.note.created', () => void heard.scoped++);
    ctx.events.onBefore('alpha.note.create', () => void heard.before++);
    ctx.kernel.events.onAfter('alpha.note.created', () => void heard.raw++);
    ctx.kernel.rights.registerChecker('main.portal.view', async () => {
      heard.checker++;
      return 'neutral' as const;
    });
    return {};
  },
});

describeEachDb('module listeners across uninstall and reinstall', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, alpha, listener] });
    await t.kernel.modules.install('alpha');
  });
  after(async () => t.close());

  const fire = async () => {
    await t.kernel.api('alpha').add('note');
    await t.kernel.rights.can({ userId: null, groupIds: [], isAdmin: false }, 'main.portal.view', { any: 'object' });
  };
  const reset = () => Object.assign(heard, { scoped: 0, raw: 0, before: 0, checker: 0 });

  it('runs what setup registered exactly once per event, not at all while uninstalled', async () => {
    await t.kernel.modules.install('listener');
    reset();
    await fire();
    assert.deepEqual(heard, { scoped: 1, raw: 1, before: 1, checker: 1 }, 'installed');

    await t.kernel.modules.uninstall('listener');
    reset();
    await fire();
    assert.deepEqual(heard, { scoped: 0, raw: 0, before: 0, checker: 0 }, 'uninstalled');

    await t.kernel.modules.install('listener');
    reset();
    await fire();
    assert.deepEqual(heard, { scoped: 1, raw: 1, before: 1, checker: 1 }, 'reinstalled');
  });

  it('refuses a listener registered through ctx.events in another module\'s name', () => {
    const ctx = t.kernel.context('listener');
    assert.throws(() => ctx.events.onAfter('alpha.note.created', () => undefined, { module: 'alpha' }), /module "listener" cannot register a listener as "alpha"/);
  });
});
