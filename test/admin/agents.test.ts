import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { adminTestModule, agentRuns } from './fixtures.js';
import { assertCsrfRequired, assertDenied, page, startAdminEnv, submit, type AdminEnv } from './harness.js';

describeEachDb('admin agents', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind, { definitions: [mainModule, adminTestModule] });
    await env.t.kernel.modules.install('admintest');
  });
  after(async () => env.close());

  const agentId = async (name: string) => (await env.t.kernel.agents.list()).find((a) => `${a.module}.${a.name}` === name)!.id;

  it('lists agents with schedule, next run, last run and last error', async () => {
    const { status, html } = await page(env.admin, '/admin/agents/');
    assert.equal(status, 200);
    assert.match(html, /<code>main\.mail\.send<\/code>/);
    assert.match(html, /<code>admintest\.tick<\/code>/);
    assert.match(html, /every 3600 s/);
    assert.match(html, /Times are shown in the site’s time zone \([A-Za-z_/]+\); cron schedules are in UTC/);
    assert.match(html, /<td class="nowrap">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d/, 'next run as a date and time of the site');
    assert.doesNotMatch(html, /\d{4}-\d\d-\d\d[ T]\d\d:\d\d/, 'no ISO timestamps');
  });

  it('runs an agent now', async () => {
    const before = agentRuns.tick;
    const id = await agentId('admintest.tick');
    const res = await submit(env.admin, `/admin/agents/${id}/run/`);
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/agents/?done=ran');
    assert.equal(agentRuns.tick, before + 1);
    const row = (await env.t.kernel.agents.list()).find((a) => a.id === id)!;
    assert.ok(row.lastRunAt, 'last run recorded');
    assert.match((await page(env.admin, res.location!)).html, /role="status">The agent ran successfully/);
  });

  it('shows a failing agent\'s error instead of a 500', async () => {
    const id = await agentId('admintest.boom');
    const res = await submit(env.admin, `/admin/agents/${id}/run/`);
    assert.equal(res.status, 302);
    assert.equal(res.location, '/admin/agents/?done=agent_failed');
    const { html } = await page(env.admin, res.location!);
    assert.match(html, /role="alert">The agent failed/);
    assert.match(html, /the boom agent always fails/);
  });

  it('answers bad and unknown agent ids with 404', async () => {
    assert.equal((await submit(env.admin, '/admin/agents/abc/run/')).status, 404);
    assert.equal((await submit(env.admin, '/admin/agents/99999/run/')).status, 404);
  });

  it('needs main.agents.run to run and the CSRF token', async () => {
    const id = await agentId('admintest.tick');
    const before = agentRuns.tick;
    assert.equal((await page(env.viewer, '/admin/agents/')).status, 200);
    assert.doesNotMatch((await page(env.viewer, '/admin/agents/')).html, /Run now/);
    await assertDenied(env, env.user, 'GET', '/admin/agents/');
    await assertDenied(env, env.viewer, 'POST', `/admin/agents/${id}/run/`);
    await assertCsrfRequired(env.admin, `/admin/agents/${id}/run/`);
    assert.equal(agentRuns.tick, before);
  });
});
