import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { alertText, assertCsrfRequired, assertDenied, page, PASSWORD, startAdminEnv, submit, type AdminEnv } from './harness.js';

describeEachDb('admin users', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  it('lists users with search and paging', async () => {
    for (let i = 1; i <= 22; i++) await env.t.kernel.users.create({ login: `worker${String(i).padStart(2, '0')}`, email: `w${i}@example.com` });
    const first = await page(env.admin, '/admin/users/');
    assert.equal(first.status, 200);
    assert.match(first.html, />boss</);
    assert.match(first.html, /Page 1 of 2 \(25 in all\)/);
    assert.match(first.html, /href="\/admin\/users\/\?page=2" rel="next"/);
    const second = await page(env.admin, '/admin/users/?page=2');
    assert.match(second.html, />worker22</);
    assert.doesNotMatch(second.html, />boss</);
    const found = await page(env.admin, '/admin/users/?q=vera');
    assert.match(found.html, />vera</);
    assert.doesNotMatch(found.html, />ivan</);
    assert.equal((await page(env.admin, '/admin/users/?page=abc')).status, 200, 'a bad page number is page 1');
  });

  it('creates a user who can then sign in', async () => {
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    const res = await submit(env.admin, '/admin/users/new/', {
      login: 'petr', email: 'petr@example.com', name: 'Пётр', lastName: 'Петров', password: 'petr password 1', active: '1', groups: [String(viewers.id)],
    });
    assert.equal(res.status, 302);
    const petr = (await env.t.kernel.users.findByLogin('petr'))!;
    assert.equal(res.location, `/admin/users/${petr.id}/?done=created`);
    assert.equal(petr.name, 'Пётр');
    assert.ok(petr.groupIds.includes(viewers.id));
    assert.equal((await new HttpClient(env.server.url).signIn('petr', 'petr password 1')).status, 302);
  });

  it('re-renders an invalid form with a readable error, a 4xx status and the values kept', async () => {
    const bad = await submit(env.admin, '/admin/users/new/', { login: 'olga', email: 'not-an-email', name: 'Ольга', password: 'olga password 1' });
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /not-an-email.*is not valid/);
    assert.match(bad.html, /name="login" value="olga"/);
    assert.match(bad.html, /name="name" value="Ольга"/);
    const taken = await submit(env.admin, '/admin/users/new/', { login: 'boss', email: 'b2@example.com', password: 'some password 1' });
    assert.equal(taken.status, 409);
    assert.match(alertText(taken.html), /already taken/);
    const noPassword = await submit(env.admin, '/admin/users/new/', { login: 'olga', email: 'olga@example.com' });
    assert.equal(noPassword.status, 400);
    assert.match(alertText(noPassword.html), /Enter a password/);
    const badGroup = await submit(env.admin, '/admin/users/new/', { login: 'olga', email: 'olga@example.com', password: 'olga password 1', groups: ['x1'] });
    assert.equal(badGroup.status, 400);
    assert.equal(await env.t.kernel.users.findByLogin('olga'), null);
  });

  it('edits a user and resets the password', async () => {
    const ivan = (await env.t.kernel.users.findByLogin('ivan'))!;
    const form = await page(env.admin, `/admin/users/${ivan.id}/`);
    assert.equal(form.status, 200);
    assert.match(form.html, /value="ivan@example.com"/);
    const res = await submit(env.admin, `/admin/users/${ivan.id}/`, { email: 'ivan.new@example.com', name: 'Иван', lastName: 'Иванов', active: '1', password: 'brand new pass 7' });
    assert.equal(res.status, 302);
    const after = await env.t.kernel.users.get(ivan.id);
    assert.equal(after.email, 'ivan.new@example.com');
    assert.equal(after.lastName, 'Иванов');
    await env.t.kernel.users.authenticate('ivan', 'brand new pass 7', '127.0.0.9');
    const weak = await submit(env.admin, `/admin/users/${ivan.id}/`, { email: 'ivan.new@example.com', active: '1', password: 'short' });
    assert.equal(weak.status, 400);
    assert.match(alertText(weak.html), /8 to 256 characters/);
    env.user = new HttpClient(env.server.url);
    await env.user.signIn('ivan', 'brand new pass 7');
  });

  it('blocks and unblocks a user; blocking ends their sessions', async () => {
    const ivan = (await env.t.kernel.users.findByLogin('ivan'))!;
    assert.equal((await env.user.get('/')).status, 200);
    const res = await submit(env.admin, `/admin/users/${ivan.id}/block/`);
    assert.equal(res.status, 302);
    assert.equal((await env.t.kernel.users.get(ivan.id)).active, false);
    assert.equal((await env.user.get('/')).status, 302, 'signed out');
    assert.match((await page(env.admin, '/admin/users/?q=ivan')).html, /Blocked/);
    assert.equal((await submit(env.admin, `/admin/users/${ivan.id}/unblock/`)).status, 302);
    assert.equal((await env.t.kernel.users.get(ivan.id)).active, true);
    env.user = new HttpClient(env.server.url);
    await env.user.signIn('ivan', 'brand new pass 7');
  });

  it('refuses to block the last administrator with a readable error', async () => {
    const boss = (await env.t.kernel.users.findByLogin('boss'))!;
    const res = await submit(env.admin, `/admin/users/${boss.id}/block/`);
    assert.equal(res.status, 409);
    assert.match(alertText(res.html), /without an active administrator/);
  });

  it('deletes a user after a confirmation page', async () => {
    const victim = await env.t.kernel.users.create({ login: 'temp', email: 'temp@example.com', password: PASSWORD });
    const ask = await page(env.admin, `/admin/users/${victim.id}/delete/`);
    assert.equal(ask.status, 200);
    assert.match(ask.html, /Delete user temp\?/);
    assert.equal((await submit(env.admin, `/admin/users/${victim.id}/delete/`)).status, 302);
    assert.equal(await env.t.kernel.users.find(victim.id), null);
  });

  it('answers bad and unknown ids with 404, never 500', async () => {
    assert.equal((await page(env.admin, '/admin/users/abc/')).status, 404);
    assert.equal((await page(env.admin, '/admin/users/0/')).status, 404);
    assert.equal((await page(env.admin, '/admin/users/99999999999999999999/')).status, 404);
    assert.equal((await page(env.admin, '/admin/users/424242/')).status, 404);
    assert.equal((await submit(env.admin, '/admin/users/1e3/block/')).status, 404);
  });

  it('needs main.users.edit to change and the CSRF token', async () => {
    const ivan = (await env.t.kernel.users.findByLogin('ivan'))!;
    assert.equal((await page(env.viewer, '/admin/users/')).status, 200);
    assert.doesNotMatch((await page(env.viewer, '/admin/users/')).html, /\/block\//, 'no buttons without the right');
    await assertDenied(env, env.user, 'GET', '/admin/users/');
    await assertDenied(env, env.viewer, 'POST', `/admin/users/${ivan.id}/block/`);
    await assertDenied(env, env.viewer, 'POST', '/admin/users/new/', { login: 'hacker', email: 'h@example.com', password: 'hacker password' });
    await assertCsrfRequired(env.admin, `/admin/users/${ivan.id}/block/`);
    assert.equal((await env.t.kernel.users.get(ivan.id)).active, true);
    assert.equal(await env.t.kernel.users.findByLogin('hacker'), null);
  });
});

