import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { ADMIN, bootWorkflow, ELEMENT, type WfFixture } from './fixture.js';

const ANON = { userId: null, groupIds: [], isAdmin: false };

describeEachDb('workflow document statuses', (kind) => {
  let f: WfFixture;
  const ib = () => f.kernel.api('infoblocks');
  const st = () => f.kernel.api('workflow').statuses;
  before(async () => {
    f = await bootWorkflow(kind);
  });
  after(async () => {
    await f?.t.close();
  });

  it('a new element waits unpublished in "draft"; only a group allowed into "published" publishes it', async () => {
    const author = await f.principal(f.people.author);
    const el = await ib().elements.add(author, f.news, { name: 'Canteen menu', active: true });
    assert.equal((await st().state(ELEMENT, String(el.id)))!.status.code, 'draft');
    assert.equal((await ib().elements.list(ADMIN, f.news, { filter: { ACTIVE: 'Y' } })).items.some((x) => x.id === el.id), false, 'not listed as published');
    await assert.rejects(st().move(author, String(el.id), 'published'), { code: 'WORKFLOW_STATUS_DENIED' });
    assert.equal((await st().move(author, String(el.id), 'ready')).status.code, 'ready');
    await assert.rejects(st().move(author, String(el.id), 'no-such'), { code: 'WORKFLOW_STATUS_NOT_FOUND' });

    const editors = (await f.kernel.groups.list()).find((g) => g.code === 'content_editors')!;
    const published = (await st().list()).find((s) => s.code === 'published')!;
    await st().setRights(ADMIN, 'published', [...published.rights, { groupId: editors.id, canMove: true, canEdit: true }]);
    await st().move(await f.principal(f.people.ed1), String(el.id), 'published');
    assert.equal((await ib().elements.get(ADMIN, el.id)).active, true);
    assert.equal((await st().state(ELEMENT, String(el.id)))!.livePublished, true);
  });

  it('editing a published element works on a draft; the live element changes when the draft is published', async () => {
    const ed1 = await f.principal(f.people.ed1);
    const el = await ib().elements.add(ed1, f.news, { name: 'Parking rules', previewText: 'Old text' });
    await st().move(ed1, String(el.id), 'published');
    await ib().elements.update(ed1, el.id, { name: 'Parking rules 2027', previewText: 'New text' });
    const live = await ib().elements.get(ADMIN, el.id);
    assert.equal(live.name, 'Parking rules', 'the live element is untouched');
    assert.equal(live.active, true);
    const state = (await st().state(ELEMENT, String(el.id)))!;
    assert.equal(state.hasDraft, true);
    assert.equal(state.draft!.name, 'Parking rules 2027');

    await st().move(ed1, String(el.id), 'published');
    assert.equal((await ib().elements.get(ADMIN, el.id)).name, 'Parking rules 2027');
    assert.equal((await st().state(ELEMENT, String(el.id)))!.hasDraft, false);

    const history = await st().history(ed1, String(el.id));
    assert.deepEqual(history.map((v) => v.kind), ['published', 'draft', 'published', 'created']);
    const changes = await st().diff(ed1, String(el.id), history.at(-1)!.number, history[0]!.number);
    assert.deepEqual(changes.map((c) => c.field).sort(), ['name', 'previewText']);
    assert.deepEqual(changes.find((c) => c.field === 'name'), { field: 'name', before: 'Parking rules', after: 'Parking rules 2027' });
    await assert.rejects(st().diff(ed1, String(el.id), 1, 999), { code: 'WORKFLOW_VERSION_NOT_FOUND' });

    await st().restore(ed1, String(el.id), history.at(-1)!.number);
    assert.equal((await ib().elements.get(ADMIN, el.id)).name, 'Parking rules 2027', 'a restore of a published element is a draft too');
    assert.equal((await st().state(ELEMENT, String(el.id)))!.draft!.name, 'Parking rules');
    await st().move(ed1, String(el.id), 'published');
    assert.equal((await ib().elements.get(ADMIN, el.id)).name, 'Parking rules');
  });

  it('an edit lock keeps the other editor out until it is released, naming who holds it', async () => {
    const ed1 = await f.principal(f.people.ed1);
    const ed2 = await f.principal(f.people.ed2);
    const el = await ib().elements.add(ed1, f.news, { name: 'Locked item' });
    const locked = await st().lock(ed1, String(el.id));
    assert.equal(locked.lockedBy, f.people.ed1);
    assert.ok(locked.lockedUntil!.getTime() > Date.now());
    await assert.rejects(ib().elements.update(ed2, el.id, { name: 'Taken over' }), (err: { code?: string; message: string }) => {
      assert.equal(err.code, 'WORKFLOW_LOCKED');
      assert.match(err.message, /Ed1/);
      return true;
    });
    await assert.rejects(st().lock(ed2, String(el.id)), { code: 'WORKFLOW_LOCKED' });
    await assert.rejects(st().unlock(ed2, String(el.id)), { code: 'WORKFLOW_LOCKED' });
    assert.equal((await ib().elements.get(ADMIN, el.id)).name, 'Locked item');
    await ib().elements.update(ed1, el.id, { name: 'Edited by the holder' });
    await st().unlock(ed1, String(el.id));
    await ib().elements.update(ed2, el.id, { name: 'Now ed2' });
    assert.equal((await ib().elements.get(ADMIN, el.id)).name, 'Now ed2');
  });

  it('an expired lock no longer blocks', async () => {
    const ed1 = await f.principal(f.people.ed1);
    const el = await ib().elements.add(ed1, f.news, { name: 'Old lock' });
    await st().lock(ed1, String(el.id));
    await f.kernel.db('workflow').write('doc_states').where({ document_id: String(el.id) }).update({ locked_until: Date.now() - 1000 });
    await ib().elements.update(await f.principal(f.people.ed2), el.id, { name: 'After expiry' });
    assert.equal((await ib().elements.get(ADMIN, el.id)).name, 'After expiry');
  });

  it('history and moves need read access to the element', async () => {
    const el = await ib().elements.add(ADMIN, f.news, { name: 'Private' });
    await assert.rejects(st().history(ANON, String(el.id)));
    await assert.rejects(st().move(ANON, String(el.id), 'ready'));
    assert.equal((await st().state(ELEMENT, String(el.id)))!.status.code, 'draft');
  });
});
