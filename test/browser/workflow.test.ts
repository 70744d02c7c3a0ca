import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertNoProblems, clickAndLoad, openPage, screenshot, signInThroughForm, type WatchedPage } from '../harness/browser.js';
import { shippedTemplates } from '../../modules/workflow/shipped/templates.js';
import { ADMIN, bootWorkflow, ELEMENT, PASSWORD, type WfFixture } from '../workflow/fixture.js';
import { useBrowser } from './portal.js';

describe('browser: publish on approval (workflow)', () => {
  const browser = useBrowser();

  describeEachDb('workflow', (kind) => {
    let f: WfFixture;
    let server: RunningServer;
    const pages: WatchedPage[] = [];
    before(async function () {
      this.timeout(60_000);
      f = await bootWorkflow(kind);
      // The author writes news in the admin's element form: the admin area (main A) and news through the workflow (U).
      const writers = await f.kernel.groups.create({ code: 'writers', name: 'Writers' });
      await f.kernel.rights.setLevel('main', writers.id, 'A');
      await f.kernel.groups.addUser(writers.id, f.people.author);
      const publish = shippedTemplates.find((x) => x.code === 'publish-on-approve')!;
      await f.kernel.api('workflow').templates.save(ADMIN, { ...publish, code: 'news-publish', active: true, document: { type: ELEMENT, scope: 'news' } });
      server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
    });
    after(async () => {
      for (const p of pages) await p.context.close();
      await server?.close();
      await f?.t.close();
    });

    it('an editor submits a news item, an approver approves it from "my tasks", and the item is published', async function () {
      this.timeout(90_000);
      const author = await openPage(browser(), server.url);
      pages.push(author);
      await signInThroughForm(author.page, 'author', PASSWORD);
      await author.page.goto(`/admin/infoblocks/${f.news}/elements/new/`);
      await author.page.locator('#name').fill('Canteen opens on Monday');
      await clickAndLoad(author.page, author.page.getByRole('button', { name: 'Add an element' }));
      const { items } = await f.kernel.api('infoblocks').elements.list(ADMIN, f.news, { filter: { NAME: 'Canteen opens on Monday' } });
      assert.equal(items.length, 1, 'the form created the element');
      const id = items[0]!.id;
      assert.equal(items[0]!.active, false, 'it waits for an editor');
      assertNoProblems(author);

      const editor = await openPage(browser(), server.url);
      pages.push(editor);
      await signInThroughForm(editor.page, 'ed1', PASSWORD);
      await editor.page.goto('/workflow/tasks/');
      assert.equal(await editor.page.locator('[data-wf-count]').first().innerText(), '1');
      await screenshot(editor.page, `workflow-my-tasks-${kind}`);
      await clickAndLoad(editor.page, editor.page.getByRole('link', { name: 'Publish “Canteen opens on Monday”?' }));
      assert.equal(new URL(editor.page.url()).pathname, '/workflow/task/');
      await editor.page.locator('#wf-comment').fill('Looks good');
      await clickAndLoad(editor.page, editor.page.getByRole('button', { name: 'Approve', exact: true }));
      assert.equal(new URL(editor.page.url()).pathname, '/workflow/tasks/');
      assert.match(await editor.page.locator('body').innerText(), /Approved: Publish “Canteen opens on Monday”\?/);
      assert.equal(await editor.page.locator('[data-wf-count]').first().innerText(), '0');
      assertNoProblems(editor);

      assert.equal((await f.kernel.api('infoblocks').elements.get(ADMIN, id)).active, true, 'published');
      assert.equal((await f.kernel.api('workflow').statuses.state(ELEMENT, String(id)))!.status.code, 'published');
      await editor.page.goto(`/workflow/element/?element=${id}`);
      assert.match(await editor.page.locator('body').innerText(), /Published/);
      await screenshot(editor.page, `workflow-status-panel-${kind}`);
      assertNoProblems(editor);
    });
  });
});
