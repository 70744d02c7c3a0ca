import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mainModule from '../../modules/main/module.js';
import infoblocksModule from '../../modules/infoblocks/module.js';
import forumModule from '../../modules/forum/module.js';
import type { ForumApi } from '../../modules/forum/api.js';
import { projectRoot } from '../../core/config/paths.js';
import type { Kernel } from '../../core/kernel.js';
import type { InfoblocksApi } from '../../modules/infoblocks/api.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { headerItems } from '../../core/http/header-items.js';
import { BEGIN, END, byCall, callName, readEventCatalog, renderEventTables } from './event-catalog.js';

const doc = (name: string) => readFileSync(path.join(projectRoot, 'docs', name), 'utf8');
const catalog = readEventCatalog();

/** Calls the "Calls that fire nothing" section of docs/events.md names. */
function silentCalls(): string[] {
  const text = doc('events.md');
  const section = text.slice(text.indexOf('## Calls that fire nothing'));
  const bullets = section.split('\n').filter((l) => l.startsWith('- '));
  return bullets.flatMap((l) => [...l.split(':')[0]!.matchAll(/`([^`]+)`/g)].map((m) => callName(m[1]!)));
}

describe('docs/events.md', () => {
  it('lists exactly the declared events of main and infoblocks, as generated from their declarations', () => {
    const text = doc('events.md');
    const block = text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length);
    assert.ok(catalog.some((e) => e.name.startsWith('main.')) && catalog.some((e) => e.name.startsWith('infoblocks.')), 'both modules declare events');
    const listed = [...block.matchAll(/^\| `([a-z][\w.]+)` \|/gm)].map((m) => m[1]!);
    assert.deepEqual(listed.sort(), catalog.map((e) => e.name).sort(), 'the tables list the declared events');
    assert.equal(block, renderEventTables(catalog), 'docs/events.md is out of date: run `npm run docs:events`');
  });

  it('every declared event says what it means and which call fires it', () => {
    for (const e of catalog) {
      assert.ok(e.summary.length > 10, `${e.name} (${e.file}) needs a comment saying what it means`);
      assert.ok(e.firedBy.length > 0, `${e.name} (${e.file}) needs a @firedBy line`);
    }
  });

  it('is linked from kernel.md and modules.md', () => {
    assert.match(doc('kernel.md'), /\]\(events\.md\)/);
    assert.match(doc('modules.md'), /\]\(events\.md\)/);
  });
});

interface Fixture {
  kernel: Kernel;
  api: InfoblocksApi;
  forum: ForumApi;
  ids: Map<string, number>;
}
const admin: Principal = { userId: null, groupIds: [], isAdmin: true };
const id = (f: Fixture, name: string) => f.ids.get(name)!;

/** One real run of every documented call, in an order where each finds what it needs. */
const actions: [string, (f: Fixture) => Promise<unknown>][] = [
  ['headerItems', async (f) => {
    const user = await f.kernel.users.get(id(f, 'writer'));
    return headerItems(f.kernel.events, { user, principal: await f.kernel.users.principalOf(user), site: (await f.kernel.sites.list())[0]!, language: 'en' });
  }],
  ['kernel.groups.create', async (f) => f.ids.set('group', (await f.kernel.groups.create({ code: 'evt_group', name: 'Events' })).id)],
  ['kernel.groups.update', (f) => f.kernel.groups.update(id(f, 'group'), { name: 'Events renamed' })],
  ['kernel.users.create', async (f) => f.ids.set('user', (await f.kernel.users.create({ login: 'evt_user', email: 'evt@example.com', password: 'Password-123' })).id)],
  ['kernel.users.update', (f) => f.kernel.users.update(id(f, 'user'), { name: 'Eve' })],
  ['kernel.groups.addUser', (f) => f.kernel.groups.addUser(id(f, 'group'), id(f, 'user'))],
  ['kernel.groups.removeUser', (f) => f.kernel.groups.removeUser(id(f, 'group'), id(f, 'user'))],
  ['kernel.rights.setLevel', (f) => f.kernel.rights.setLevel('infoblocks', id(f, 'group'), 'X')],
  ['kernel.tokens.issue', (f) => f.kernel.tokens.issue(id(f, 'user'), 'events')],
  ['kernel.users.setPassword', (f) => f.kernel.users.setPassword(id(f, 'user'), 'Password-456')],
  ['kernel.users.authenticate', (f) => f.kernel.users.authenticate('evt_user', 'Password-456', '127.0.0.1')],
  ['kernel.users.setActive', (f) => f.kernel.users.setActive(id(f, 'user'), false)],
  ['kernel.users.delete', (f) => f.kernel.users.delete(id(f, 'user'))],
  ['kernel.groups.delete', (f) => f.kernel.groups.delete(id(f, 'group'))],
  ['api.iblocks.addType', async (f) => f.ids.set('type', (await f.api.iblocks.addType(admin, { code: 'evt', names: { en: 'Events', ru: 'События' } })).id)],
  ['api.iblocks.add', async (f) => f.ids.set('iblock', (await f.api.iblocks.add(admin, { typeId: id(f, 'type'), code: 'evt_news', name: 'News' })).id)],
  ['api.iblocks.update', (f) => f.api.iblocks.update(admin, id(f, 'iblock'), { name: 'News and notes' })],
  ['api.iblocks.setRights', (f) => f.api.iblocks.setRights(admin, id(f, 'iblock'), {})],
  ['api.properties.add', (f) => f.api.properties.add(admin, id(f, 'iblock'), { code: 'SOURCE', name: 'Source', type: 'string' })],
  ['api.sections.add', async (f) => f.ids.set('section', (await f.api.sections.add(admin, id(f, 'iblock'), { name: 'World' })).id)],
  ['api.sections.update', (f) => f.api.sections.update(admin, id(f, 'section'), { name: 'The world' })],
  ['api.elements.add', async (f) => f.ids.set('element', (await f.api.elements.add(admin, id(f, 'iblock'), { name: 'First', xmlId: 'first' })).id)],
  ['api.elements.update', (f) => f.api.elements.update(admin, id(f, 'element'), { name: 'First, edited' })],
  ['api.elements.importBatch', (f) => f.api.elements.importBatch(admin, id(f, 'iblock'), [{ name: 'First again', xmlId: 'first' }, { name: 'Second', xmlId: 'second' }])],
  ['api.elements.delete', (f) => f.api.elements.delete(admin, id(f, 'element'))],
  ['api.sections.delete', (f) => f.api.sections.delete(admin, id(f, 'section'))],
  ['api.iblocks.delete', (f) => f.api.iblocks.delete(admin, id(f, 'iblock'))],
  ['forum.forums.create', async (f) => f.ids.set('forum', (await f.forum.forums.create(admin, { name: 'Events' })).id)],
  ['forum.forums.setPermission', async (f) => f.forum.forums.setPermission(admin, id(f, 'forum'), (await f.kernel.groups.byCode('registered')).id, 'M')],
  ['forum.createTopic', async (f) => f.ids.set('topic', (await f.forum.createTopic(await writer(f), { forumId: id(f, 'forum'), title: 'Events', body: 'first' })).topic.id)],
  ['forum.reply', async (f) => f.ids.set('reply', (await f.forum.reply(await writer(f), { topicId: id(f, 'topic'), body: 'second' })).id)],
  ['forum.editMessage', (f) => f.forum.editMessage(admin, id(f, 'reply'), 'second, edited')],
  ['forum.approveMessage', (f) => f.forum.approveMessage(admin, id(f, 'pending'))],
  ['forum.setTopicFlags', (f) => f.forum.setTopicFlags(admin, id(f, 'topic'), { closed: true })],
  ['forum.deleteMessage', (f) => f.forum.deleteMessage(admin, id(f, 'reply'))],
  ['forum.restoreMessage', (f) => f.forum.restoreMessage(admin, id(f, 'reply'))],
  ['forum.moveTopic', (f) => f.forum.moveTopic(admin, id(f, 'topic'), id(f, 'premod'))],
  ['forum.splitTopic', async (f) => f.ids.set('split', (await f.forum.splitTopic(admin, id(f, 'topic'), { messageIds: [id(f, 'reply')], title: 'Split' })).id)],
  ['forum.mergeTopic', (f) => f.forum.mergeTopic(admin, id(f, 'split'), id(f, 'topic'))],
];

/** A signed-in writer of the forum (set up before the runs: creating a user fires events of its own). */
const writer = async (f: Fixture): Promise<Principal> => f.kernel.users.principalOf(await f.kernel.users.get(id(f, 'writer')));

describeEachDb('docs/events.md: each call fires the events documented for it', (kind) => {
  let t: TestKernel;
  let fixture: Fixture;
  const fired: { name: string; kind: 'before' | 'after' }[] = [];
  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, infoblocksModule, forumModule] });
    await t.kernel.modules.install('infoblocks');
    await t.kernel.modules.install('forum');
    fixture = { kernel: t.kernel, api: t.kernel.api('infoblocks'), forum: t.kernel.api('forum'), ids: new Map() };
    fixture.ids.set('writer', (await t.kernel.users.create({ login: 'evt_writer', email: 'evt-writer@example.com', password: 'Password-123' })).id);
    const premod = await fixture.forum.forums.create(admin, { name: 'Premoderated', premoderation: true });
    const pending = await fixture.forum.createTopic(await writer(fixture), { forumId: premod.id, title: 'Pending', body: 'waits' });
    fixture.ids.set('pending', pending.message.id);
    fixture.ids.set('premod', premod.id);
    for (const e of catalog) {
      if (e.kind === 'before') t.kernel.events.onBefore(e.name as never, () => void fired.push({ name: e.name, kind: 'before' }));
      else t.kernel.events.onAfter(e.name as never, () => void fired.push({ name: e.name, kind: 'after' }));
    }
  });
  after(async () => t?.close());

  it('every documented call has a run here, and each fires exactly its documented events', async () => {
    // This run boots main, infoblocks and forum; other modules check their own calls (test/workflow/events.test.ts).
    const own = catalog.filter((e) => !e.file.startsWith('modules/') || /^modules\/(main|infoblocks|forum)\//.test(e.file));
    const documented = new Map([...byCall(own)].map(([call, list]) => [callName(call), new Set(list.map((l) => l.event.name))]));
    for (const call of silentCalls()) {
      assert.ok(!documented.has(call), `${call} is listed as firing nothing but fires events`);
      documented.set(call, new Set());
    }
    const runs = new Set(actions.map(([call]) => call));
    for (const call of documented.keys()) assert.ok(runs.has(call), `add a run of ${call} to this test`);
    for (const [call, run] of actions) {
      assert.ok(documented.has(call), `${call} is run here but docs/events.md does not mention it`);
      fired.length = 0;
      await run(fixture);
      assert.deepEqual(new Set(fired.map((f) => f.name)), documented.get(call), call);
      const firstAfter = fired.findIndex((f) => f.kind === 'after');
      assert.ok(firstAfter < 0 || fired.slice(firstAfter).every((f) => f.kind === 'after'), `${call}: before-events run before after-events`);
    }
  });
});
