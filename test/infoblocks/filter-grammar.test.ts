import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import type { Principal } from '../../core/services.js';
import { admin, bootInfoblocks, rng, type IbFixture } from './fixture.js';
import { compare, matches, type MemElement, type MemWorld } from './filter-model.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega'];
const DAYS = ['2026-01-05', '2026-03-10', '2026-06-01', '2026-09-30'];

describeEachDb('infoblocks filter grammar vs in-memory evaluation', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  /** Reads "gen" and "side", not "hidden": every answer must stay inside the infoblock asked for. */
  let reader: Principal;
  const otherIds = new Set<number>();
  const mem: MemElement[] = [];
  const world: MemWorld = { subtree: new Map(), multiple: new Set(['TAGSM', 'NUMS']), now: NOW };
  let enumIds: number[] = [];
  let sectionIds: number[] = [];
  const r = rng(20261201);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: T, p = 0.8): T | null => (r() < p ? v : null);

  before(async function () {
    this.timeout(120_000);
    f = await bootInfoblocks(kind);
    const api = f.api;
    const group = await f.t.kernel.groups.create({ code: 'gen_readers', name: 'Gen readers' });
    const user = await f.t.kernel.users.create({ login: 'genreader', email: 'genreader@example.com', password: 'password-123', groupIds: [group.id] });
    reader = { userId: user.id, groupIds: [group.id], isAdmin: false };
    iblockId = (await api.iblocks.add(admin, { typeId: f.typeId, code: 'gen', name: 'Generated', rights: { [group.id]: 'R' } })).id;
    // Two more infoblocks with the same property codes, one readable and one not, their elements among gen's ids.
    const others = [
      (await api.iblocks.add(admin, { typeId: f.typeId, code: 'hidden', name: 'Hidden' })).id,
      (await api.iblocks.add(admin, { typeId: f.typeId, code: 'side', name: 'Side', rights: { [group.id]: 'R' } })).id,
    ];
    for (const other of others) {
      await api.properties.add(admin, other, { code: 'STR', name: 'Str', type: 'string', filterable: true });
      await api.properties.add(admin, other, { code: 'TAGSM', name: 'Tags', type: 'string', multiple: true });
    }
    await api.properties.add(admin, iblockId, { code: 'STR', name: 'Str', type: 'string', filterable: true });
    await api.properties.add(admin, iblockId, { code: 'NUM', name: 'Num', type: 'number', filterable: true });
    const lst = await api.properties.add(admin, iblockId, { code: 'LST', name: 'List', type: 'list', enums: [{ value: 'One' }, { value: 'Two' }, { value: 'Three' }] });
    enumIds = lst.enums.map((e) => e.id);
    await api.properties.add(admin, iblockId, { code: 'DAY', name: 'Day', type: 'date', filterable: true });
    await api.properties.add(admin, iblockId, { code: 'TM', name: 'Time', type: 'datetime' });
    await api.properties.add(admin, iblockId, { code: 'TAGSM', name: 'Tags', type: 'string', multiple: true });
    await api.properties.add(admin, iblockId, { code: 'NUMS', name: 'Nums', type: 'number', multiple: true });
    // Tree: A > A1 > A11, A > A2; B
    const a = await api.sections.add(admin, iblockId, { name: 'A', code: 'a' });
    const a1 = await api.sections.add(admin, iblockId, { name: 'A1', code: 'a1', parentId: a.id });
    const a11 = await api.sections.add(admin, iblockId, { name: 'A11', code: 'a11', parentId: a1.id });
    const a2 = await api.sections.add(admin, iblockId, { name: 'A2', code: 'a2', parentId: a.id });
    const b = await api.sections.add(admin, iblockId, { name: 'B', code: 'b' });
    sectionIds = [a.id, a1.id, a11.id, a2.id, b.id];
    world.subtree.set(a.id, [a.id, a1.id, a11.id, a2.id]).set(a1.id, [a1.id, a11.id]).set(a11.id, [a11.id]).set(a2.id, [a2.id]).set(b.id, [b.id]);
    for (let i = 0; i < 90; i++) {
      const props = {
        STR: maybe(`${pick(WORDS)}${Math.floor(r() * 4)}`),
        NUM: maybe(Math.floor(r() * 20) / 2),
        LST: maybe(pick(enumIds)),
        DAY: maybe(pick(DAYS)),
        TM: maybe(NOW + Math.floor((r() - 0.5) * 20) * DAY),
        TAGSM: [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(WORDS)))],
        NUMS: [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => Math.floor(r() * 6)))],
      };
      const sections = [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(sectionIds)))];
      const tags = r() < 0.4 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(WORDS)))];
      const input = {
        name: `${pick(WORDS)}${Math.floor(r() * 10)}`,
        code: r() < 0.3 ? '' : `el-${i}`,
        previewText: r() < 0.5 ? '' : `about ${pick(WORDS)}`,
        detailText: r() < 0.3 ? '' : `all of ${pick(WORDS)}`,
        tags,
        active: r() < 0.7,
        activeFrom: maybe(NOW + Math.floor((r() - 0.5) * 10) * DAY, 0.5),
        activeTo: null as number | null,
        sort: Math.floor(r() * 5) * 100,
        sectionIds: sections,
        properties: props,
      };
      if (r() < 0.5) input.activeTo = (input.activeFrom ?? NOW - 10 * DAY) + Math.floor(r() * 10) * DAY;
      const el = await api.elements.add(admin, iblockId, input);
      if (i % 3 === 0) {
        const other = others[i % 2]!;
        const o = await api.elements.add(admin, other, { name: `${pick(WORDS)}${Math.floor(r() * 10)}`, code: `o-${i}`, sort: 100, properties: { STR: props.STR, TAGSM: props.TAGSM } });
        otherIds.add(o.id);
      }
      mem.push({ ID: el.id, NAME: input.name, CODE: input.code, PREVIEW_TEXT: input.previewText, DETAIL_TEXT: input.detailText, TAGS: tags.join(','), ACTIVE: input.active ? 1 : 0, ACTIVE_FROM: input.activeFrom, ACTIVE_TO: input.activeTo, SORT: input.sort, props, sections });
    }
  });
  after(async () => f?.t.close());

  function leaf(): Record<string, unknown> {
    const kindOf = pick(['NAME', 'SORT', 'ID', 'ACTIVE', 'ACTIVE_FROM', 'TEXTS', 'PROPERTY_STR', 'PROPERTY_NUM', 'PROPERTY_LST', 'PROPERTY_DAY', 'PROPERTY_TM', 'PROPERTY_TAGSM', 'PROPERTY_NUMS', 'SECTION_ID', 'ACTIVE_DATE'] as const);
    const num = (f: string, gen: () => number, allowLike = false): Record<string, unknown> => {
      const op = pick(['', '=', '!', '>', '>=', '<', '<=', '><', '@', '!@', '!><', ...(allowLike ? ['%', '!%'] : [])]);
      if (op === '><' || op === '!><') {
        const [x, y] = [gen(), gen()].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
        return { [`${op}${f}`]: [x, y] };
      }
      if (op === '@' || op === '!@') return { [`${op}${f}`]: Array.from({ length: Math.floor(r() * 4) }, gen) };
      if ((op === '' || op === '=' || op === '!') && r() < 0.1) return { [`${op}${f}`]: null };
      return { [`${op}${f}`]: gen() };
    };
    const word = () => `${pick(WORDS)}${Math.floor(r() * 4)}`;
    switch (kindOf) {
      case 'NAME':
        return r() < 0.5 ? { [pick(['%', '!%'])+'NAME']: pick(WORDS).slice(0, 3) } : { [pick(['=', '!', '>', '<'])+'NAME']: `${pick(WORDS)}${Math.floor(r() * 10)}` };
      case 'SORT':
        return num('SORT', () => Math.floor(r() * 5) * 100);
      case 'ID':
        return num('ID', () => pick(mem).ID);
      case 'ACTIVE':
        return { [pick(['=', '!'])+'ACTIVE']: pick(['Y', 'N', true, false]) };
      case 'ACTIVE_FROM':
        return num('ACTIVE_FROM', () => NOW + Math.floor((r() - 0.5) * 10) * DAY);
      case 'PROPERTY_STR':
        return r() < 0.4 ? { [pick(['%', '!%'])+'PROPERTY_STR']: pick(WORDS).slice(1, 4) } : num('PROPERTY_STR', () => word() as unknown as number);
      case 'PROPERTY_NUM':
        return num('PROPERTY_NUM', () => Math.floor(r() * 20) / 2);
      case 'PROPERTY_LST': {
        const op = pick(['', '!', '@', '!@']);
        return { [op + 'PROPERTY_LST']: op.includes('@') || r() < 0.5 ? [pick(enumIds), pick(enumIds)] : pick(enumIds) };
      }
      case 'PROPERTY_DAY':
        return num('PROPERTY_DAY', () => pick(DAYS) as unknown as number);
      case 'PROPERTY_TM':
        return num('PROPERTY_TM', () => NOW + Math.floor((r() - 0.5) * 20) * DAY);
      case 'PROPERTY_TAGSM':
        if (r() < 0.3) return { [pick(['%', '!%']) + 'PROPERTY_TAGSM']: pick(WORDS).slice(0, 2) };
        {
          const op = pick(['', '!', '@', '!@']);
          return { [op + 'PROPERTY_TAGSM']: op.includes('@') ? [pick(WORDS), pick(WORDS)] : r() < 0.2 ? null : r() < 0.5 ? [pick(WORDS), pick(WORDS)] : pick(WORDS) };
        }
      case 'PROPERTY_NUMS':
        return num('PROPERTY_NUMS', () => Math.floor(r() * 6));
      case 'TEXTS': {
        const f = pick(['CODE', 'PREVIEW_TEXT', 'DETAIL_TEXT', 'TAGS']);
        if (r() < 0.6) return { [`${pick(['', '=', '!'])}${f}`]: null };
        if (r() < 0.5) return { [`${pick(['%', '!%'])}${f}`]: f === 'CODE' ? 'el-1' : pick(WORDS).slice(0, 3) };
        return { [`${pick(['', '!'])}${f}`]: f === 'CODE' ? pick(['', `el-${Math.floor(r() * 90)}`]) : '' };
      }
      case 'SECTION_ID':
        if (r() < 0.25) return { [pick(['', '=', '!'])+'SECTION_ID']: null };
        return { [pick(['', '!'])+'SECTION_ID']: r() < 0.5 ? pick(sectionIds) : [pick(sectionIds), pick(sectionIds)], ...(r() < 0.5 ? { INCLUDE_SUBSECTIONS: pick([true, 'Y', false]) } : {}) };
      case 'ACTIVE_DATE':
        return { [pick(['', '!'])+'ACTIVE_DATE']: pick(['Y', 'N']) };
    }
  }

  function group(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (r() < 0.5) out.LOGIC = pick(['AND', 'OR', 'or']);
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      if (depth < 2 && r() < 0.3) out[String(i)] = group(depth + 1);
      else {
        const l = leaf();
        // A key may repeat only across groups: nest duplicates.
        if (Object.keys(l).some((k) => k in out)) out[String(i)] = l;
        else Object.assign(out, l);
      }
    }
    return out;
  }

  it('matches an independent evaluation for 150 random filters, orders and pages', async function () {
    this.timeout(120_000);
    const orderable = ['SORT', 'NAME', 'ID', 'ACTIVE_FROM', 'PROPERTY_NUM', 'PROPERTY_STR', 'PROPERTY_DAY', 'PROPERTY_TM'];
    let nonTrivial = 0;
    for (let i = 0; i < 150; i++) {
      const filter = group(0);
      const order: [string, 'ASC' | 'DESC'][] = [[pick(orderable), pick(['ASC', 'DESC'] as const)]];
      if (r() < 0.5) order.push([pick(orderable), pick(['ASC', 'DESC'] as const)]);
      const dedup = order.filter(([k], idx) => order.findIndex(([k2]) => k2 === k) === idx);
      const pageSize = 1 + Math.floor(r() * 15);
      const page = 1 + Math.floor(r() * 3);
      const expected = mem.filter((el) => matches(el, filter, world)).sort(compare(dedup));
      const res = await f.api.elements.list(reader, iblockId, { filter, order: Object.fromEntries(dedup), page, pageSize, now: NOW, select: ['ID'] });
      const msg = `filter ${JSON.stringify(filter)} order ${JSON.stringify(dedup)} page ${page}/${pageSize}`;
      assert.deepEqual(res.items.filter((e) => e.iblockId !== iblockId || otherIds.has(e.id)).map((e) => e.id), [], `other infoblocks' elements: ${msg}`);
      assert.equal(res.total, expected.length, msg);
      assert.deepEqual(res.items.map((e) => e.id), expected.slice((page - 1) * pageSize, page * pageSize).map((e) => e.ID), msg);
      if (expected.length > 0 && expected.length < mem.length) nonTrivial++;
    }
    assert.ok(nonTrivial > 60, `only ${nonTrivial} filters were selective`);
  });

  it('keeps a top-level OR inside the infoblock, and the infoblock the reader may not read closed', async () => {
    const hidden = (await f.api.iblocks.getByCode(admin, 'hidden')).id;
    const filter = { LOGIC: 'OR', ID: -1, '%NAME': 'a', '!PROPERTY_STR': 'x' };
    const res = await f.api.elements.list(reader, iblockId, { filter, pageSize: 500 });
    assert.deepEqual(res.items.filter((e) => e.iblockId !== iblockId).map((e) => e.id), []);
    assert.equal(res.total, mem.filter((el) => matches(el, filter, world)).length);
    await assert.rejects(f.api.elements.list(reader, hidden, { filter }), (e: { code?: string }) => e.code === 'ACCESS_DENIED');
  });

  it('returns property values and sections as written', async () => {
    const sample = mem[7]!;
    const el = await f.api.elements.get(admin, sample.ID);
    assert.deepEqual(el.properties.NUMS, sample.props.NUMS);
    assert.equal(el.properties.STR, sample.props.STR);
    assert.deepEqual([...el.sectionIds].sort(), [...sample.sections].sort());
  });

  it('rejects unknown fields, operators and wrong types with a 400 naming them', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ NOPE: 1 }, 'FILTER_FIELD_UNKNOWN', /NOPE/],
      [{ PROPERTY_NOPE: 1 }, 'FILTER_FIELD_UNKNOWN', /PROPERTY_NOPE/],
      [{ ID: 'abc' }, 'FILTER_VALUE_INVALID', /"ID"/],
      [{ '%SORT': 'x' }, 'FILTER_OPERATOR_INVALID', /SORT/],
      [{ '><SORT': [1] }, 'FILTER_VALUE_INVALID', /SORT/],
      [{ '>PROPERTY_NUM': 'many' }, 'FILTER_VALUE_INVALID', /PROPERTY_NUM/],
      [{ PROPERTY_DAY: '01/02/2026' }, 'FILTER_VALUE_INVALID', /PROPERTY_DAY/],
      [{ LOGIC: 'XOR', ID: 1 }, 'FILTER_LOGIC_INVALID', /XOR/],
      [{ '>ACTIVE': 'Y' }, 'FILTER_OPERATOR_INVALID', /ACTIVE/],
      [{ '=>NAME': 'x' }, 'FILTER_FIELD_UNKNOWN', />NAME/],
    ];
    for (const [filter, codeName, re] of cases) {
      await assert.rejects(f.api.elements.list(admin, iblockId, { filter }), (err: { code?: string; status?: number; message: string }) => err.code === codeName && err.status === 400 && re.test(err.message), JSON.stringify(filter));
    }
    await assert.rejects(f.api.elements.list(admin, iblockId, { order: { PROPERTY_TAGSM: 'ASC' } }), (e: { code?: string }) => e.code === 'ORDER_FIELD_INVALID');
    await assert.rejects(f.api.elements.list(admin, iblockId, { select: ['PASSWORD'] }), (e: { code?: string }) => e.code === 'SELECT_FIELD_UNKNOWN');
    await assert.rejects(f.api.elements.list(admin, iblockId, { pageSize: 10_000 }), (e: { code?: string }) => e.code === 'PAGINATION_INVALID');
  });

  it('resists injection through filter keys, values, sort fields and directions', async () => {
    const before = (await f.api.elements.list(admin, iblockId, { pageSize: 1 })).total;
    const keyAttacks = ["NAME' OR '1'='1", 'ID; DROP TABLE infoblocks_elements; --', 'PROPERTY_STR) OR (1=1', '`id`', 'e.id', 'PROPERTY_STR`; --'];
    for (const key of keyAttacks) {
      await assert.rejects(f.api.elements.list(admin, iblockId, { filter: { [key]: 1 } }), (e: { status?: number }) => e.status === 400, key);
    }
    for (const value of ["' OR '1'='1", "x'); DROP TABLE infoblocks_elements; --", '%', '_', '!', '\\']) {
      const res = await f.api.elements.list(admin, iblockId, { filter: { LOGIC: 'OR', NAME: value, '%PROPERTY_STR': value } });
      assert.equal(res.total, 0, value);
    }
    for (const order of [{ 'NAME; DROP TABLE x': 'ASC' }, { NAME: 'ASC; DROP TABLE x' }, { '(SELECT 1)': 'DESC' }] as Record<string, string>[]) {
      await assert.rejects(f.api.elements.list(admin, iblockId, { order }), (e: { code?: string }) => e.code === 'ORDER_FIELD_INVALID', JSON.stringify(order));
    }
    await assert.rejects(f.api.elements.list(admin, iblockId, { filter: { ID: { $gt: 1 } } }), (e: { code?: string }) => e.code === 'FILTER_VALUE_INVALID');
    assert.equal((await f.api.elements.list(admin, iblockId, { pageSize: 1 })).total, before);
    assert.ok(await f.t.kernel.db('infoblocks').hasTable('elements'));
  });
});
