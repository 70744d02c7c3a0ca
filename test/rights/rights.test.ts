import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { RightsDefinition } from '../../core/modules/types.js';
import type { AccessResult, Principal } from '../../core/services.js';

const t2 = (en: string) => ({ en, ru: en });
const forumRights: RightsDefinition = {
  levels: {
    D: { title: t2('Denied'), operations: [] },
    R: { title: t2('Read'), operations: ['forum.topic.read'] },
    W: { title: t2('Write'), operations: ['forum.topic.read', 'forum.topic.create', 'forum.topic.edit'] },
    X: { title: t2('Full'), operations: ['*'] },
  },
  defaultLevel: 'D',
  defaults: { everyone: 'R', registered: 'W', no_such_group: 'X' },
  operations: {
    'forum.topic.read': t2('Read topics'),
    'forum.topic.create': t2('Create topics'),
    'forum.topic.edit': t2('Edit topics'),
    'forum.topic.delete': t2('Delete topics'),
  },
};

describeEachDb('rights', (kind) => {
  let t: TestKernel;
  let anonymous: Principal;
  let member: Principal;
  let moderators: number;
  before(async () => {
    t = await bootTestKernel(kind);
    const { rights, users, groups } = t.kernel;
    rights.registerModule('forum', forumRights);
    await rights.writeDefaults('forum');
    moderators = (await groups.create({ code: 'moderators', name: 'Moderators' })).id;
    anonymous = await users.principalOf(null);
    member = await users.principalOf(await users.create({ login: 'forum.member', email: 'fm@example.com' }));
  });
  after(async () => {
    await t?.close();
  });

  it('writes defaults per group code without overwriting existing rows', async () => {
    const { rights, groups } = t.kernel;
    const levels = await rights.getLevels('forum');
    assert.equal(levels[(await groups.byCode('everyone')).id], 'R');
    assert.equal(levels[(await groups.byCode('registered')).id], 'W');
    assert.equal(Object.keys(levels).length, 2, 'unknown group codes are skipped');
    await rights.setLevel('forum', (await groups.byCode('everyone')).id, 'D');
    await rights.writeDefaults('forum');
    assert.equal((await rights.getLevels('forum'))[(await groups.byCode('everyone')).id], 'D');
    await rights.setLevel('forum', (await groups.byCode('everyone')).id, 'R');
  });

  it('takes the highest level over the principal groups, else the default level', async () => {
    const { rights } = t.kernel;
    assert.equal(await rights.levelOf(anonymous, 'forum'), 'R');
    assert.equal(await rights.levelOf(member, 'forum'), 'W');
    assert.equal(await rights.levelOf({ userId: 1, groupIds: [moderators], isAdmin: false }, 'forum'), 'D');
    await rights.setLevel('forum', moderators, 'X');
    const mod: Principal = { ...member, groupIds: [...member.groupIds, moderators] };
    assert.equal(await rights.levelOf(mod, 'forum'), 'X');
    assert.equal(await rights.can(mod, 'forum.topic.delete'), true, '"*" grants every operation');
    await rights.clearLevel('forum', moderators);
    assert.equal(await rights.levelOf(mod, 'forum'), 'W');
  });

  it('grants operations by level and sees level changes at once (cache invalidated)', async () => {
    const { rights, groups } = t.kernel;
    assert.equal(await rights.can(anonymous, 'forum.topic.read'), true);
    assert.equal(await rights.can(anonymous, 'forum.topic.create'), false);
    assert.equal(await rights.can(member, 'forum.topic.create'), true);
    assert.equal(await rights.can(member, 'forum.topic.delete'), false);
    const everyone = (await groups.byCode('everyone')).id;
    await rights.setLevel('forum', everyone, 'D');
    assert.equal(await rights.can(anonymous, 'forum.topic.read'), false);
    await rights.setLevel('forum', everyone, 'R');
    assert.equal(await rights.can(anonymous, 'forum.topic.read'), true);
    await assert.rejects(rights.assert(anonymous, 'forum.topic.create'), { code: 'ACCESS_DENIED', status: 403 });
    await rights.assert(member, 'forum.topic.create');
  });

  it('lets administrators do anything', async () => {
    const { rights, users, groups } = t.kernel;
    const admin = await users.create({ login: 'forum.admin', email: 'fa@example.com', groupIds: [(await groups.byCode('administrators')).id] });
    const p = await users.principalOf(admin);
    assert.equal(p.isAdmin, true);
    assert.equal(await rights.can(p, 'forum.topic.delete'), true);
    assert.equal(await rights.can(p, 'main.modules.manage'), true);
  });

  it('denies unknown operations and modules without throwing', async () => {
    const { rights } = t.kernel;
    assert.equal(await rights.can(member, 'forum.topic.fly'), false);
    assert.equal(await rights.can(member, 'nomodule.thing'), false);
    assert.equal(await rights.can(member, 'nodot'), false);
    assert.equal(await rights.can(member, ''), false);
    assert.equal(await rights.can(member, 'forum.topic.fly', { id: 1 }), false);
  });

  it('combines object checkers Drupal-style: any forbid denies, any allow grants', async () => {
    const { rights } = t.kernel;
    const topic = (authorId: number | null, locked = false) => ({ authorId, locked });
    const offAuthor = rights.registerChecker('forum.topic.delete', (p, o): AccessResult =>
      p.userId !== null && (o as { authorId: number }).authorId === p.userId ? 'allow' : 'neutral',
    );
    const offLocked = rights.registerChecker('forum.topic.delete', (_p, o) => Promise.resolve<AccessResult>((o as { locked: boolean }).locked ? 'forbid' : 'neutral'));
    const offEdit = rights.registerChecker('forum.topic.edit', (_p, o): AccessResult => ((o as { locked: boolean }).locked ? 'forbid' : 'neutral'));
    try {
      assert.equal(await rights.can(member, 'forum.topic.delete'), false, 'no level grant, no object');
      assert.equal(await rights.can(member, 'forum.topic.delete', topic(member.userId)), true, 'allow without level grant');
      assert.equal(await rights.can(member, 'forum.topic.delete', topic(-5)), false, 'neutral and no grant');
      assert.equal(await rights.can(member, 'forum.topic.delete', topic(member.userId, true)), false, 'forbid beats allow');
      assert.equal(await rights.can(member, 'forum.topic.edit', topic(null)), true, 'neutral keeps the level grant');
      assert.equal(await rights.can(member, 'forum.topic.edit', topic(null, true)), false, 'forbid beats the level grant');
    } finally {
      offAuthor();
      offLocked();
      offEdit();
    }
    assert.equal(await rights.can(member, 'forum.topic.delete', topic(member.userId)), false, 'checkers removed');
  });

  it('rejects unknown levels and invalid definitions', async () => {
    const { rights } = t.kernel;
    await assert.rejects(rights.setLevel('forum', moderators, 'Z'), { code: 'RIGHTS_LEVEL_UNKNOWN', status: 400 });
    await assert.rejects(rights.setLevel('forum', 424242, 'R'), { code: 'GROUP_NOT_FOUND' });
    await assert.rejects(rights.setLevel('nomodule', moderators, 'R'), { code: 'RIGHTS_MODULE_UNKNOWN' });
    const bad = (patch: Partial<RightsDefinition>): RightsDefinition => ({ ...forumRights, ...patch });
    assert.throws(() => rights.registerModule('blog', bad({})), { code: 'RIGHTS_DEFINITION_INVALID' }, 'operations must be prefixed with the module id');
    assert.throws(() => rights.registerModule('forum', bad({ defaultLevel: 'Q' })), { code: 'RIGHTS_DEFINITION_INVALID' });
    assert.throws(
      () => rights.registerModule('forum', bad({ levels: { ...forumRights.levels, R: { title: t2('R'), operations: ['forum.topic.ghost'] } } })),
      { code: 'RIGHTS_DEFINITION_INVALID', message: /forum\.topic\.ghost/ },
    );
    assert.equal(rights.definition('forum'), forumRights, 'a failed registration keeps the old definition');
  });

  it('removeModule deletes the stored levels', async () => {
    const { rights, groups } = t.kernel;
    rights.registerModule('wiki', {
      levels: { D: { title: t2('D'), operations: [] }, R: { title: t2('R'), operations: ['wiki.read'] } },
      defaultLevel: 'D',
      defaults: { everyone: 'R' },
      operations: { 'wiki.read': t2('Read') },
    });
    await rights.writeDefaults('wiki');
    assert.equal(await rights.can(anonymous, 'wiki.read'), true);
    await rights.removeModule('wiki');
    assert.deepEqual(await rights.getLevels('wiki'), {});
    assert.equal(await rights.can(anonymous, 'wiki.read'), false);
    assert.ok((await rights.getLevels('forum'))[(await groups.byCode('everyone')).id], 'other modules untouched');
  });
});