describeEachDb('admin groups and rights', (kind) => {
  let env: AdminEnv;
  before(async () => {
    env = await startAdminEnv(kind);
  });
  after(async () => env.close());

  it('lists groups and creates, renames and deletes a custom one', async () => {
    const list = await page(env.admin, '/admin/groups/');
    assert.equal(list.status, 200);
    assert.match(list.html, /<code>administrators<\/code> <span class="badge">system<\/span>/);
    const created = await submit(env.admin, '/admin/groups/new/', { code: 'editors', name: 'Editors', description: 'Write the news' });
    assert.equal(created.status, 302);
    const editors = await env.t.kernel.groups.byCode('editors');
    assert.equal(editors.description, 'Write the news');
    assert.equal((await submit(env.admin, `/admin/groups/${editors.id}/`, { name: 'News editors', description: '' })).status, 302);
    assert.equal((await env.t.kernel.groups.get(editors.id)).name, 'News editors');
    assert.equal((await page(env.admin, `/admin/groups/${editors.id}/delete/`)).status, 200);
    assert.equal((await submit(env.admin, `/admin/groups/${editors.id}/delete/`)).status, 302);
    await assert.rejects(env.t.kernel.groups.get(editors.id), /does not exist/);
  });

  it('shows readable errors for a bad code and a system group', async () => {
    const bad = await submit(env.admin, '/admin/groups/new/', { code: 'Bad Code!', name: 'Bad' });
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /must be 2–50 characters/);
    assert.match(bad.html, /name="code" value="Bad Code!"/);
    const admins = await env.t.kernel.groups.byCode('administrators');
    const sys = await submit(env.admin, `/admin/groups/${admins.id}/delete/`);
    assert.equal(sys.status, 409);
    assert.match(alertText(sys.html), /system group/);
    assert.equal((await page(env.admin, '/admin/groups/x/')).status, 404);
  });

  it('sets the level of a group per module', async () => {
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    const registered = await env.t.kernel.groups.byCode('registered');
    const form = await page(env.admin, '/admin/rights/main/');
    assert.equal(form.status, 200);
    assert.match(form.html, /<option value="X">X — Full control<\/option>/);
    assert.match(form.html, new RegExp(`name="level_${viewers.id}">[\\s\\S]*?<option value="A" selected>`));
    const res = await submit(env.admin, '/admin/rights/main/', { [`level_${viewers.id}`]: 'X', [`level_${registered.id}`]: 'R' });
    assert.equal(res.status, 302);
    assert.equal((await env.t.kernel.rights.getLevels('main'))[viewers.id], 'X');
    // vera can now change things
    assert.equal((await submit(env.viewer, '/admin/cache/clear/')).status, 302);
    assert.equal((await submit(env.admin, '/admin/rights/main/', { [`level_${viewers.id}`]: 'A', [`level_${registered.id}`]: 'R' })).status, 302);
    // '' goes back to the default
    assert.equal((await submit(env.admin, '/admin/rights/main/', { [`level_${viewers.id}`]: 'A', [`level_${registered.id}`]: '' })).status, 302);
    assert.equal((await env.t.kernel.rights.getLevels('main'))[registered.id], undefined);
    await env.t.kernel.rights.setLevel('main', registered.id, 'R');
  });

  it('refuses an unknown level with a readable 400 and keeps the choices', async () => {
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    const registered = await env.t.kernel.groups.byCode('registered');
    const res = await submit(env.admin, '/admin/rights/main/', { [`level_${viewers.id}`]: 'Q', [`level_${registered.id}`]: 'A' });
    assert.equal(res.status, 400);
    assert.match(alertText(res.html), /Level &quot;Q&quot;|Level "Q"/);
    assert.match(res.html, new RegExp(`name="level_${registered.id}">[\\s\\S]*?<option value="A" selected>`), 'choice kept');
    assert.equal((await env.t.kernel.rights.getLevels('main'))[registered.id], 'R', 'nothing stored');
    assert.equal((await page(env.admin, '/admin/rights/nope/')).status, 404);
  });

  it('needs main.users.edit for groups, main.settings.edit for rights, and CSRF tokens', async () => {
    const viewers = await env.t.kernel.groups.byCode('admin_viewers');
    await assertDenied(env, env.user, 'GET', '/admin/groups/');
    await assertDenied(env, env.user, 'GET', '/admin/rights/main/');
    await assertDenied(env, env.viewer, 'POST', '/admin/groups/new/', { code: 'sneaky', name: 'Sneaky' });
    await assertDenied(env, env.viewer, 'POST', '/admin/rights/main/', { [`level_${viewers.id}`]: 'X' });
    await assertCsrfRequired(env.admin, '/admin/rights/main/', { [`level_${viewers.id}`]: 'X' });
    assert.equal((await env.t.kernel.rights.getLevels('main'))[viewers.id], 'A');
  });
});
