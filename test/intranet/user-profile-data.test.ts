import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { sniffImage } from '../../modules/main/routes/intranet/photo.js';
import { paginate } from '../../modules/main/routes/intranet/paging.js';
import { solidPng } from './fixtures.js';

describeEachDb('user profile data and departments', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind);
  });
  after(async () => t.close());

  it('stores position, department, phone, photo and birthday on users', async () => {
    const dept = await t.kernel.users.departments.create({ name: 'Бухгалтерия' });
    const u = await t.kernel.users.create({ login: 'acc', email: 'acc@example.com', name: 'Мария', lastName: 'Кузнецова', position: 'Главный бухгалтер', departmentId: dept.id, phone: '+7 495 000-00-00', birthday: '1985-07-14' });
    assert.equal(u.position, 'Главный бухгалтер');
    assert.equal(u.departmentId, dept.id);
    assert.equal(u.birthday, '1985-07-14');
    assert.equal(u.photoFileId, null);
    assert.deepEqual(await t.kernel.users.get(u.id), u, 'the stored user equals the created one');
    const updated = await t.kernel.users.update(u.id, { departmentId: null, position: '', phone: '', birthday: null });
    assert.equal(updated.departmentId, null);
    assert.equal(updated.birthday, null);
  });

  it('validates the new fields', async () => {
    const u = await t.kernel.users.create({ login: 'val', email: 'val@example.com' });
    await assert.rejects(t.kernel.users.update(u.id, { birthday: '1990-13-01' }), (e: { code: string; details: { field: string } }) => e.code === 'USER_FIELD_INVALID' && e.details.field === 'birthday');
    await assert.rejects(t.kernel.users.update(u.id, { birthday: '3000-01-01' }), /birthday/);
    await assert.rejects(t.kernel.users.update(u.id, { phone: '<b>' }), /phone/);
    await assert.rejects(t.kernel.users.update(u.id, { position: 'x'.repeat(256) }), /position must be at most 255/);
    await assert.rejects(t.kernel.users.update(u.id, { departmentId: 424242 }), /Department 424242 does not exist/);
    await assert.rejects(t.kernel.users.update(u.id, { departmentId: -1 }), /departmentId must be a positive whole number/);
    await assert.rejects(t.kernel.users.create({ login: 'val2', email: 'val2@example.com', departmentId: 424242 }), /Department 424242 does not exist/);
  });

  it('finds users by any part of the name in any script and case', async () => {
    await t.kernel.users.create({ login: 'yozhik', email: 'yo@example.com', name: 'Ёжик', lastName: 'Туманов' });
    assert.deepEqual((await t.kernel.users.list({ search: 'ёжик' })).items.map((u) => u.login), ['yozhik']);
    assert.deepEqual((await t.kernel.users.list({ search: 'ТУМАН' })).items.map((u) => u.login), ['yozhik']);
    const renamed = await t.kernel.users.update((await t.kernel.users.findByLogin('yozhik'))!.id, { lastName: 'Солнцев' });
    assert.deepEqual((await t.kernel.users.list({ search: 'солнц' })).items.map((u) => u.id), [renamed.id], 'search text follows updates');
    assert.deepEqual((await t.kernel.users.list({ search: 'туман' })).items, []);
  });

  it('keeps a department tree', async () => {
    const d = t.kernel.users.departments;
    const root = await d.create({ name: 'Company', sort: 1 });
    const a = await d.create({ name: 'B-team', parentId: root.id, sort: 20 });
    const b = await d.create({ name: 'A-team', parentId: root.id, sort: 10 });
    const deep = await d.create({ name: 'Deep', parentId: a.id });
    const tree = await d.tree();
    const company = tree.find((n) => n.id === root.id)!;
    assert.deepEqual(company.children.map((n) => n.name), ['A-team', 'B-team'], 'by sort');
    assert.equal(company.children[1]!.children[0]!.depth, 2);
    const flat = (await d.flat()).map((n) => n.name);
    assert.ok(flat.indexOf('Deep') === flat.indexOf('B-team') + 1, 'children follow their parent');
    assert.deepEqual((await d.withDescendants(root.id)).sort((x, y) => x - y), [root.id, a.id, b.id, deep.id].sort((x, y) => x - y));
    await assert.rejects(d.create({ name: '' }), /Department name must be 1–255 characters/);
    await assert.rejects(d.create({ name: 'Orphan', parentId: 999999 }), /Department 999999 does not exist/);
    const u = await t.kernel.users.create({ login: 'deep1', email: 'deep1@example.com', departmentId: deep.id });
    assert.equal((await t.kernel.users.countByDepartment())[deep.id], 1);
    assert.deepEqual((await t.kernel.users.list({ departmentIds: [deep.id] })).items.map((x) => x.id), [u.id]);
  });

  it('finds upcoming birthdays in UTC days, across the new year and on 29 February', async () => {
    const mk = (login: string, birthday: string) => t.kernel.users.create({ login, email: `${login}@example.com`, lastName: login, birthday });
    await mk('bd_dec31', '1980-12-31');
    await mk('bd_jan02', '1991-01-02');
    await mk('bd_feb29', '1992-02-29');
    await mk('bd_mar01', '1993-03-01');
    const blocked = await mk('bd_blocked', '1990-12-31');
    await t.kernel.users.setActive(blocked.id, false);
    const logins = async (from: string, days: number) =>
      (await t.kernel.users.upcomingBirthdays({ from: new Date(from), days, limit: 10 })).map((b) => `${b.user.login}+${b.inDays}`);
    assert.deepEqual(await logins('2025-12-30T23:30:00Z', 3), ['bd_dec31+1', 'bd_jan02+3'], 'wraps into January; blocked users left out');
    assert.deepEqual(await logins('2025-02-27T00:00:00Z', 2), ['bd_feb29+1', 'bd_mar01+2'], '29 February on the 28th in a common year');
    assert.deepEqual(await logins('2028-02-28T12:00:00Z', 1), ['bd_feb29+1'], 'on the day itself in a leap year');
    assert.deepEqual(await logins('2025-06-01T00:00:00Z', 30), []);
  });
});

describe('intranet helpers', () => {
  it('recognises images by their bytes, not their names', () => {
    assert.equal(sniffImage(solidPng(1, 1)), 'image/png');
    assert.equal(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])), 'image/jpeg');
    assert.equal(sniffImage(Buffer.from('GIF87a......')), 'image/gif');
    assert.equal(sniffImage(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])), 'image/webp');
    assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null, 'SVG is refused (it can carry scripts)');
    assert.equal(sniffImage(Buffer.from('%PDF-1.7')), null);
    assert.equal(sniffImage(Buffer.alloc(0)), null);
  });

  it('builds page links with gaps around the current page', () => {
    const p = paginate(200, 7, 10, (n) => `/x/?page=${n}`);
    assert.equal(p.pages, 20);
    assert.deepEqual(p.links.map((l) => l.n), [1, null, 5, 6, 7, 8, 9, null, 20]);
    assert.equal(p.links.find((l) => l.current)?.n, 7);
    assert.equal(p.prev, '/x/?page=6');
    assert.equal(p.next, '/x/?page=8');
    assert.equal(p.offset, 60);
    assert.deepEqual(paginate(5, 1, 10, String).links, [], 'one page needs no links');
  });
});
