import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import notesModule from '../../docs/examples/notes/module.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

// The worked example of docs/modules.md must keep working as documented.
describeEachDb('docs example: notes module', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let writerToken: string;
  let readerToken: string;
  before(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, notesModule] });
    await t.kernel.modules.install('notes');
    const writers = await t.kernel.groups.create({ code: 'note_writers', name: 'Note writers' });
    await t.kernel.rights.setLevel('notes', writers.id, 'W');
    const writer = await t.kernel.users.create({ login: 'writer', email: 'w@example.com', password: 'password-123', groupIds: [writers.id] });
    const reader = await t.kernel.users.create({ login: 'reader', email: 'r@example.com', password: 'password-123' });
    writerToken = (await t.kernel.tokens.issue(writer.id, 'test')).token;
    readerToken = (await t.kernel.tokens.issue(reader.id, 'test')).token;
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  const call = (token: string, method: string, body?: unknown) =>
    fetch(`${server.url}/api/v1/notes`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('adds and lists notes through the HTTP API', async () => {
    const res = await call(writerToken, 'POST', { title: 'Quarterly plan', body: 'Ship it' });
    assert.equal(res.status, 201);
    const list = (await (await call(readerToken, 'GET')).json()) as { result: { title: string }[] };
    assert.deepEqual(list.result.map((n) => n.title), ['Quarterly plan']);
  });

  it('list() gives Dates on a cache hit as on the miss that built it', async () => {
    const reader = await t.kernel.users.findByLogin('reader');
    const principal = await t.kernel.users.principalOf(reader);
    const built = await t.kernel.api('notes').list(principal, 5);
    const hit = await t.kernel.api('notes').list(principal, 5);
    assert.ok(built.length > 0);
    assert.ok(built[0]!.createdAt instanceof Date && hit[0]!.createdAt instanceof Date, 'createdAt is a Date both times');
    assert.deepEqual(hit, built);
  });

  it('enforces rights on the server', async () => {
    const res = await call(readerToken, 'POST', { title: 'Nope', body: '' });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'ACCESS_DENIED');
  });

  it('answers bad input with a coded 400', async () => {
    const res = await call(writerToken, 'POST', { title: '   ', body: '' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'NOTE_TITLE_REQUIRED');
  });

  it('lets another module veto through the typed before-event', async () => {
    const off = t.kernel.events.onBefore('notes.note.create', (e) => {
      if (/forbidden/i.test(e.data.title)) e.veto('That word is not allowed', 'NOTES_WORD_BLOCKED');
    });
    const res = await call(writerToken, 'POST', { title: 'Forbidden topic', body: '' });
    off();
    assert.equal(res.status, 422);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'NOTES_WORD_BLOCKED');
  });

  it('answers 404 once the module is uninstalled, and keeps the data', async () => {
    await t.kernel.modules.uninstall('notes');
    assert.equal((await call(readerToken, 'GET')).status, 404);
    await t.kernel.modules.install('notes');
    const list = (await (await call(readerToken, 'GET')).json()) as { result: unknown[] };
    assert.equal(list.result.length, 1);
  });
});
