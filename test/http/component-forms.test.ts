import assert from 'node:assert/strict';
import { anonymousCsrfToken, CSRF_SECRET } from '../../core/http/anonymous-csrf.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mainModule from '../../modules/main/module.js';
import { projectRoot } from '../../core/config/paths.js';
import { defineComponent } from '../../core/components/types.js';
import { str } from '../../core/http/admin-forms.js';
import { submitForm } from '../../core/http/flash.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { defineErrors } from '../../core/errors/portal-error.js';
import { defineModule } from '../../core/modules/types.js';
import { registerPage } from '../../core/pages/services.js';
import { setPublicAccess } from '../../modules/main/public-access.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const errors = defineErrors({ FEEDBACK_EMPTY: { status: 400, message: () => 'Say something' } });
const received: string[] = [];

/** A public feedback form: a cached component, a POST route using submitForm. */
const feedback = defineModule({
  id: 'fb',
  version: '0.1.0',
  title: { en: 'Feedback', ru: 'Обратная связь' },
  routes(router, { kernel }) {
    router.post('/feedback/', (ctx) =>
      submitForm(ctx, kernel, '/feedback/', async () => {
        const text = str(ctx.request.body, 'text').trim();
        if (!text) throw errors.FEEDBACK_EMPTY();
        received.push(text);
        return 'Thank you <3';
      }),
    );
  },
});
const form = defineComponent({ name: 'fb.form', title: { en: 'Feedback form', ru: 'Форма обратной связи' }, params: {}, cache: { ttl: 300 }, prepare: async () => ({}) });
const TEMPLATE = '<section id="fb"><%~ it.flash %><form method="post" action="/feedback/"><%~ it.csrfField %><input name="text"></form><p data-token="<%= it.csrf %>"></p></section>';

describeEachDb('component forms: CSRF token and flash messages in cached components', (kind) => {
  let t: TestKernel;
  let server: RunningServer;
  let roots: string;
  let removePage: () => void;
  before(async () => {
    received.length = 0;
    roots = mkdtempSync(path.join(os.tmpdir(), 'portal-fb-'));
    mkdirSync(path.join(roots, 'fb.form/templates/.default'), { recursive: true });
    writeFileSync(path.join(roots, 'fb.form/templates/.default/template.eta'), TEMPLATE);
    t = await bootTestKernel(kind, { definitions: [mainModule, feedback], components: [form], templateRoots: { templates: path.join(projectRoot, 'templates'), components: roots } });
    await t.kernel.modules.install('fb');
    await setPublicAccess(t.kernel, true); // a public site: anonymous visitors see pages
    removePage = registerPage(t.kernel, { path: '/feedback/', title: 'Feedback', placements: [{ component: 'fb.form' }] });
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    removePage?.();
    await server?.close();
    await t?.close();
    rmSync(roots, { recursive: true, force: true });
  });

  const section = (html: string) => /<section id="fb">[\s\S]*?<\/section>/.exec(html)![0];
  const tokenIn = (html: string) => HttpClient.csrfFrom(section(html));

  it('gives every anonymous visitor their own token, from the page cache too', async () => {
    const a = new HttpClient(server.url);
    const b = new HttpClient(server.url);
    const pageA = await (await a.get('/feedback/')).text();
    const hit = await b.get('/feedback/');
    assert.equal(hit.headers.get('x-page-cache'), 'hit');
    const pageB = await hit.text();
    assert.notEqual(tokenIn(pageA), tokenIn(pageB));
    assert.equal(tokenIn(pageB), anonymousCsrfToken(await t.kernel.secrets.key(CSRF_SECRET), b.cookies.get('portal_csrf')!), 'the form carries the visitor\'s own token');
    assert.match(section(pageB), new RegExp(`data-token="${tokenIn(pageB)}"`), 'it.csrf is the bare token');
  });

  it('an anonymous post redirects back with a flash kept in a new session, shown once', async () => {
    const c = new HttpClient(server.url);
    const token = tokenIn(await (await c.get('/feedback/')).text());
    const posted = await c.post('/feedback/', { _csrf: token, text: 'More coffee' });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('location'), '/feedback/');
    assert.ok(c.cookies.get('portal_sid'), 'a session holds the message');
    assert.deepEqual(received, ['More coffee']);
    const shown = section(await (await c.get('/feedback/')).text());
    assert.match(shown, /<div class="alert alert-ok" role="status">Thank you &#60;3<\/div>/, 'shown, escaped');
    const again = section(await (await c.get('/feedback/')).text());
    assert.doesNotMatch(again, /alert/, 'only once');
    const next = await c.post('/feedback/', { _csrf: tokenIn(again), text: '  ' });
    assert.equal(next.status, 303);
    assert.match(section(await (await c.get('/feedback/')).text()), /<div class="alert alert-error" role="alert">Say something<\/div>/);
  });

  it('refuses a post without the token', async () => {
    const c = new HttpClient(server.url);
    await c.get('/feedback/');
    assert.equal((await c.post('/feedback/', { text: 'no token' })).status, 403);
    assert.ok(!received.includes('no token'));
  });
});
