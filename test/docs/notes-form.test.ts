import assert from 'node:assert/strict';
import path from 'node:path';
import mainModule from '../../modules/main/module.js';
import notesModule from '../../docs/examples/notes/module.js';
import notesBoard from '../../docs/examples/notes/components/notes.board/component.js';
import { projectRoot } from '../../core/config/paths.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const PASSWORD = 'password-123';

/** The token of the board's own form (the layout has forms of its own). */
function boardToken(html: string): string {
  const form = /<form method="post" action="\/notes\/">([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the board shows its form');
  return HttpClient.csrfFrom(form[1]!);
}

const alerts = (html: string) => [...html.matchAll(/<div class="alert alert-(\w+)" role="\w+">([^<]*)<\/div>/g)].map((m) => `${m[1]}: ${m[2]}`);

// docs/components.md, "Forms": a cached component's form with the visitor's CSRF token, post-redirect-get with a flash.
describeEachDb('docs example: the notes board form', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  before(async () => {
    t = await bootTestKernel(kind, {
      definitions: [mainModule, notesModule],
      components: [notesBoard],
      templateRoots: { templates: path.join(projectRoot, 'templates'), components: path.join(projectRoot, 'docs/examples/notes/components') },
    });
    await t.kernel.modules.install('notes');
    const writers = await t.kernel.groups.create({ code: 'note_writers', name: 'Note writers' });
    await t.kernel.rights.setLevel('notes', writers.id, 'W');
    await t.kernel.users.create({ login: 'writer', email: 'w@example.com', password: PASSWORD, groupIds: [writers.id] });
    await t.kernel.users.create({ login: 'reader', email: 'r@example.com', password: PASSWORD });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  const signedIn = async (login: string) => {
    const client = new HttpClient(server.url);
    assert.equal((await client.signIn(login, PASSWORD)).status, 302);
    return client;
  };

  it('renders the board in the layout, posts with the token, redirects and shows the flash once', async () => {
    const writer = await signedIn('writer');
    const page = await writer.get('/notes/');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html[\s\S]*<h2 id="notes-title" class="card-title">Notes<\/h2>[\s\S]*<\/html>/, 'inside the site layout');
    assert.match(html, /No notes yet\./);

    const posted = await writer.post('/notes/', { _csrf: boardToken(html), title: 'Quarterly plan', body: 'Ship it' });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('location'), '/notes/');

    const after = await (await writer.get(posted.headers.get('location')!)).text();
    assert.deepEqual(alerts(after), ['ok: Note &#34;Quarterly plan&#34; added']);
    assert.match(after, /<strong>Quarterly plan<\/strong>/);
    const again = await (await writer.get('/notes/')).text();
    assert.deepEqual(alerts(again), [], 'a flash is shown once');
    assert.match(again, /<strong>Quarterly plan<\/strong>/);
  });

  it('a cached board carries each session its own token', async () => {
    const first = await signedIn('writer');
    const tokenA = boardToken(await (await first.get('/notes/')).text());
    const second = await signedIn('writer'); // a new session: a new token, the same cached HTML
    const html = await (await second.get('/notes/')).text();
    const tokenB = boardToken(html);
    assert.notEqual(tokenB, tokenA);
    assert.doesNotMatch(html, /csrf-slot-|flash-slot-/, 'no placeholder reaches the page');
    const posted = await second.post('/notes/', { _csrf: tokenB, title: 'Second note', body: '' });
    assert.equal(posted.status, 303);
    assert.equal((await first.post('/notes/', { _csrf: tokenB, title: 'Someone else\'s token', body: '' })).status, 403, 'a token is only good for its own session');
  });

  it('bad input comes back as an error flash; a missing token and a missing right are refused', async () => {
    const writer = await signedIn('writer');
    const token = boardToken(await (await writer.get('/notes/')).text());
    const posted = await writer.post('/notes/', { _csrf: token, title: '   ', body: '' });
    assert.equal(posted.status, 303);
    assert.deepEqual(alerts(await (await writer.get('/notes/')).text()), ['error: A note needs a title']);
    assert.equal((await writer.post('/notes/', { title: 'No token', body: '' })).status, 403);

    const reader = await signedIn('reader');
    const html = await (await reader.get('/notes/')).text();
    assert.doesNotMatch(html, /action="\/notes\/"/, 'readers get no form');
    assert.equal((await reader.post('/notes/', { _csrf: HttpClient.csrfFrom(html), title: 'Nope', body: '' })).status, 403);
    const titles = (await t.kernel.api('notes').list({ userId: null, groupIds: [], isAdmin: true })).map((n) => n.title);
    assert.deepEqual(titles.filter((x) => ['No token', 'Nope', '   '].includes(x)), []);
  });
});
