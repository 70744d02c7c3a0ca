import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { root, startIbAdminEnv, type IbAdminEnv } from './admin-harness.js';

describeEachDb('infoblocks file access (/upload)', (kind) => {
  let env: IbAdminEnv;
  let anonymous: HttpClient;
  /** File ids by name; a file "x" is stored as x.txt holding "bytes of x". */
  const f: Record<string, number> = {};
  before(async () => {
    env = await startIbAdminEnv(kind);
    anonymous = new HttpClient(env.server.url);
    const { kernel } = env.t;
    const save = async (name: string, module = 'infoblocks', createdBy: number | null = null) => {
      f[name] = (await kernel.files.save({ module, name: `${name}.txt`, buffer: Buffer.from(`bytes of ${name}`), createdBy })).id;
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
    const res = await c.get(`/upload/${f[name]}/${name}.txt`);
    if (res.status === 200) assert.equal(await res.text(), `bytes of ${name}`);
    else await res.body?.cancel();
    return res.status;
  };

  it('readers of the infoblock whose element uses a file may download it, others may not', async () => {
    assert.deepEqual(await Promise.all(['news', 'contract', 'scan'].map((x) => status(env.user, x))), [200, 403, 403], 'ivan reads news only');
    assert.deepEqual(await Promise.all(['news', 'contract', 'scan'].map((x) => status(env.viewer, x))), [200, 200, 200], 'vera reads HR too');
    assert.deepEqual(await Promise.all(['news', 'contract', 'scan'].map((x) => status(env.admin, x))), [200, 200, 200]);
  });

  it('anonymous visitors get files of infoblocks everyone reads and are sent to sign in for the rest', async () => {
    assert.equal(await status(anonymous, 'news'), 200);
    const res = await anonymous.get(`/upload/${f.contract}/contract.txt`);
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location') ?? '', /^\/auth\/login\/\?back=/);
    assert.equal(await status(anonymous, 'photo'), 302, 'files of modules without a check need the portal view');
  });

  it('a file no element uses is readable by whoever stored it and managers only', async () => {
    assert.equal(await status(env.user, 'own-upload'), 200);
    assert.equal(await status(env.viewer, 'own-upload'), 403);
    assert.equal(await status(env.admin, 'own-upload'), 200);
  });

  it('other modules\' files keep their rule; a missing file is a 404; a refusal is in the security log', async () => {
    assert.equal(await status(env.user, 'photo'), 200);
    const missing = await env.user.get('/upload/987654/nothing.txt');
    assert.equal(missing.status, 404);
    const log = await env.t.kernel.users.securityLog.list({ event: 'access.denied' });
    assert.ok(log.items.some((e) => e.login === 'ivan' && e.details?.file === f.contract), 'the refused download is logged');
  });
});
