import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { root, startIbAdminEnv, submit, type IbAdminEnv } from './admin-harness.js';

describeEachDb('infoblocks file access (/upload)', (kind) => {
  let env: IbAdminEnv;
  let anonymous: HttpClient;
  /** File ids by name; a file "x" is stored as x.txt holding "bytes of x". */
  const f: Record<string, number> = {};
  /** Download URLs by name. */
  const url: Record<string, string> = {};
  before(async () => {
    env = await startIbAdminEnv(kind);
    anonymous = new HttpClient(env.server.url);
    const { kernel } = env.t;
    const save = async (name: string, module = 'infoblocks', createdBy: number | null = null) => {
      const file = await kernel.files.save({ module, name: `${name}.txt`, buffer: Buffer.from(`bytes of ${name}`), createdBy });
      f[name] = file.id;
      url[name] = kernel.files.url(file);
    };
    const news = (await env.api.iblocks.add(root, { typeId: env.typeId, code: 'news', name: 'News' })).id;
    const hr = (await env.api.iblocks.add(root, { typeId: env.typeId, code: 'hr', name: 'HR' })).id;
    await env.api.iblocks.setRights(root, news, { [(await kernel.groups.byCode('everyone')).id]: 'R' });
    await env.api.iblocks.setRights(root, hr, { [(await kernel.groups.byCode('admin_viewers')).id]: 'R' });
    await env.api.properties.add(root, hr, { code: 'CONTRACT', name: 'Contract', type: 'file' });
    await env.api.properties.add(root, hr, { code: 'SCANS', name: 'Scans', type: 'file', multiple: true });
    for (const name of ['news', 'contract', 'scan']) await save(name);
    await save('own-upload', 'infoblocks', (await kernel.users.findByLogin('ivan'))!.id);
    await save('photo', 'main');
    await env.api.elements.add(root, news, { name: 'Hello', previewPicture: f.news });
    await env.api.elements.add(root, hr, { name: 'Ivan', properties: { CONTRACT: f.contract, SCANS: [f.scan] } });
  });
  after(async () => env.close());

  const status = async (c: HttpClient, name: string) => {
    const res = await c.get(url[name]!);
    if (res.status === 200) assert.equal(await res.text(), `bytes of ${name}`);
    else await res.body?.cancel();
    return res.status;
  };

  it('readers of the infoblock whose element uses a file may download it, others may not', async () => {
    assert.deepEqual(await Promise.all(['news', 'contract', 'scan'].map((x) => status(env.user, x))), [200, 403, 403], 'ivan reads news only');
    assert.deepEqual(await Promise.all(['news', 'contract', 'scan'].map((x) => status(env.viewer, x))), [200, 200, 200], 'vera reads HR too');
    assert.deepEqual(await Promise.all(['news', 'contract', 'scan'].map((x) => status(env.admin, x))), [200, 200, 200]);
  });

  it('anonymous visitors get no file while the portal is private, and once it is open only files everyone may read', async () => {
    assert.deepEqual(await Promise.all(['news', 'contract', 'photo'].map((x) => status(anonymous, x))), [302, 302, 302], 'everyone reads news, but the portal is private');
    const res = await anonymous.get(url.news!);
    assert.match(res.headers.get('location') ?? '', /^\/auth\/login\/\?back=/, 'sent to sign in, as for pages');
    assert.equal((await submit(env.admin, '/admin/rights/main/public/', { access: 'open' })).status, 302);
    try {
      assert.equal(await status(anonymous, 'news'), 200);
      assert.equal(await status(anonymous, 'contract'), 302);
      assert.equal(await status(anonymous, 'photo'), 302, 'user photos need the employee directory');
    } finally {
      assert.equal((await submit(env.admin, '/admin/rights/main/public/', { access: 'closed' })).status, 302);
    }
    assert.equal(await status(anonymous, 'news'), 302);
  });

  it('a wrong or missing key is a 404 for everyone, admins too: the id alone never works', async () => {
    const [, id, key, name] = /^\/upload\/(\d+)\/([A-Za-z0-9_-]{22})\/(news\.txt)$/.exec(url.news!) ?? [];
    assert.ok(id && key && name, `the URL carries a 22-character key: ${url.news}`);
    const other = env.t.kernel.files.url({ id: f.contract!, urlKey: key, name: 'contract.txt' });
    const wrong = [
      `/upload/${id}/${key.slice(0, 21)}${key.endsWith('A') ? 'B' : 'A'}/${name}`,
      `/upload/${id}/${key.slice(0, 20)}/${name}`,
      `/upload/${id}/${name}`,
      `/upload/${id}/x/${name}`,
      other,
      `/upload/0/${key}/${name}`,
      `/upload/abc/${key}/${name}`,
    ];
    const before = (await env.t.kernel.users.securityLog.list({ event: 'access.denied' })).total;
    for (const c of [anonymous, env.user, env.admin]) {
      for (const path of wrong) {
        const res = await c.get(path);
        await res.body?.cancel();
        assert.equal(res.status, 404, `${path} is a 404`);
      }
    }
    assert.equal((await env.t.kernel.users.securityLog.list({ event: 'access.denied' })).total, before, 'wrong keys are not security-log entries');
    assert.equal(await status(env.admin, 'news'), 200, 'the right key still works');
    const renamed = await env.admin.get(`/upload/${id}/${key}/any-name.bin`);
    assert.equal(await renamed.text(), 'bytes of news', 'the name part is only for the browser');
  });

  it('a file no element uses is readable by whoever stored it and managers only', async () => {
    assert.equal(await status(env.user, 'own-upload'), 200);
    assert.equal(await status(env.viewer, 'own-upload'), 403);
    assert.equal(await status(env.admin, 'own-upload'), 200);
  });

  it('main\'s files (photos) follow the directory; a missing file is a 404; a refusal is in the security log', async () => {
    assert.equal(await status(env.user, 'photo'), 200);
    const missing = await env.user.get('/upload/987654/AAAAAAAAAAAAAAAAAAAAAA/nothing.txt');
    assert.equal(missing.status, 404);
    const log = await env.t.kernel.users.securityLog.list({ event: 'access.denied' });
    assert.ok(log.items.some((e) => e.login === 'ivan' && e.details?.file === f.contract), 'the refused download is logged');
  });
});
