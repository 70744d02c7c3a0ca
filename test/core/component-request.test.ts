import assert from 'node:assert/strict';
import path from 'node:path';
import mainModule from '../../modules/main/module.js';
import { projectRoot } from '../../core/config/paths.js';
import { readQuery } from '../../core/components/request.js';
import { buildSefUrl, matchSef } from '../../core/components/sef.js';
import type { PortalState } from '../../core/http/state.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { alpha } from '../fixtures/test-modules.js';
import notes from '../fixtures/alpha-notes-component.js';
import { book, calls, paged } from '../fixtures/alpha-request-components.js';

const fixtureRoots = {
  templates: path.join(projectRoot, 'test/fixtures/site/templates'),
  components: path.join(projectRoot, 'test/fixtures/site/components'),
};

describe('reading the query string', () => {
  const schema = { page: { type: 'number' as const, integer: true, min: 1, default: 1 }, q: { type: 'string' as const, maxLength: 5 } };

  it('converts the values a schema names, fills defaults and ignores the rest', () => {
    assert.deepEqual(readQuery({ page: '3', q: 'abc', utm_source: 'x' }, schema), { page: 3, q: 'abc' });
    assert.deepEqual(readQuery({}, schema), { page: 1, q: '' });
  });

  it('refuses bad values with REQUEST_PARAM_INVALID naming the query parameter', () => {
    for (const [query, message] of [
      [{ page: 'x' }, /^Query parameter "page" must be a number, got "x"$/],
      [{ page: '0' }, /^Query parameter "page" must be at least 1$/],
      [{ page: ['1', '2'] }, /^Query parameter "page" is given more than once$/],
      [{ q: 'toolong' }, /^Query parameter "q" must be at most 5 characters$/],
    ] as const) {
      assert.throws(() => readQuery(query, schema), (err: { code: string; status: number; message: string; details: { param: string } }) => {
        assert.equal(err.code, 'REQUEST_PARAM_INVALID');
        assert.equal(err.status, 400);
        assert.match(err.message, message);
        assert.ok(['page', 'q'].includes(err.details.param));
        return true;
      });
    }
  });

  it('lets *_PATH variables of SEF routes span several segments', () => {
    const sef = { routes: { detail: 'x/#ID#/', chapter: '#CHAPTER_PATH#/' } };
    assert.deepEqual(matchSef(sef, 'a/b%20c/d/'), { route: 'chapter', vars: { CHAPTER_PATH: 'a/b c/d' } });
    assert.deepEqual(matchSef(sef, 'x/5/'), { route: 'detail', vars: { ID: '5' } });
    for (const bad of ['a//b/', 'a/../b/', 'a/%2F/', 'a/%zz/']) assert.equal(matchSef(sef, bad), null, bad);
    assert.equal(buildSefUrl('/b/', sef, 'chapter', { CHAPTER_PATH: 'a b/c?' }), '/b/a%20b/c%3F/');
  });
});

describeEachDb('components that read the request', (kind) => {
  let t: TestKernel;
  let state: PortalState;
  const render = (name: string, query: Record<string, string | string[]>, params: Record<string, unknown> = {}) => t.kernel.components.renderPart(state, name, params, '.default', { query });

  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, alpha], components: [notes, paged, book], templateRoots: fixtureRoots });
    await t.kernel.modules.install('alpha');
    for (const title of ['one', 'two', 'three']) await t.kernel.api('alpha').add(title);
    const site = await t.kernel.sites.resolve('localhost');
    state = { site, language: 'en', user: null, session: null, principal: await t.kernel.users.principalOf(null), auth: 'anonymous', csrfToken: '', requestId: 'r' };
  });
  after(async () => t.close());

  it('gives prepare what request read, and caches per request value', async () => {
    const before = calls.paged;
    assert.match((await render('alpha.paged', { page: '2', q: 'hi', other: 'x' })).html, /<p class="paged">2\|hi\|two<\/p>/);
    assert.match((await render('alpha.paged', { page: '2', q: 'hi', other: 'y' })).html, /2\|hi\|two/);
    assert.equal(calls.paged - before, 1, 'unrelated query values do not make a new cache entry');
    assert.match((await render('alpha.paged', { page: '3', q: 'hi' })).html, /3\|hi\|three/);
    assert.equal(calls.paged - before, 2);
    await t.kernel.cache.invalidateTags('alpha:page:3');
    await render('alpha.paged', { page: '3', q: 'hi' });
    assert.equal(calls.paged - before, 3, 'tags may depend on the request');
  });

  it('turns a 400 from request into REQUEST_PARAM_INVALID', async () => {
    await assert.rejects(render('alpha.paged', { page: 'zz' }), { code: 'REQUEST_PARAM_INVALID', message: /Query parameter "page" must be a number/ });
    await assert.rejects(render('alpha.paged', { q: 'forbidden' }), { code: 'REQUEST_PARAM_INVALID', status: 400, message: 'q may not be "forbidden"' });
  });

  it('routes a complex component to several children that all get the query', async () => {
    const part = await t.kernel.components.renderPart(state, 'alpha.book', {}, '.default', { sef: { base: '/book/', path: '' }, query: { page: '3' } });
    assert.match(part.html, /<h3>Contents<\/h3>[\s\S]*<p class="paged">3\|\|three<\/p>/);
    assert.equal(part.title, 'Book');
    const chapter = await t.kernel.components.renderPart(state, 'alpha.book', {}, '.default', { sef: { base: '/book/', path: 'chapter/part 1/two/' } });
    assert.match(chapter.html, /<h3>part 1\/two<\/h3>/);
    assert.equal(chapter.title, '/book/chapter/part%201/ch%3F2/');
    await assert.rejects(t.kernel.components.renderPart(state, 'alpha.book', {}, '.default', { sef: { base: '/book/', path: 'chapter/' } }), { code: 'PAGE_NOT_FOUND' });
  });
});
