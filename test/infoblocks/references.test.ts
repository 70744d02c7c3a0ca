import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

type Coded = { code?: string; status?: number; message?: string };
const coded = (code: string, status: number, re?: RegExp) => (err: Coded) => {
  assert.equal(err.code, code, err.message);
  assert.equal(err.status, status);
  if (re) assert.match(err.message ?? '', re);
  return true;
};

describeEachDb('infoblocks file and link references', (kind) => {
  let f: IbFixture;
  let news: number;
  let hr: number;
  let writer: Principal;
  let colleague: Principal;
  /** hr's element, its picture and contract (admin's files), an hr section. */
  const secret = { element: 0, picture: 0, contract: 0, section: 0 };
  let n = 0;
  const save = async (createdBy: number | null) =>
    (await f.t.kernel.files.save({ module: 'infoblocks', name: `f${++n}.txt`, buffer: Buffer.from(`file ${n}`), createdBy })).id;

  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    const writers = await k.groups.create({ code: 'news_writers', name: 'News writers' });
    const mk = async (login: string): Promise<Principal> => {
      const u = await k.users.create({ login, email: `${login}@example.com`, password: 'password-123', groupIds: [writers.id] });
      return { userId: u.id, groupIds: [writers.id], isAdmin: false };
    };
    writer = await mk('writer');
    colleague = await mk('colleague');
    news = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'news', name: 'News', rights: { [writers.id]: 'W' } })).id;
    hr = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'hr', name: 'HR' })).id;
    await f.api.properties.add(admin, news, { code: 'DOC', name: 'Doc', type: 'file' });
    await f.api.properties.add(admin, news, { code: 'ATTACH', name: 'Attachments', type: 'file', multiple: true });
    await f.api.properties.add(admin, news, { code: 'REL', name: 'Related', type: 'element' });
    await f.api.properties.add(admin, news, { code: 'SEC', name: 'Section', type: 'section' });
    await f.api.properties.add(admin, hr, { code: 'CONTRACT', name: 'Contract', type: 'file' });
    secret.picture = await save(null);
    secret.contract = await save(null);
    secret.element = (await f.api.elements.add(admin, hr, { name: 'Salary', previewPicture: secret.picture, properties: { CONTRACT: secret.contract } })).id;
    secret.section = (await f.api.sections.add(admin, hr, { name: 'Payroll' })).id;
  });
  after(async () => f?.t.close());

  it('refuses files of an infoblock the writer cannot read, in pictures and file properties, on add, update and importBatch', async () => {
    const denied = coded('FILE_REFERENCE_DENIED', 403);
    const own = (await f.api.elements.add(writer, news, { name: 'Mine' })).id;
    for (const input of [{ previewPicture: secret.picture }, { detailPicture: secret.contract }, { properties: { DOC: secret.contract } }, { properties: { ATTACH: [secret.picture] } }]) {
      await assert.rejects(f.api.elements.add(writer, news, { name: 'Leak', ...input }), denied, JSON.stringify(input));
      await assert.rejects(f.api.elements.update(writer, own, input), denied, JSON.stringify(input));
      await assert.rejects(f.api.elements.importBatch(writer, news, [{ name: 'ok', xmlId: 'ok' }, { name: 'Leak', xmlId: 'leak', ...input }]), coded('FILE_REFERENCE_DENIED', 403, /^item 1: /));
    }
    assert.equal((await f.api.elements.list(admin, news, { filter: { NAME: 'Leak' } })).total, 0, 'nothing written');
    assert.equal((await f.api.elements.get(admin, own)).previewPicture, null);
    // The file service agrees: the writer still may not download them.
    const check = f.t.kernel.files.readCheckOf('infoblocks')!;
    assert.equal(await check(writer, await f.t.kernel.files.get(secret.picture)), false);
  });

  it('accepts the writer\'s own unused uploads, files already in the element and files of infoblocks they read', async () => {
    const upload = await save(writer.userId);
    const el = await f.api.elements.add(writer, news, { name: 'With picture', previewPicture: upload, properties: { ATTACH: [await save(writer.userId)] } });
    assert.equal(el.previewPicture, upload);
    // A colleague may reuse a file of news (they read it); the element keeps its own files on update.
    const reuse = await f.api.elements.add(colleague, news, { name: 'Reuse', detailPicture: upload });
    assert.equal(reuse.detailPicture, upload);
    const byAdmin = await f.api.elements.add(admin, news, { name: 'Admin made', properties: { DOC: await save(null) } });
    const kept = await f.api.elements.update(writer, byAdmin.id, { name: 'Renamed', properties: { DOC: byAdmin.properties.DOC } });
    assert.equal(kept.properties.DOC, byAdmin.properties.DOC);
    // Someone else's unused upload, or the writer's own once an hr element uses it, is refused.
    await assert.rejects(f.api.elements.add(writer, news, { name: 'Other', previewPicture: await save(colleague.userId) }), coded('FILE_REFERENCE_DENIED', 403));
    const mine = await save(writer.userId);
    await f.api.elements.update(admin, secret.element, { detailPicture: mine });
    await assert.rejects(f.api.elements.add(writer, news, { name: 'Back', previewPicture: mine }), coded('FILE_REFERENCE_DENIED', 403, /previewPicture: file \d+/));
  });

  it('refuses element and section links into infoblocks the writer cannot read, like missing ones', async () => {
    const missing = (what: string) => coded('PROPERTY_VALUE_INVALID', 400, new RegExp(`${what} \\d+ does not exist`));
    await assert.rejects(f.api.elements.add(writer, news, { name: 'Link', properties: { REL: secret.element } }), missing('element'));
    await assert.rejects(f.api.elements.add(writer, news, { name: 'Link', properties: { REL: 99_999_999 } }), missing('element'));
    await assert.rejects(f.api.elements.add(writer, news, { name: 'Link', properties: { SEC: secret.section } }), missing('section'));
    await assert.rejects(f.api.elements.importBatch(writer, news, [{ name: 'Link', properties: { REL: secret.element } }]), missing('element'));
    const target = (await f.api.elements.add(writer, news, { name: 'Target' })).id;
    assert.equal((await f.api.elements.add(writer, news, { name: 'Link', properties: { REL: target } })).properties.REL, target);
    assert.equal((await f.api.elements.add(admin, news, { name: 'Admin link', properties: { REL: secret.element } })).properties.REL, secret.element);
  });
});
