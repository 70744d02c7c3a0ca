import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, rng, type IbFixture } from './fixture.js';

/** SQL of every SELECT an API call runs, with bindings. */
async function selects(knex: Knex, fn: () => Promise<unknown>): Promise<{ sql: string; bindings: Knex.RawBinding[] }[]> {
  const seen: { sql: string; bindings: Knex.RawBinding[] }[] = [];
  const listener = (q: { sql: string; bindings?: Knex.RawBinding[] }) => void seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.removeListener('query', listener);
  }
  return seen.filter((q) => /^\s*select/i.test(q.sql));
}

/** Index names the plan of a query uses: MariaDB EXPLAIN keys, SQLite EXPLAIN QUERY PLAN details. */
async function planKeys(knex: Knex, kind: string, q: { sql: string; bindings: Knex.RawBinding[] }): Promise<string[]> {
  if (kind === 'sqlite') return ((await knex.raw(`EXPLAIN QUERY PLAN ${q.sql}`, q.bindings)) as { detail: string }[]).map((r) => r.detail);
  const [rows] = (await knex.raw(`EXPLAIN ${q.sql}`, q.bindings)) as [{ table: string; key: string | null }[]];
  return rows.map((r) => `${r.table} ${r.key ?? 'no index'}`);
}

describeEachDb('infoblocks list query plans', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  const brand = (i: number) => `brand-${i % 400}`;
  before(async function () {
    this.timeout(120_000);
    f = await bootInfoblocks(kind);
    iblockId = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'catalog', name: 'Catalog' })).id;
    await f.api.properties.add(admin, iblockId, { code: 'BRAND', name: 'Brand', type: 'string', filterable: true });
    await f.api.properties.add(admin, iblockId, { code: 'KEYWORDS', name: 'Keywords', type: 'string', multiple: true });
    const r = rng(7);
    const items = Array.from({ length: 4000 }, (_, i) => ({ name: `Item ${i}`, code: `item-${i}`, sort: Math.floor(r() * 50) * 10, active: r() < 0.9, properties: { BRAND: brand(i), KEYWORDS: [`kw-${i % 500}`, `kw-${(i * 7) % 500}`] } }));
    for (let i = 0; i < items.length; i += 1000) await f.api.elements.importBatch(admin, iblockId, items.slice(i, i + 1000), { matchBy: 'none' });
    if (kind === 'mariadb') await f.t.kernel.mainKnex.raw('ANALYZE TABLE ??, ??, ??', ['infoblocks_elements', `infoblocks_p${iblockId}_s`, `infoblocks_p${iblockId}_m`]);
  });
  after(async () => f?.t.close());

  it('counts and pages a selective single-property filter from the property index', async () => {
    let res: Awaited<ReturnType<typeof f.api.elements.list>> | undefined;
    const queries = await selects(f.t.kernel.mainKnex, async () => (res = await f.api.elements.list(admin, iblockId, { filter: { ACTIVE: 'Y', '=PROPERTY_BRAND': brand(17) }, pageSize: 5 })));
    assert.ok(res!.total >= 5 && res!.total <= 10, `total ${res!.total}`);
    assert.deepEqual(res!.items.map((e) => e.properties.BRAND), Array(5).fill(brand(17)));
    const count = queries.find((q) => /count\(/i.test(q.sql))!;
    const plan = await planKeys(f.t.kernel.mainKnex, kind, count);
    const index = `infoblocks_p${iblockId}_s_p`;
    // SQLite: the first table searched is the property table through its index; MariaDB: the property index is used.
    if (kind === 'sqlite') assert.match(plan[0]!, new RegExp(`^SEARCH s USING COVERING INDEX ${index}`), plan.join('\n'));
    else assert.ok(plan.some((p) => p.includes(index)), plan.join('\n'));
  });

  it('counts a multiple-property filter from the values index, not by visiting every element', async () => {
    let total = 0;
    const queries = await selects(f.t.kernel.mainKnex, async () => (total = (await f.api.elements.list(admin, iblockId, { filter: { ACTIVE: 'Y', '=PROPERTY_KEYWORDS': 'kw-42' } })).total));
    assert.ok(total > 0 && total <= 16, `total ${total}`);
    const plan = await planKeys(f.t.kernel.mainKnex, kind, queries.find((q) => /count\(/i.test(q.sql))!);
    const index = `infoblocks_p${iblockId}_m_str`;
    if (kind === 'sqlite') assert.ok(plan.findIndex((p) => p.includes(index)) < plan.findIndex((p) => /^SEARCH e /.test(p)), plan.join('\n'));
    else assert.ok(plan.some((p) => p.includes(index)) && !plan.some((p) => /^e (no index|infoblocks_elements_iblock_id_active)/.test(p)), plan.join('\n'));
  });

  it('finds a page as ids first: the rows are read by primary key, in order', async () => {
    const queries = await selects(f.t.kernel.mainKnex, () => f.api.elements.list(admin, iblockId, { filter: { '>=SORT': 100 }, order: { SORT: 'DESC' }, page: 3, pageSize: 7 }));
    const page = queries.find((q) => /order by/i.test(q.sql) && /from [`"]?infoblocks_elements/i.test(q.sql))!;
    assert.match(page.sql, /^select [`"]e[`"]\.[`"]id[`"] from/i, page.sql);
    const all = await f.api.elements.list(admin, iblockId, { filter: { '>=SORT': 100 }, order: { SORT: 'DESC' }, page: 1, pageSize: 500, select: ['ID'] });
    const third = await f.api.elements.list(admin, iblockId, { filter: { '>=SORT': 100 }, order: { SORT: 'DESC' }, page: 3, pageSize: 7 });
    assert.deepEqual(third.items.map((e) => e.id), all.items.slice(14, 21).map((e) => e.id));
    assert.equal(third.total, all.total);
  });
});
