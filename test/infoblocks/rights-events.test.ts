import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

const denied = (e: { code?: string; status?: number }) => e.code === 'ACCESS_DENIED' && e.status === 403;

describeEachDb('infoblocks rights, events and cache', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  const who: Record<'reader' | 'editor' | 'writer' | 'full' | 'nobody', Principal> = {} as never;
  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    const groups: Record<string, number> = {};
    for (const c of ['readers', 'editors', 'writers', 'owners']) groups[c] = (await k.groups.create({ code: c, name: c })).id;
    const ib = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'docs', name: 'Docs', rights: { [groups.readers!]: 'R', [groups.editors!]: 'U', [groups.writers!]: 'W', [groups.owners!]: 'X' } });
    iblockId = ib.id;
    const mk = async (login: string, gid?: number): Promise<Principal> => {
      const u = await k.users.create({ login, email: `${login}@example.com`, password: 'password-123', groupIds: gid ? [gid] : [] });
      return k.users.principalOf(u);
    };
    who.reader = await mk('reader', groups.readers);
    who.editor = await mk('editor', groups.editors);
    who.writer = await mk('writer', groups.writers);
    who.full = await mk('full', groups.owners);
    who.nobody = await mk('nobody');
  });
  after(async () => f.t.close());

  it('enforces deny, read, edit-through-workflow, write and full per infoblock', async () => {
    const e = f.api.elements;
    assert.equal(await f.api.iblocks.levelOf(who.nobody, iblockId), 'D');
    await assert.rejects(e.list(who.nobody, iblockId), denied);
    assert.equal((await e.list(who.reader, iblockId)).total, 0);
    await assert.rejects(e.add(who.reader, iblockId, { name: 'x' }), denied);
    const draft = await e.add(who.editor, iblockId, { name: 'Draft', active: true });
    assert.equal(draft.active, false, 'workflow editors create inactive elements');
    const published = await e.add(who.writer, iblockId, { name: 'Published' });
    assert.equal(published.active, true);
    await assert.rejects(e.update(who.editor, published.id, { name: 'hijack' }), denied);
    assert.equal((await e.update(who.editor, draft.id, { name: 'Draft 2' })).name, 'Draft 2');
    await assert.rejects(e.delete(who.editor, draft.id), denied);
    await assert.rejects(f.api.sections.add(who.editor, iblockId, { name: 's' }), denied);
    await f.api.sections.add(who.writer, iblockId, { name: 's' });
    await assert.rejects(f.api.properties.add(who.writer, iblockId, { code: 'P', name: 'p', type: 'string' }), denied);
    await f.api.properties.add(who.full, iblockId, { code: 'P', name: 'p', type: 'string' });
    await assert.rejects(f.api.iblocks.update(who.writer, iblockId, { name: 'x' }), denied);
    await assert.rejects(f.api.iblocks.add(who.full, { typeId: f.typeId, code: 'other', name: 'o' }), denied);
    await e.delete(who.writer, draft.id);
    assert.deepEqual((await f.api.iblocks.list(who.nobody)).map((i) => i.id), []);
    assert.deepEqual((await f.api.iblocks.list(who.reader)).map((i) => i.id), [iblockId]);
    await f.api.iblocks.setRights(who.full, iblockId, { [who.reader.groupIds.find((g) => !who.nobody.groupIds.includes(g))!]: 'D' });
    await assert.rejects(e.list(who.reader, iblockId), denied);
    await assert.rejects(f.api.iblocks.setRights(admin, iblockId, { 1: 'Q' as never }), (err: { code?: string }) => err.code === 'RIGHTS_LEVEL_INVALID');
  });

  it('runs typed before/after events for elements and sections; a veto stops the write', async () => {
    const seen: string[] = [];
    const offs = [
      f.t.kernel.events.onBefore('infoblocks.element.create', (ev) => {
        if (ev.data.input.name === 'forbidden') ev.veto('No', 'IB_TEST_VETO');
        ev.data.input = { ...ev.data.input, name: ev.data.input.name.toUpperCase() };
      }),
      f.t.kernel.events.onAfter('infoblocks.element.created', (el) => void seen.push(`created:${el.name}`)),
      f.t.kernel.events.onAfter('infoblocks.element.updated', (el) => void seen.push(`updated:${el.name}`)),
      f.t.kernel.events.onAfter('infoblocks.element.deleted', (el) => void seen.push(`deleted:${el.id}`)),
      f.t.kernel.events.onAfter('infoblocks.section.created', (s) => void seen.push(`section:${s.name}`)),
      f.t.kernel.events.onAfter('infoblocks.iblock.updated', (ib) => void seen.push(`iblock:${ib.name}`)),
    ];
    try {
      await assert.rejects(f.api.elements.add(admin, iblockId, { name: 'forbidden' }), (err: { code?: string; status?: number }) => err.code === 'IB_TEST_VETO' && err.status === 422);
      const el = await f.api.elements.add(admin, iblockId, { name: 'hello' });
      assert.equal(el.name, 'HELLO');
      await f.api.elements.update(admin, el.id, { sort: 10 });
      await f.api.elements.delete(admin, el.id);
      await f.api.sections.add(admin, iblockId, { name: 'Sec' });
      await f.api.iblocks.update(admin, iblockId, { name: 'Docs 2' });
      assert.deepEqual(seen, ['created:HELLO', 'updated:HELLO', `deleted:${el.id}`, 'section:Sec', 'iblock:Docs 2']);
    } finally {
      offs.forEach((off) => off());
    }
  });

  it('invalidates cached lists and elements on every change', async () => {
    const e = f.api.elements;
    const el = await e.add(admin, iblockId, { name: 'cached', code: 'cached' });
    const q = { filter: { '=CODE': 'cached' } };
    assert.equal((await e.list(admin, iblockId, q)).items[0]!.name, 'cached');
    assert.equal((await e.get(admin, el.id)).name, 'cached');
    await e.update(admin, el.id, { name: 'changed' });
    assert.equal((await e.list(admin, iblockId, q)).items[0]!.name, 'changed');
    assert.equal((await e.get(admin, el.id)).name, 'changed');
    assert.ok((await e.get(admin, el.id)).createdAt instanceof Date);
    await f.api.properties.add(admin, iblockId, { code: 'LATE', name: 'Late', type: 'number', defaultValue: 3 });
    assert.equal((await e.get(admin, el.id)).properties.LATE, null);
    await e.delete(admin, el.id);
    assert.equal((await e.list(admin, iblockId, q)).total, 0);
    await assert.rejects(e.get(admin, el.id), (err: { code?: string }) => err.code === 'ELEMENT_NOT_FOUND');
  });
});
