import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import type { __NAME__Item } from '../../modules/__ID__/api.js';

const PASSWORD = 'Password-123';
const anonymous: Principal = { userId: null, groupIds: [], isAdmin: false };

// Runs on SQLite and MariaDB: `npm test -- --grep "module __ID__"` (docs/modules.md, "Testing a module").
describeEachDb('module __ID__', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let editor: Principal;
  let viewer: Principal;

  before(async () => {
    t = await bootTestKernel(kind);
    await t.kernel.modules.install('__ID__');
    const editors = await t.kernel.groups.create({ code: '__ID___editors', name: 'Editors' });
    await t.kernel.rights.setLevel('__ID__', editors.id, 'W');
    const e = await t.kernel.users.create({ login: 'editor', email: 'editor@example.com', password: PASSWORD, groupIds: [editors.id] });
    const v = await t.kernel.users.create({ login: 'viewer', email: 'viewer@example.com', password: PASSWORD });
    editor = await t.kernel.users.principalOf(e);
    viewer = await t.kernel.users.principalOf(v);
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  it('creates its table on install', async () => {
    assert.equal(await t.kernel.db('__ID__').hasTable('items'), true);
  });

  it('adds and lists items for those with the right, and refuses everyone else', async () => {
    const api = t.kernel.api('__ID__');
    const item: __NAME__Item = await api.add(editor, '  First item ');
    assert.equal(item.title, 'First item');
    assert.ok(item.createdAt instanceof Date);
    assert.deepEqual((await api.list(viewer)).map((i) => i.title), ['First item']);
    await assert.rejects(api.add(viewer, 'Not mine to add'), { code: 'ACCESS_DENIED' });
    await assert.rejects(api.list(anonymous), { code: 'ACCESS_DENIED' });
  });

  it('rejects an empty title with a coded error', async () => {
    await assert.rejects(t.kernel.api('__ID__').add(editor, '  '), { code: '__CONST___TITLE_INVALID' });
  });

  it('shows its page in the site layout and adds an item through the form', async () => {
    const anon = new HttpClient(server.url);
    assert.equal((await anon.get('/__ID__/')).status, 302, 'anonymous visitors are sent to sign in');
    assert.equal((await anon.request('GET', '/api/v1/__ID__/items', { headers: { accept: 'application/json' } })).status, 401);

    const client = new HttpClient(server.url);
    assert.equal((await client.signIn('editor', PASSWORD)).status, 302);
    const html = await (await client.get('/__ID__/')).text();
    assert.match(html, /<html[\s\S]*id="__ID__-title"[\s\S]*<\/html>/, 'the component inside the layout');
    const form = /<form method="post" action="\/__ID__\/"[\s\S]*?<\/form>/.exec(html);
    assert.ok(form, 'editors get the form');
    const posted = await client.post('/__ID__/', { _csrf: HttpClient.csrfFrom(form[0]), title: 'From the form' });
    assert.equal(posted.status, 303);
    const after = await (await client.get('/__ID__/')).text();
    assert.match(after, /class="alert alert-ok"[^>]*>&#34;From the form&#34; added</, 'the flash message');
    assert.match(after, /<li>From the form<\/li>/);
  });

  it('has the same message keys in English and Russian', () => {
    assert.deepEqual(t.kernel.i18n.missingKeys('__ID__'), { en: [], ru: [] });
  });
});
