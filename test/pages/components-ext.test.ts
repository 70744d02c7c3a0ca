import assert from 'node:assert/strict';
import { matchSef, buildSefUrl } from '../../core/components/sef.js';
import * as topicModule from '../../docs/examples/board/components/board.topic/component.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootPages, type PagesFixture } from './harness.js';

describe('SEF routes of complex components', () => {
  const sef = {
    routes: { list: '', section: '#SECTION_ID#/', detail: 'topic/#ID#/' },
    vars: { SECTION_ID: { type: 'number' as const, integer: true, min: 1 }, ID: { type: 'number' as const, integer: true, min: 1 } },
  };

  it('matches each route and converts its variables', () => {
    assert.deepEqual(matchSef(sef, ''), { route: 'list', vars: {} });
    assert.deepEqual(matchSef(sef, '7/'), { route: 'section', vars: { SECTION_ID: 7 } });
    assert.deepEqual(matchSef(sef, 'topic/12/'), { route: 'detail', vars: { ID: 12 } });
  });

  it('refuses unknown sub-URLs and variables that fail validation', () => {
    for (const sub of ['topic/', 'topic/abc/', 'topic/0/', 'x/y/', '7', 'topic/5/extra/', '-1/', '1.5/', 'topic/%zz/']) {
      assert.equal(matchSef(sef, sub), null, sub);
    }
  });

  it('builds URLs and leaves missing variables as placeholders', () => {
    assert.equal(buildSefUrl('/board/', sef, 'detail', { ID: 5 }), '/board/topic/5/');
    assert.equal(buildSefUrl('/board/', sef, 'section'), '/board/#SECTION_ID#/');
    assert.equal(buildSefUrl('/board/', { routes: { s: 'q/#Q#/' } }, 's', { Q: 'a/b' }), '/board/q/a%2Fb/');
    assert.throws(() => buildSefUrl('/board/', sef, 'nope'), /unknown SEF route/);
  });
});

describeEachDb('component runtime extensions', (kind) => {
  let f: PagesFixture;
  before(async () => {
    f = await bootPages(kind);
  });
  after(async () => f.close());

  it('runs the modifier before the template and caches its output with the HTML', async () => {
    const state = await f.stateFor(f.user);
    const before = topicModule.topicPrepareCalls;
    const part = await f.kernel.components.renderPart(state, 'board.topic', { id: f.topics.hello }, '.default');
    assert.match(part.html, /<time datetime="\d{4}-\d{2}-\d{2}">/, 'modifier added the date');
    assert.match(part.html, /<p>First paragraph\.<\/p>\s*<p>Second paragraph\.<\/p>/, 'modifier split the paragraphs');
    assert.match(part.html, /Hello &lt;world&gt;/, 'escaped');
    await f.kernel.components.renderPart(state, 'board.topic', { id: f.topics.hello }, '.default');
    assert.equal(topicModule.topicPrepareCalls - before, 1, 'the second render is a cache hit');
  });

  it('runs the epilog on every hit, cache hits included, with the cached result', async () => {
    const state = await f.stateFor(f.user);
    const viewsBefore = (await f.kernel.api('board').topic(f.topics.plans))!.views;
    const first = await f.kernel.components.renderPart(state, 'board.topic', { id: f.topics.plans });
    const second = await f.kernel.components.renderPart(state, 'board.topic', { id: f.topics.plans });
    assert.equal((await f.kernel.api('board').topic(f.topics.plans))!.views - viewsBefore, 2, 'counted twice');
    for (const part of [first, second]) {
      assert.equal(part.title, 'Plans for 2027', 'the epilog set the title from the cached result');
      assert.deepEqual(part.breadcrumbs, [{ href: `/board/${f.sections.ideas}/`, label: 'Ideas & plans' }]);
    }
  });

  it("reports the template folder's style.css and script.js as servable URLs", async () => {
    const state = await f.stateFor(f.user);
    const part = await f.kernel.components.renderPart(state, 'board.topic', { id: f.topics.hello });
    assert.equal(part.css.length, 1);
    assert.match(part.css[0]!, /^\/assets\/c\/components\/board\.topic\/templates\/\.default\/style\.css\?v=[0-9a-z]+$/);
    assert.match(part.js[0]!, /^\/assets\/c\/components\/board\.topic\/templates\/\.default\/script\.js\?v=/);
    const plain = await f.kernel.components.renderPart(state, 'board.sections', {});
    assert.deepEqual([plain.css, plain.js], [[], []], 'a folder without assets reports none');
  });

  it('keeps render() returning the HTML string', async () => {
    const html = await f.kernel.components.render(await f.stateFor(null), 'board.sections');
    assert.equal(typeof html, 'string');
    assert.match(html, /General/);
  });

  it('routes a complex component by URL and 404s unknown sub-URLs and bad variables', async () => {
    const state = await f.stateFor(f.user);
    const sef = (path: string) => ({ sef: { base: '/board/', path } });
    const list = await f.kernel.components.renderPart(state, 'board.main', {}, '.default', sef(''));
    assert.match(list.html, new RegExp(`href="/board/${f.sections.general}/"`), 'the child got the SEF URL template');
    const section = await f.kernel.components.renderPart(state, 'board.main', {}, '.default', sef(`${f.sections.general}/`));
    assert.match(section.html, new RegExp(`href="/board/topic/${f.topics.hello}/"`));
    const topic = await f.kernel.components.renderPart(state, 'board.main', {}, '.default', sef(`topic/${f.topics.hello}/`));
    assert.equal(topic.title, 'Hello <world>');
    for (const bad of ['nope/', 'topic/abc/', 'topic/0/', `topic/${f.topics.hello}/more/`, 'topic/99999/', '99999/']) {
      await assert.rejects(f.kernel.components.renderPart(state, 'board.main', {}, '.default', sef(bad)), (err: { code?: string; status?: number }) => {
        assert.equal(err.code, 'PAGE_NOT_FOUND', bad);
        assert.equal(err.status, 404);
        return true;
      });
    }
    await assert.rejects(f.kernel.components.renderPart(state, 'board.main', { topicsPerPage: 0 }, '.default', sef('')), /topicsPerPage" must be at least 1/);
  });
});
