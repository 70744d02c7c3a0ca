import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { ADMIN, bootWorkflow, ELEMENT, memoTemplate, openTasks, PASSWORD, type WfFixture } from './fixture.js';

type Json = { result?: any; error?: { code: string; message: string; details?: any } };

describeEachDb('workflow over HTTP: task pages, REST, rights and bad input', (kind) => {
  let f: WfFixture;
  let server: RunningServer;
  const wf = () => f.kernel.api('workflow');

  /** A signed-in browser with the CSRF token of a page it opened. */
  async function browser(login: string): Promise<{ c: HttpClient; csrf: string; api: (method: string, path: string, json?: unknown) => Promise<{ status: number; body: Json }> }> {
    const c = new HttpClient(server.url);
    assert.equal((await c.signIn(login, PASSWORD)).status, 302);
    const csrf = HttpClient.csrfFrom(await (await c.get('/profile/')).text());
    const api = async (method: string, path: string, json?: unknown) => {
      const res = await c.request(method, `/api/v1/workflow${path}`, { json, headers: { 'x-csrf-token': csrf } });
      return { status: res.status, body: (await res.json()) as Json };
    };
    return { c, csrf, api };
  }

  async function startMemo(name: string): Promise<{ instanceId: number; taskId: number; elementId: number }> {
    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name });
    const inst = await wf().instances.start(ADMIN, 'memo-http', ELEMENT, String(el.id));
    return { instanceId: inst.id, taskId: (await openTasks(f.kernel, inst.id)).get(f.people.ed1)!, elementId: el.id };
  }

  before(async () => {
    f = await bootWorkflow(kind);
    const admins = (await f.kernel.groups.list()).find((g) => g.code === 'administrators')!;
    await f.kernel.users.create({ login: 'root', email: 'root@example.com', password: PASSWORD, groupIds: [admins.id] });
    await wf().templates.save(ADMIN, memoTemplate('memo-http', [{ type: 'approve', id: 'ok', assignees: [{ user: 'ed1' }], onApprove: [{ type: 'setField', fields: { NAME: '{{document.title}} (approved)' } }] }]));
    server = await startServer(f.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await f?.t.close();
  });

  it('"my tasks" lists the task with its count, and the task form approves it (post-redirect-get)', async () => {
    const { instanceId, taskId, elementId } = await startMemo('Printer paper');
    const { c } = await browser('ed1');
    const list = await (await c.get('/workflow/tasks/')).text();
    assert.match(list, new RegExp(`href="/workflow/task/\\?id=${taskId}"`));
    assert.match(list, /data-wf-count="1"/);
    const form = await (await c.get(`/workflow/task/?id=${taskId}`)).text();
    assert.match(form, /name="decision" value="approve"/);
    const res = await c.post('/workflow/task/', { _csrf: HttpClient.csrfFrom(form), task: String(taskId), decision: 'approve', comment: 'Fine' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/workflow/tasks/');
    assert.equal((await wf().instances.get(ADMIN, instanceId)).status, 'completed');
    assert.equal((await f.kernel.api('infoblocks').elements.get(ADMIN, elementId)).name, 'Printer paper (approved)');
    assert.match(await (await c.get('/workflow/tasks/')).text(), /data-wf-count="0"/);
  });

  it('status rights over REST: a manager sets who may move into a status, it takes effect, and bad input is a coded 4xx that changes nothing', async () => {
    const admins = (await f.kernel.groups.list()).find((g) => g.code === 'administrators')!;
    const editors = (await f.kernel.groups.list()).find((g) => g.code === 'content_editors')!;
    const el = await f.kernel.api('infoblocks').elements.add(await f.principal(f.people.ed2), f.news, { name: 'Rights over REST' });
    const ed2 = await browser('ed2');
    const move = () => ed2.api('POST', `/elements/${el.id}/status`, { status: 'published' });
    assert.equal((await move()).body.error?.code, 'WORKFLOW_STATUS_DENIED', 'editors may not publish yet');
    assert.equal((await ed2.api('GET', '/statuses')).status, 403, 'a non-manager may not read the rights');
    assert.equal((await ed2.api('PUT', '/statuses/published/rights', { rights: [{ groupId: editors.id, canMove: true }] })).body.error?.code, 'ACCESS_DENIED');

    const { api } = await browser('root');
    assert.ok(admins.id > 0);
    const before = (await api('GET', '/statuses')).body.result.find((x: { code: string }) => x.code === 'published');
    for (const [bad, path] of [[{}, /rights: give a list/], [{ rights: [{ groupId: 'x' }] }, /rights\.0\.groupId/], [{ rights: [{ groupId: editors.id, canMove: 'yes' }] }, /rights\.0\.canMove/],
      [{ rights: [{ groupId: editors.id }, { groupId: editors.id }] }, /listed twice/], [{ rights: [{ groupId: 987654 }] }, /group 987654 does not exist/]] as [unknown, RegExp][]) {
      const res = await api('PUT', '/statuses/published/rights', bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.body.error?.code, 'WORKFLOW_STATUS_INVALID');
      assert.match(res.body.error!.message, path);
    }
    assert.equal((await api('PUT', '/statuses/no-such/rights', { rights: [] })).status, 404);
    assert.deepEqual((await api('GET', '/statuses')).body.result.find((x: { code: string }) => x.code === 'published'), before, 'nothing changed');

    const set = await api('PUT', '/statuses/published/rights', { rights: [...before.rights, { groupId: editors.id, canMove: true, canEdit: false }] });
    assert.equal(set.status, 200);
    assert.ok(set.body.result.rights.some((r: { groupId: number; canMove: boolean }) => r.groupId === editors.id && r.canMove));
    assert.equal((await move()).status, 200, 'the right takes effect');
    assert.equal((await f.kernel.api('infoblocks').elements.get(ADMIN, el.id)).active, true);
    await api('PUT', '/statuses/published/rights', { rights: before.rights });
  });

  it('a user acting on someone else’s task gets a coded 403, and nothing changes', async () => {
    const { instanceId, taskId } = await startMemo('Chairs');
    const { c, csrf, api } = await browser('outsider');
    // The page's block is left out for a visitor who may not see it (the kernel's rule for simple components).
    const page = await (await c.get(`/workflow/task/?id=${taskId}`)).text();
    assert.doesNotMatch(page, /name="decision"|Chairs/);
    const viaApi = await api('POST', `/tasks/${taskId}/decision`, { decision: 'approve' });
    assert.equal(viaApi.status, 403);
    assert.equal(viaApi.body.error?.code, 'WORKFLOW_TASK_NOT_YOURS');
    const viaForm = await c.post('/workflow/task/', { _csrf: csrf, task: String(taskId), decision: 'approve' });
    assert.ok(viaForm.status === 303 || viaForm.status === 403, String(viaForm.status));
    assert.equal((await wf().tasks.get(ADMIN, taskId)).status, 'open');
    assert.equal((await api('GET', `/instances/${instanceId}`)).status, 200, 'who may read the document may follow its process');
    assert.equal((await api('POST', `/instances/${instanceId}/terminate`)).status, 403);
    assert.equal((await api('GET', '/templates')).status, 403);
    assert.equal((await c.get('/admin/workflow/')).status, 403, 'the admin screens are refused');
    assert.equal((await c.post(`/admin/workflow/instances/${instanceId}/terminate/`, { _csrf: csrf })).status, 403);
    assert.equal((await wf().instances.get(ADMIN, instanceId)).status, 'running');
  });

  it('bad input over REST is a coded 4xx and changes nothing', async () => {
    const { instanceId, taskId } = await startMemo('Desks');
    const ed1 = await browser('ed1');
    const bad = await ed1.api('POST', `/tasks/${taskId}/decision`, { decision: 'maybe' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'VALIDATION_FAILED');
    assert.equal((await ed1.api('POST', `/tasks/${taskId}/decision`, { decision: 'ack' })).body.error?.code, 'WORKFLOW_DECISION_INVALID');
    assert.equal((await ed1.api('POST', '/tasks/999999/decision', { decision: 'approve' })).status, 404);
    assert.equal((await wf().tasks.get(ADMIN, taskId)).status, 'open');
    assert.equal((await ed1.api('POST', `/tasks/${taskId}/decision`, { decision: 'approve' })).status, 200);
    const again = await ed1.api('POST', `/tasks/${taskId}/decision`, { decision: 'reject' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error?.code, 'WORKFLOW_TASK_CLOSED');
    assert.equal((await wf().tasks.get(ADMIN, taskId)).decision, 'approve');
    assert.equal((await wf().instances.get(ADMIN, instanceId)).status, 'completed');

    const root = await browser('root');
    const templates = (await wf().templates.list()).length;
    const invalid = await root.api('POST', '/templates', { code: 'Bad Code', name: 'x', document: { type: ELEMENT }, root: { type: 'sequence', activities: [{ type: 'approve', assignees: [], quorum: 'most' }] } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error?.code, 'WORKFLOW_TEMPLATE_INVALID');
    const paths = (invalid.body.error?.details?.problems as { path: string }[]).map((p) => p.path);
    for (const p of ['code', 'root.activities.0.assignees', 'root.activities.0.quorum']) assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
    const unknownType = await root.api('POST', '/templates/validate', { ...memoTemplate('x-type', [{ type: 'terminate' }]), document: { type: 'forum.topic', scope: null } });
    assert.equal(unknownType.body.result.valid, false);
    assert.equal(unknownType.body.result.problems[0].path, 'document.type');
    assert.equal((await wf().templates.list()).length, templates, 'no template was written');

    const instances = (await wf().instances.list(ADMIN)).total;
    const missing = await root.api('POST', '/instances', { template: 'memo-http', documentType: ELEMENT, documentId: '987654' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.code, 'WORKFLOW_DOCUMENT_NOT_FOUND');
    assert.equal((await root.api('POST', '/instances', { template: 'memo-http', documentType: 'no.such', documentId: '1' })).body.error?.code, 'WORKFLOW_DOCUMENT_TYPE_UNKNOWN');
    assert.equal((await root.api('POST', '/instances', { template: 'memo-http' })).status, 400);
    assert.equal((await wf().instances.list(ADMIN)).total, instances, 'no instance was created');
    const notJson = await root.c.request('POST', '/api/v1/workflow/templates', { body: 'code=x', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': root.csrf } });
    assert.equal(notJson.status, 415);
  });

  it('admin: lists templates, shows every problem of an invalid one by path, starts a process and terminates it', async () => {
    const { c } = await browser('root');
    const list = await (await c.get('/admin/workflow/')).text();
    assert.match(list, /publish-on-approve/);
    const form = await (await c.get('/admin/workflow/templates/new/')).text();
    const csrf = HttpClient.csrfFrom(form);
    const broken = await c.post('/admin/workflow/templates/', { _csrf: csrf, definition: JSON.stringify({ ...memoTemplate('adm', [{ type: 'delay', for: 'soon' }]) }) });
    assert.equal(broken.status, 400);
    assert.match(await broken.text(), /root\.activities\.0\.for/);
    const notJson = await c.post('/admin/workflow/templates/', { _csrf: csrf, definition: '{ nope' });
    assert.equal(notJson.status, 400);
    assert.equal((await wf().templates.list()).some((x) => x.code === 'adm'), false);
    const saved = await c.post('/admin/workflow/templates/', { _csrf: csrf, definition: JSON.stringify(memoTemplate('adm', [{ type: 'approve', assignees: [{ user: 'ed2' }] }])) });
    assert.equal(saved.status, 302);
    assert.equal((await wf().templates.get('adm')).active, true);
    const editor = await (await c.get('/admin/workflow/templates/publish-on-approve/')).text();
    assert.match(editor, /id="wf-outline"/, 'the editor shows the outline of a saved template');
    assert.match(editor, /data-kind="approve"[\s\S]*data-kind="onApprove"[\s\S]*data-kind="setStatus"/, 'nested activities follow their branch');

    const el = await f.kernel.api('infoblocks').elements.add(ADMIN, f.memos, { name: 'Started from the admin' });
    const started = await c.post('/admin/workflow/templates/adm/start/', { _csrf: csrf, documentId: String(el.id) });
    assert.equal(started.status, 302);
    const instanceId = Number(/instances\/(\d+)\//.exec(started.headers.get('location') ?? '')?.[1]);
    assert.ok(instanceId > 0);
    const monitor = await (await c.get('/admin/workflow/instances/')).text();
    assert.match(monitor, new RegExp(`instances/${instanceId}/`));
    const page = await (await c.get(`/admin/workflow/instances/${instanceId}/`)).text();
    assert.match(page, /ed2/);
    const term = await c.post(`/admin/workflow/instances/${instanceId}/terminate/`, { _csrf: csrf });
    assert.equal(term.status, 302);
    assert.equal((await wf().instances.get(ADMIN, instanceId)).status, 'terminated');
    assert.equal((await openTasks(f.kernel, instanceId)).size, 0, 'its tasks are cancelled');
    const twice = await (await browser('root')).api('POST', `/instances/${instanceId}/terminate`);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error?.code, 'WORKFLOW_INSTANCE_FINISHED');
  });
  it('admin: the status rights screen sets who may move into a status and edit in it (CSRF, coded errors, nothing half-saved)', async () => {
    const editors = (await f.kernel.groups.list()).find((g) => g.code === 'content_editors')!;
    const before = await wf().statuses.byCode('published');
    const { c } = await browser('root');
    const list = await (await c.get('/admin/workflow/')).text();
    assert.match(list, /href="\/admin\/workflow\/statuses\/published\/"/, 'the statuses table links to the screen');
    const page = await (await c.get('/admin/workflow/statuses/published/')).text();
    assert.match(page, new RegExp(`name="move" value="${editors.id}"(?! checked)`), 'editors may not publish yet');
    const csrf = HttpClient.csrfFrom(page);
    const ticked = (ids: number[]) => ids.map(String);
    // Checkbox groups repeat their name: the form body is built by hand.
    const post = (path: string, fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
      return c.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    };
    const keep = { move: ticked(before.rights.filter((r) => r.canMove).map((r) => r.groupId)), edit: ticked(before.rights.filter((r) => r.canEdit).map((r) => r.groupId)) };

    const noCsrf = await post('/admin/workflow/statuses/published/', { move: String(editors.id) });
    assert.equal(noCsrf.status, 403, 'a POST without the CSRF token is refused');
    for (const [bad, message] of [[['987654'], /group 987654 does not exist/], [['x'], /rights\.\d+\.groupId: a group id/]] as [string[], RegExp][]) {
      const res = await post('/admin/workflow/statuses/published/', { _csrf: csrf, move: [...keep.move, ...bad], edit: keep.edit });
      assert.equal(res.status, 400, bad.join());
      const html = await res.text();
      assert.match(html, /data-error-code="WORKFLOW_STATUS_INVALID"/);
      assert.match(html, message);
    }
    assert.deepEqual((await wf().statuses.byCode('published')).rights, before.rights, 'bad input changed nothing');
    assert.equal((await c.get('/admin/workflow/statuses/no-such/')).status, 404);
    assert.equal((await post('/admin/workflow/statuses/no-such/', { _csrf: csrf, move: String(editors.id) })).status, 404);
    const { c: ed2 } = await browser('ed2');
    assert.equal((await ed2.get('/admin/workflow/statuses/published/')).status, 403, 'a non-manager may not open it');

    const saved = await post('/admin/workflow/statuses/published/', { _csrf: csrf, move: [...keep.move, String(editors.id)], edit: [...keep.edit, String(editors.id)] });
    assert.equal(saved.status, 302);
    assert.equal(saved.headers.get('location'), '/admin/workflow/statuses/published/?done=saved');
    const mine = (await wf().statuses.byCode('published')).rights.find((r) => r.groupId === editors.id);
    assert.deepEqual(mine, { groupId: editors.id, canMove: true, canEdit: true });
    const again = await (await c.get('/admin/workflow/statuses/published/?done=saved')).text();
    assert.match(again, new RegExp(`name="move" value="${editors.id}" checked`));
    assert.match(again, /alert-ok/);
    const el = await f.kernel.api('infoblocks').elements.add(await f.principal(f.people.ed2), f.news, { name: 'Rights from the admin' });
    assert.equal((await wf().statuses.move(await f.principal(f.people.ed2), String(el.id), 'published')).status.code, 'published', 'the right takes effect');

    const reset = await post('/admin/workflow/statuses/published/', { _csrf: csrf, ...keep });
    assert.equal(reset.status, 302);
    assert.deepEqual((await wf().statuses.byCode('published')).rights, before.rights, 'unticking takes the right away again');
  });
});
