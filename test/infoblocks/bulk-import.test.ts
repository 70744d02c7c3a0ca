import assert from 'node:assert/strict';
import type { Principal } from '../../core/services.js';
import type { ElementInput, Property } from '../../modules/infoblocks/types.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

const coded = (code: string, re?: RegExp) => (err: { code?: string; message?: string }) => err.code === code && (!re || re.test(err.message ?? ''));

describeEachDb('infoblocks elements.importBatch', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  let color: Property;
  let sections: number[];
  const who = {} as Record<'reader' | 'editor' | 'writer', Principal>;
  const count = async () => (await f.api.elements.list(admin, iblockId, { pageSize: 1 })).total;

  before(async () => {
    f = await bootInfoblocks(kind);
    const k = f.t.kernel;
    const groups: Record<string, number> = {};
    for (const c of ['readers', 'editors', 'writers']) groups[c] = (await k.groups.create({ code: c, name: c })).id;
    const ib = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'goods', name: 'Goods', rights: { [groups.readers!]: 'R', [groups.editors!]: 'U', [groups.writers!]: 'W' } });
    iblockId = ib.id;
    await f.api.properties.add(admin, iblockId, { code: 'PRICE', name: 'Price', type: 'number', filterable: true });
    color = await f.api.properties.add(admin, iblockId, { code: 'COLOR', name: 'Color', type: 'list', multiple: true, enums: [{ value: 'Red', xmlId: 'red' }, { value: 'Blue', xmlId: 'blue' }] });
    await f.api.properties.add(admin, iblockId, { code: 'TAGS', name: 'Tags', type: 'string', multiple: true });
    await f.api.properties.add(admin, iblockId, { code: 'REL', name: 'Related', type: 'element', linkIblockId: iblockId });
    await f.api.properties.add(admin, iblockId, { code: 'OWNER', name: 'Owner', type: 'user' });
    await f.api.properties.add(admin, iblockId, { code: 'SKU', name: 'SKU', type: 'string', required: true });
    sections = [(await f.api.sections.add(admin, iblockId, { name: 'A', code: 'a' })).id, (await f.api.sections.add(admin, iblockId, { name: 'B', code: 'b' })).id];
    for (const [name, gid] of [['reader', groups.readers], ['editor', groups.editors], ['writer', groups.writers]] as const) {
      const u = await k.users.create({ login: name, email: `${name}@example.com`, password: 'password-123', groupIds: [gid!] });
      who[name] = await k.users.principalOf(u);
    }
  });
  after(async () => f.t.close());

  it('creates, then updates by xml_id without duplicates, writing multiple values and sections', async () => {
    const [red, blue] = color.enums.map((e) => e.id);
    const items: ElementInput[] = [
      { name: 'One', xmlId: 'g-1', code: 'one', sectionIds: [sections[0]!, sections[1]!], properties: { SKU: 's1', PRICE: 10, COLOR: [blue!, red!], TAGS: ['x', 'y', 'z'] } },
      { name: 'Two', xmlId: 'g-2', properties: { SKU: 's2', PRICE: '20.5', COLOR: red } },
      { name: 'Three', xmlId: 'g-3', properties: { SKU: 's3' } },
    ];
    const first = await f.api.elements.importBatch(who.writer, iblockId, items);
    assert.deepEqual([first.created, first.updated, first.ids.length], [3, 0, 3]);
    const one = await f.api.elements.get(admin, first.ids[0]!);
    assert.deepEqual(one.properties.COLOR, [blue, red], 'multiple values keep their order');
    assert.deepEqual(one.properties.TAGS, ['x', 'y', 'z']);
    assert.deepEqual([...one.sectionIds].sort(), [...sections].sort());
    assert.equal(one.createdBy, who.writer.userId);
    assert.equal((await f.api.elements.get(admin, first.ids[1]!)).properties.PRICE, 20.5);

    const second = await f.api.elements.importBatch(who.writer, iblockId, [
      { name: 'One v2', xmlId: 'g-1', properties: { COLOR: [red!], TAGS: [] } },
      { name: 'Two v2', xmlId: 'g-2', sectionIds: [sections[1]!] },
      { name: 'Four', xmlId: 'g-4', properties: { SKU: 's4', REL: first.ids[0]! } },
    ]);
    assert.deepEqual([second.created, second.updated], [1, 2]);
    assert.deepEqual(second.ids.slice(0, 2), first.ids.slice(0, 2), 'matched by xml_id');
    assert.equal(await count(), 4);
    const updated = await f.api.elements.get(admin, first.ids[0]!);
    assert.equal(updated.name, 'One v2');
    assert.equal(updated.code, 'one', 'fields an update does not give stay');
    assert.equal(updated.properties.SKU, 's1');
    assert.equal(updated.properties.PRICE, 10);
    assert.deepEqual(updated.properties.COLOR, [red]);
    assert.deepEqual(updated.properties.TAGS, []);
    assert.deepEqual([...updated.sectionIds].sort(), [...sections].sort(), 'no sectionIds: bindings kept');
    assert.deepEqual((await f.api.elements.get(admin, first.ids[1]!)).sectionIds, [sections[1]]);
    assert.equal((await f.api.elements.get(admin, second.ids[2]!)).properties.REL, first.ids[0]);
    const byFilter = await f.api.elements.list(admin, iblockId, { filter: { '=PROPERTY_COLOR': red, '>=PROPERTY_PRICE': 10 }, select: ['ID'] });
    assert.deepEqual(byFilter.items.map((e) => e.id).sort((a, b) => a - b), [first.ids[0], first.ids[1]].sort((a, b) => a - b), 'filterable like elements written by add');
  });

  it('matches by code with matchBy "code" and never with "none"; a key repeated in the batch is an error', async () => {
    const byCode = await f.api.elements.importBatch(admin, iblockId, [{ name: 'One by code', code: 'one' }], { matchBy: 'code' });
    assert.deepEqual([byCode.created, byCode.updated], [0, 1]);
    assert.equal((await f.api.elements.get(admin, byCode.ids[0]!)).name, 'One by code');
    const before = await count();
    const none = await f.api.elements.importBatch(admin, iblockId, [{ name: 'Copy', xmlId: 'g-1', properties: { SKU: 'c' } }], { matchBy: 'none' });
    assert.deepEqual([none.created, none.updated], [1, 0]);
    assert.equal(await count(), before + 1);
    await f.api.elements.delete(admin, none.ids[0]!);
    await assert.rejects(
      f.api.elements.importBatch(admin, iblockId, [{ name: 'a', xmlId: 'dup', properties: { SKU: 'a' } }, { name: 'b', xmlId: 'dup', properties: { SKU: 'b' } }]),
      coded('ELEMENT_INPUT_INVALID', /^item 1: xmlId "dup" repeats item 0 of the batch$/),
    );
    await assert.rejects(f.api.elements.importBatch(admin, iblockId, [], { matchBy: 'id' as never }), coded('ELEMENT_INPUT_INVALID', /matchBy/));
  });

  it('validates every item like add/update: the coded error names the item and nothing is written', async () => {
    const before = await count();
    const ok = (i: number): ElementInput => ({ name: `ok ${i}`, xmlId: `v-${i}`, properties: { SKU: `v${i}` } });
    const cases: [ElementInput, string, RegExp][] = [
      [{ name: 'bad', properties: { SKU: 'x', PRICE: 'cheap' } }, 'PROPERTY_VALUE_INVALID', /^item 2: Property "PRICE" \(number\): "cheap" is not a number$/],
      [{ name: 'bad' }, 'PROPERTY_REQUIRED', /^item 2: Property "SKU" is required$/],
      [{ name: 'bad', properties: { SKU: 'x', NOPE: 1 } }, 'PROPERTY_UNKNOWN', /^item 2: Unknown property "NOPE"$/],
      [{ name: '', properties: { SKU: 'x' } }, 'ELEMENT_INPUT_INVALID', /^item 2: name is required$/],
      [{ name: 'bad', properties: { SKU: 'x', REL: 999999 } }, 'PROPERTY_VALUE_INVALID', /^item 2: Property "REL" \(element\): element 999999 does not exist$/],
      [{ name: 'bad', properties: { SKU: 'x', OWNER: 999999 } }, 'PROPERTY_VALUE_INVALID', /^item 2: Property "OWNER" \(user\): user 999999 does not exist$/],
      [{ name: 'bad', properties: { SKU: 'x', COLOR: [999999] } }, 'PROPERTY_VALUE_INVALID', /^item 2: Property "COLOR" \(list\): 999999 is not one of its values$/],
      [{ name: 'bad', sectionIds: [999999], properties: { SKU: 'x' } }, 'SECTION_NOT_FOUND', /^item 2: Section 999999 in infoblock \d+ does not exist$/],
      [{ name: 'bad', previewPicture: 999999, properties: { SKU: 'x' } }, 'ELEMENT_INPUT_INVALID', /^item 2: previewPicture: file 999999 does not exist$/],
    ];
    for (const [bad, code, re] of cases) {
      await assert.rejects(f.api.elements.importBatch(admin, iblockId, [ok(0), ok(1), bad, ok(3)]), (err: { code?: string; message?: string; status?: number; details?: { item?: number } }) => {
        assert.equal(err.code, code, err.message);
        assert.match(err.message!, re);
        assert.equal(err.details?.item, 2);
        assert.ok(err.status! >= 400 && err.status! < 500);
        return true;
      });
    }
    assert.equal(await count(), before, 'a bad item stops the whole batch before anything is written');
  });

  it('runs before-events per item (change data, veto) and after-events per element after the commit', async () => {
    const k = f.t.kernel;
    const seen: string[] = [];
    let visibleAtFirstEvent = -1;
    const before = await count();
    const offs = [
      k.events.onBefore('infoblocks.element.create', (ev) => {
        if (ev.data.input.name === 'forbidden') ev.veto('Not this one', 'IB_TEST_VETO');
        ev.data.input = { ...ev.data.input, name: ev.data.input.name.toUpperCase() };
      }),
      k.events.onBefore('infoblocks.element.update', (ev) => {
        ev.data.patch = { ...ev.data.patch, name: `${ev.data.patch.name ?? ''}!` };
      }),
      k.events.onAfter('infoblocks.element.created', async (el) => {
        if (visibleAtFirstEvent < 0) visibleAtFirstEvent = await count();
        seen.push(`created:${el.name}:${el.properties.SKU}`);
      }),
      k.events.onAfter('infoblocks.element.updated', (el) => void seen.push(`updated:${el.name}`)),
    ];
    try {
      await assert.rejects(
        f.api.elements.importBatch(admin, iblockId, [{ name: 'fine', properties: { SKU: 'f' } }, { name: 'forbidden', properties: { SKU: 'f' } }]),
        coded('IB_TEST_VETO', /^item 1: Not this one$/),
      );
      assert.equal(await count(), before, 'a veto stops the batch');
      assert.deepEqual(seen, []);
      const res = await f.api.elements.importBatch(admin, iblockId, [
        { name: 'ev-a', xmlId: 'ev-a', properties: { SKU: 'a' } },
        { name: 'Two again', xmlId: 'g-2' },
        { name: 'ev-b', xmlId: 'ev-b', properties: { SKU: 'b' } },
      ]);
      assert.deepEqual(seen, ['created:EV-A:a', 'updated:Two again!', 'created:EV-B:b'], 'in item order, with the stored data');
      assert.equal(visibleAtFirstEvent, before + 2, 'the whole batch was committed before the first after-event');
      assert.equal((await f.api.elements.get(admin, res.ids[0]!)).name, 'EV-A');
    } finally {
      offs.forEach((off) => off());
    }
  });

  it('matches keys exactly on both databases (MariaDB compares case-insensitively)', async () => {
    const [upper] = (await f.api.elements.importBatch(admin, iblockId, [{ name: 'Upper', xmlId: 'Case-1', properties: { SKU: 'c' } }])).ids;
    const lower = await f.api.elements.importBatch(admin, iblockId, [{ name: 'Lower', xmlId: 'case-1', properties: { SKU: 'c' } }]);
    assert.deepEqual([lower.created, lower.updated], [1, 0]);
    const ids = await f.api.elements.idsOf(admin, iblockId, 'xmlId', ['Case-1', 'case-1', 'CASE-1']);
    assert.deepEqual([...ids], [['Case-1', upper], ['case-1', lower.ids[0]]]);
    const keys = await f.api.elements.keysOf(admin, [upper!, 999999]);
    assert.deepEqual([...keys], [[upper, { iblockId, xmlId: 'Case-1', code: '' }]]);
    const other = await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'hidden', name: 'Hidden', rights: {} });
    const [hidden] = (await f.api.elements.importBatch(admin, other.id, [{ name: 'h', xmlId: 'h' }])).ids;
    assert.deepEqual([...(await f.api.elements.keysOf(who.writer, [upper!, hidden!])).keys()], [upper], 'elements the principal cannot read are left out');
    for (const id of [upper!, lower.ids[0]!, hidden!]) await f.api.elements.delete(admin, id);
  });

  it('needs W: readers and workflow editors are refused', async () => {
    for (const p of [who.reader, who.editor]) {
      await assert.rejects(f.api.elements.importBatch(p, iblockId, [{ name: 'x', properties: { SKU: 'x' } }]), coded('ACCESS_DENIED'));
    }
    await assert.rejects(f.api.elements.importBatch(who.writer, 999999, []), coded('IBLOCK_NOT_FOUND'));
  });

  it('a dry run validates and counts but writes nothing', async () => {
    const before = await count();
    const res = await f.api.elements.importBatch(admin, iblockId, [{ name: 'new', xmlId: 'dry-1', properties: { SKU: 'd' } }, { name: 'One dry', xmlId: 'g-1' }], { dryRun: true });
    assert.equal(res.created, 1);
    assert.equal(res.updated, 1);
    assert.equal(res.ids[0], 0);
    assert.ok(res.ids[1]! > 0);
    assert.equal(await count(), before);
    assert.notEqual((await f.api.elements.get(admin, res.ids[1]!)).name, 'One dry');
    await assert.rejects(f.api.elements.importBatch(admin, iblockId, [{ name: 'bad' }], { dryRun: true }), coded('PROPERTY_REQUIRED', /^item 0:/));
  });

  it('invalidates cached lists and elements once per batch', async () => {
    const q = { filter: { '=XML_ID': 'g-3' } };
    const id = (await f.api.elements.list(admin, iblockId, q)).items[0]!.id;
    assert.equal((await f.api.elements.get(admin, id)).name, 'Three');
    const tags: string[][] = [];
    const cache = f.t.kernel.cache;
    const original = cache.invalidateTags.bind(cache);
    cache.invalidateTags = async (...t: string[]) => {
      tags.push(t);
      return original(...t);
    };
    try {
      await f.api.elements.importBatch(admin, iblockId, [{ name: 'Three v2', xmlId: 'g-3' }, { name: 'Five', xmlId: 'g-5', properties: { SKU: '5' } }]);
    } finally {
      cache.invalidateTags = original;
    }
    assert.deepEqual(tags, [[`infoblocks:iblock:${iblockId}`]]);
    assert.equal((await f.api.elements.list(admin, iblockId, q)).items[0]!.name, 'Three v2');
    assert.equal((await f.api.elements.get(admin, id)).name, 'Three v2');
  });

  it('splits a batch of long texts into statements the server accepts (MariaDB packets are 16 MB)', async () => {
    // 300 texts of 30,000 Cyrillic letters are 18 MB of UTF-8: more than one packet (a TEXT column holds 64 KB).
    const long = 'я'.repeat(30_000);
    const items = Array.from({ length: 300 }, (_, i) => ({ name: `long ${i}`, xmlId: `long-${i}`, detailText: long, properties: { SKU: `l${i}` } }));
    const res = await f.api.elements.importBatch(admin, iblockId, items);
    assert.equal(res.created, 300);
    assert.equal((await f.api.elements.get(admin, res.ids[299]!)).detailText, long);
    for (const id of res.ids) await f.api.elements.delete(admin, id);
  });

  it('checks links with a fixed number of queries per batch, whatever its size', async () => {
    const knex = f.t.kernel.connections.main();
    const target = (await f.api.elements.list(admin, iblockId, { pageSize: 1 })).items[0]!.id;
    const owner = who.writer.userId!;
    const [red, blue] = color.enums.map((e) => e.id);
    const batch = (n: number, tag: string): ElementInput[] => Array.from({ length: n }, (_, i) => ({
      name: `q ${i}`, xmlId: `${tag}-${i}`, sectionIds: [sections[i % 2]!], properties: { SKU: `q${i}`, PRICE: i, COLOR: [red!, blue!], TAGS: ['a', 'b'], REL: target, OWNER: owner },
    }));
    const sqls: string[] = [];
    const queries = async (items: ElementInput[]) => {
      sqls.length = 0;
      const onQuery = (q: { sql: string }) => void sqls.push(q.sql);
      knex.on('query', onQuery);
      try {
        await f.api.elements.importBatch(admin, iblockId, items);
      } finally {
        knex.off('query', onQuery);
      }
      return sqls.length;
    };
    const small = await queries(batch(5, 'small'));
    const large = await queries(batch(200, 'large'));
    assert.equal(large, small, `queries for 200 items (${large}) = queries for 5 items (${small})`);
    assert.ok(small <= 25, `${small} queries`);
    await queries(batch(200, 'large'));
    assert.deepEqual(sqls.filter((q) => /^delete/i.test(q)), [], 'importing the same values again deletes no value rows');
    const again = await f.api.elements.list(admin, iblockId, { filter: { '=XML_ID': 'large-7' } });
    assert.deepEqual(again.items[0]!.properties.COLOR, [red, blue]);
    assert.deepEqual(again.items[0]!.properties.TAGS, ['a', 'b']);
    assert.deepEqual(again.items[0]!.sectionIds, [sections[1]]);
  });
});
