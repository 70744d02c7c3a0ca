import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { SYSTEM } from '../../modules/cloudimport/import/handler.js';
import type { ImportReport } from '../../modules/cloudimport/import/report.js';
import { dumpCopy, FIXTURES, installTargets, snapshot } from './setup.js';

const of = (r: ImportReport, entity: string) => r.entities.find((e) => e.entity === entity)!;

describeEachDb('cloud import: the importer', (kind) => {
  let t: TestKernel;
  let first: ImportReport;
  before(async function () {
    this.timeout(120_000);
    t = await bootTestKernel(kind);
    await installTargets(t.kernel);
    first = await t.kernel.api('cloudimport').import(path.join(FIXTURES, 'dump'));
  });
  after(async () => t?.close());

  const box = async (entity: string, id: string) => Number(await t.kernel.api('cloudimport').boxIdOf(entity, id));

  it('imports departments with their parents and heads (a head is a user imported later)', async () => {
    assert.deepEqual([of(first, "departments").created, of(first, "departments").linked], [6, 6]);
    const rd = await t.kernel.users.departments.get(await box('departments', '15'));
    assert.equal(rd.name, 'R&D');
    assert.equal(rd.parentId, await box('departments', '1'));
    assert.equal(rd.headUserId, await box('users', '3'));
    assert.equal((await t.kernel.users.departments.get(await box('departments', '1'))).headUserId, await box('users', '1'));
  });

  it('imports users: blocked when inactive, extranet marked, no password, department kept; a bad row is reported', async () => {
    const r = of(first, 'users');
    assert.equal(r.created, 4);
    assert.deepEqual(r.skipped.map((s) => [s.id, /not an e-mail/.test(s.reason)]), [['9', true]]);
    const john = await t.kernel.users.get(await box('users', '3'));
    assert.equal(john.login, 'test@gmail.com');
    assert.equal(john.departmentId, await box('departments', '15'));
    const oleg = await t.kernel.users.get(await box('users', '5'));
    assert.equal(oleg.active, false);
    assert.equal(oleg.name, 'Олег');
    assert.equal(oleg.birthday, '1990-12-31');
    const partner = await t.kernel.users.get(await box('users', '7'));
    assert.equal(partner.employee, false);
    const extranet = (await t.kernel.groups.list()).find((g) => g.code === 'extranet')!;
    assert.deepEqual(await t.kernel.groups.members(extranet.id), [partner.id]);
    await assert.rejects(t.kernel.users.authenticate('test@gmail.com', '', '127.0.0.1'));
  });

  it('imports workgroups as groups with members, owners and moderators also in the moderators group', async () => {
    assert.equal(of(first, 'workgroups').created, 2);
    const groups = await t.kernel.groups.list();
    const scrum = groups.find((g) => g.code === 'b24_group_79')!;
    assert.equal(scrum.name, 'Scrum Project');
    assert.equal((await t.kernel.groups.members(scrum.id)).length, 2);
    const mods = groups.find((g) => g.code === 'b24_group_79_mods')!;
    assert.deepEqual((await t.kernel.groups.members(mods.id)).sort(), [await box('users', '1'), await box('users', '3')].sort());
    assert.deepEqual(of(first, 'workgroup_members').skipped.map((s) => s.id), ['79:404']);
  });

  it('imports universal lists as infoblocks with typed properties and their elements', async () => {
    const ib = t.kernel.api('infoblocks');
    const iblock = await ib.iblocks.getByCode(SYSTEM, 'b24_list_47');
    assert.equal(iblock.name, 'Projects');
    const props = await ib.properties.list(SYSTEM, iblock.id);
    assert.deepEqual(props.map((p) => [p.code, p.type, p.multiple]).sort(), [['DUE', 'datetime', false], ['PARTICIPANTS', 'user', true], ['PROJECT', 'list', false]]);
    const el = await ib.elements.get(SYSTEM, await box('list_elements', '6999'));
    assert.deepEqual([...(el.properties.PARTICIPANTS as number[])].sort(), [await box('users', '1'), await box('users', '3')].sort());
    assert.equal(props.find((p) => p.code === 'PROJECT')!.enums.find((e) => e.id === el.properties.PROJECT)!.value, 'In Active Work');
    assert.equal(new Date(el.properties.DUE as number).toISOString(), '2024-12-31T20:59:59.000Z', 'a locale date in the portal zone (Europe/Moscow)');
  });

  it('imports CRM records into the CRM infoblocks: multi-fields as multiple properties, links kept (also forward ones)', async () => {
    const ib = t.kernel.api('infoblocks');
    const company = await ib.elements.get(SYSTEM, await box('crm_companies', '2909'));
    assert.equal(company.name, 'GAZPROM');
    assert.deepEqual(company.properties.PHONE, ['+74950000000', '+79160000000']);
    assert.deepEqual(company.properties.PHONE_TYPE, ['WORK', 'MOBILE']);
    assert.equal(company.properties.LEAD_ID, await box('crm_leads', '123'), 'the lead comes after the companies');
    assert.equal(company.properties.ASSIGNED_BY_ID, await box('users', '1'));
    const deal = await ib.elements.get(SYSTEM, await box('crm_deals', '410'));
    assert.equal(deal.properties.COMPANY_ID, await box('crm_companies', '9'));
    assert.equal(deal.properties.CONTACT_ID, await box('crm_contacts', '84'));
    assert.equal(deal.properties.OPPORTUNITY, 1000000);
    assert.match(deal.detailText, /<(b|strong)>Example comment<\/(b|strong)>/, 'BBCode → sanitized HTML');
    const contact = await ib.elements.get(SYSTEM, await box('crm_contacts', '84'));
    assert.deepEqual(contact.properties.EMAIL, ['a@example.com', 'b@example.com']);
    const skipped = of(first, 'crm_deals').skipped;
    assert.deepEqual(skipped.map((s) => s.id).sort(), ['411', 'line 3']);
    assert.match(skipped.find((s) => s.id === '411')!.reason, /DATE_CREATE: "yesterday" is not a date/);
  });

  it('reports calendar events as not imported', () => {
    assert.match(of(first, 'calendar_events').notImported!, /calendar/);
    assert.equal(of(first, 'calendar_events').rows, 1);
  });

  it('runs again without duplicates: unchanged records are left alone, a changed one is updated', async function () {
    this.timeout(60_000);
    const before = await snapshot(t.kernel);
    const again = await t.kernel.api('cloudimport').import(path.join(FIXTURES, 'dump'));
    for (const e of again.entities.filter((x) => !x.notImported)) assert.deepEqual([e.entity, e.created, e.updated], [e.entity, 0, 0]);
    assert.equal(of(again, 'crm_contacts').unchanged, 6);
    assert.deepEqual(await snapshot(t.kernel), before);
    const dir = dumpCopy();
    try {
      const file = path.join(dir, 'users.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"Smith"', '"Smythe"'));
      const changed = await t.kernel.api('cloudimport').import(dir);
      assert.deepEqual([of(changed, 'users').updated, of(changed, 'users').unchanged, of(changed, 'users').created], [1, 3, 0]);
      assert.equal((await t.kernel.users.get(await box('users', '3'))).lastName, 'Smythe');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts in a dry run without writing anything', async function () {
    this.timeout(60_000);
    const fresh = await bootTestKernel(kind);
    try {
      await installTargets(fresh.kernel);
      const dry = await fresh.kernel.api('cloudimport').import(path.join(FIXTURES, 'dump'), { dryRun: true, only: fresh.kernel.api('cloudimport').parseOnly('users,departments,crm') });
      assert.deepEqual(dry.entities.map((e) => e.entity), ['departments', 'users', 'crm_companies', 'crm_contacts', 'crm_leads', 'crm_deals']);
      assert.equal(of(dry, 'users').created, 4);
      assert.equal(await fresh.kernel.api('cloudimport').mappedCount('users'), 0);
      assert.equal((await fresh.kernel.users.departments.list()).length, 0);
    } finally {
      await fresh.close();
    }
  });
});
