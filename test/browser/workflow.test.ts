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
    it('an assignee opens a request for information from "my tasks", fills its fields and sends: the values reach the instance and the document, and the process goes on', async function () {
      this.timeout(90_000);
      const wf = f.kernel.api('workflow');
      await wf.templates.save(ADMIN, {
        code: 'memo-details', name: 'Memo details', document: { type: ELEMENT, scope: 'memos' },
        root: { type: 'sequence', activities: [
          { type: 'request', title: 'Details for {{document.title}}', assignees: [{ user: 'ed2' }], fields: [
            { name: 'amount', label: 'Amount', type: 'number', required: true },
            { name: 'reason', label: 'Reason', type: 'text' },
            { name: 'urgent', label: 'Urgent', type: 'boolean' },
            { name: 'due', label: 'Needed by', type: 'date' },
          ] },
          { type: 'setField', fields: { PREVIEW_TEXT: 'Amount {{var.amount}}, needed by {{var.due}}: {{var.reason}}' } },
          { type: 'approve', id: 'sign', title: 'Sign {{document.title}}', assignees: [{ user: 'boss' }] },
        ] },
      });
      const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Team laptops' });
      const inst = await wf.instances.start(ADMIN, 'memo-details', ELEMENT, String(el.id));

      const ed2 = await openPage(browser(), server.url);
      pages.push(ed2);
      await signInThroughForm(ed2.page, 'ed2', PASSWORD);
      await ed2.page.goto('/workflow/tasks/');
      await clickAndLoad(ed2.page, ed2.page.getByRole('link', { name: 'Details for Team laptops' }));
      assert.equal(new URL(ed2.page.url()).pathname, '/workflow/task/');
      await ed2.page.getByLabel('Amount').fill('1250');
      await ed2.page.getByLabel('Reason').fill('The old ones are five years old');
      await ed2.page.getByLabel('Urgent').check();
      await ed2.page.getByLabel('Needed by').fill('2027-01-15');
      await screenshot(ed2.page, `workflow-request-form-${kind}`);
      await clickAndLoad(ed2.page, ed2.page.getByRole('button', { name: 'Send', exact: true }));
      assert.equal(new URL(ed2.page.url()).pathname, '/workflow/tasks/');
      assert.equal(await ed2.page.locator('[data-wf-count]').first().innerText(), '0', 'the request left ed2’s open tasks');
      assertNoProblems(ed2);

      const after = await wf.instances.get(ADMIN, inst.id);
      assert.equal(after.status, 'running');
      assert.deepEqual({ amount: after.state.vars.amount, reason: after.state.vars.reason, urgent: after.state.vars.urgent, due: after.state.vars.due },
        { amount: 1250, reason: 'The old ones are five years old', urgent: true, due: '2027-01-15' }, 'the typed values are the instance’s variables');
      const task = (await wf.instances.tasks(ADMIN, inst.id)).find((x) => x.kind === 'request')!;
      assert.deepEqual(task.values, { amount: 1250, reason: 'The old ones are five years old', urgent: true, due: '2027-01-15' });
      assert.equal((await f.kernel.api('infoblocks').elements.get(ADMIN, el.id)).previewText, 'Amount 1250, needed by 2027-01-15: The old ones are five years old', 'setField wrote them into the document');
      const next = (await wf.instances.tasks(ADMIN, inst.id)).filter((x) => x.status === 'open');
      assert.deepEqual(next.map((x) => [x.kind, x.userId, x.title]), [['approve', f.people.boss, 'Sign Team laptops']], 'the process went on to the approval');
    });
  });
});
