import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { installPortal } from '../../installer/install.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertOneLineError, freshPortal, ok, runCli, withPortalKernel, type CliPortal } from '../cli/cli-harness.js';

describeEachDb('portal workflow (CLI)', (kind) => {
  let portal: CliPortal;
  let adminId: number;
  before(async function () {
    this.timeout(120_000);
    portal = await freshPortal(kind);
    await installPortal({ env: portal.env, adminPassword: 'Admin-pass-123', modules: ['infoblocks', 'workflow'] });
    adminId = await withPortalKernel(portal.env, async (k) => (await k.users.list({})).items[0]!.id);
  });
  after(async () => {
    await portal?.cleanup();
  });

  it('lists the shipped templates, saves one from a file, starts it, lists and terminates the instance', async function () {
    this.timeout(120_000);
    const list = JSON.parse(ok(await runCli(['workflow', 'templates', '--json'], portal.env))) as { code: string; active: boolean }[];
    assert.deepEqual(list.map((t) => t.code).sort(), ['approve-one-step', 'approve-two-step', 'onboarding-acknowledge', 'publish-on-approve']);

    const file = path.join(portal.dir, 'review.json');
    writeFileSync(file, JSON.stringify({ code: 'cli-review', name: 'CLI review', document: { type: 'main.user', scope: null }, root: { type: 'sequence', activities: [{ type: 'review', assignees: [{ author: true }] }] } }));
    assert.match(ok(await runCli(['workflow', 'validate', file], portal.env)), /valid/);
    assert.match(ok(await runCli(['workflow', 'save', file], portal.env)), /Template cli-review saved \(version 1\)/);

    const started = JSON.parse(ok(await runCli(['workflow', 'start', 'cli-review', 'main.user', String(adminId), '--json'], portal.env))) as { id: number; status: string };
    assert.equal(started.status, 'running');
    const instances = JSON.parse(ok(await runCli(['workflow', 'instances', '--status', 'running', '--json'], portal.env))) as { total: number; items: { id: number }[] };
    assert.deepEqual(instances.items.map((i) => i.id), [started.id]);
    assert.deepEqual(JSON.parse(ok(await runCli(['workflow', 'terminate', String(started.id), '--json'], portal.env))), { id: started.id, status: 'terminated' });
    assertOneLineError(await runCli(['workflow', 'terminate', String(started.id)], portal.env), /has already finished/);
  });

  it('bad input is one line and a non-zero exit, and changes nothing', async function () {
    this.timeout(120_000);
    const bad = path.join(portal.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ code: 'cli-bad', name: 'Bad', document: { type: 'main.user' }, root: { type: 'sequence', activities: [{ type: 'review' }] } }));
    const v = await runCli(['workflow', 'validate', bad], portal.env);
    assert.equal(v.exitCode, 1);
    assert.match(v.stdout, /root\.activities\.0\.assignees: /);
    assertOneLineError(await runCli(['workflow', 'save', bad], portal.env), /root\.activities\.0\.assignees/);
    assertOneLineError(await runCli(['workflow', 'save', path.join(portal.dir, 'none.json')], portal.env), /does not exist/);
    assertOneLineError(await runCli(['workflow', 'start', 'no-such', 'main.user', '1'], portal.env), /template "no-such" does not exist/i);
    assertOneLineError(await runCli(['workflow', 'start', 'cli-review', 'main.user', '424242'], portal.env), /Document main\.user:424242 does not exist/);
    assertOneLineError(await runCli(['workflow', 'instances', '--status', 'sleeping'], portal.env), /--status must be one of/);
    assertOneLineError(await runCli(['workflow', 'terminate', 'abc'], portal.env), /does not exist/);
    const after = JSON.parse(ok(await runCli(['workflow', 'instances', '--json'], portal.env))) as { total: number };
    assert.equal(after.total, 1, 'only the instance of the first test');
    const templates = JSON.parse(ok(await runCli(['workflow', 'templates', '--json'], portal.env))) as { code: string }[];
    assert.equal(templates.some((t) => t.code === 'cli-bad'), false);
  });
});
