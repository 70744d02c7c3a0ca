import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import infoblocksModule from '../../modules/infoblocks/module.js';
import kbModule from '../../docs/examples/kb/module.js';
import { installKb, KB_IBLOCK, SYSTEM } from '../../docs/examples/kb/install.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const code = (err: unknown) => (err as { code?: string }).code;

// The worked example of docs/infoblocks.md ("Storing a module's data in infoblocks") must keep working as documented.
describeEachDb('docs example: kb module stores its data in infoblocks', (kind) => {
  let t: TestKernel;
  let employee: Principal;
  let visitor: Principal;
  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, infoblocksModule, kbModule] });
    await t.kernel.modules.install('infoblocks');
    await t.kernel.modules.install('kb');
    const user = await t.kernel.users.create({ login: 'anna', email: 'anna@example.com', password: 'password-123' });
    employee = await t.kernel.users.principalOf(user);
    visitor = await t.kernel.users.principalOf(null);
  });
  after(async () => t.close());

  const kb = () => t.kernel.api('kb');

  it('creates its infoblock and properties on install, once', async () => {
    const ib = t.kernel.api('infoblocks');
    const iblock = await ib.iblocks.getByCode(SYSTEM, KB_IBLOCK);
    assert.deepEqual((await ib.properties.list(SYSTEM, iblock.id)).map((p) => p.code), ['TOPIC', 'HELPFUL']);
    await installKb(t.kernel.context('kb'));
    assert.equal((await ib.iblocks.list(SYSTEM)).filter((i) => i.code === KB_IBLOCK).length, 1);
    assert.equal(kbModule.migrations, undefined, 'no tables of its own');
  });

  it('adds and finds articles through the infoblocks API, rights coming from the infoblock', async () => {
    await kb().add(employee, { question: 'How do I reset my password?', answer: 'Use the profile page.', topic: 'it', code: 'reset-password' });
    await kb().add(employee, { question: 'Where is the VPN guide?', answer: 'In the IT section of the portal.', topic: 'it' });
    const leave = await kb().add(employee, { question: 'How many days of leave?', answer: 'Ask HR.', topic: 'hr' });
    assert.equal(leave.url, `/kb/${leave.id}/`);
    assert.deepEqual((await kb().find(visitor, { topic: 'it' })).items.map((a) => a.question).sort(), ['How do I reset my password?', 'Where is the VPN guide?']);
    assert.deepEqual((await kb().find(visitor, { search: 'portal' })).items.map((a) => a.question), ['Where is the VPN guide?']);
    await assert.rejects(kb().add(visitor, { question: 'Spam', answer: '', topic: 'general' }), (err) => code(err) === 'ACCESS_DENIED');
    await assert.rejects(kb().find(visitor, { topic: 'sales' }), (err) => code(err) === 'KB_TOPIC_UNKNOWN');
  });

  it('orders by a property kept in the infoblock', async () => {
    const { items } = await kb().find(visitor, { topic: 'it' });
    const vpn = items.find((a) => a.question.startsWith('Where'))!;
    await kb().markHelpful(visitor, vpn.id);
    const after = await kb().find(visitor, { topic: 'it' });
    assert.equal(after.items[0]!.id, vpn.id);
    assert.equal(after.items[0]!.helpful, 1);
  });

  it('keeps the articles on uninstall unless asked to drop data', async () => {
    await t.kernel.modules.uninstall('kb');
    const ib = t.kernel.api('infoblocks');
    assert.equal((await ib.elements.list(SYSTEM, (await ib.iblocks.getByCode(SYSTEM, KB_IBLOCK)).id)).total, 3);
    await t.kernel.modules.install('kb');
    await t.kernel.modules.uninstall('kb', { dropData: true });
    await assert.rejects(ib.iblocks.getByCode(SYSTEM, KB_IBLOCK), (err) => code(err) === 'IBLOCK_NOT_FOUND');
  });
});
