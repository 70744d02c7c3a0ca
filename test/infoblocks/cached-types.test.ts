import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { admin, bootInfoblocks, type IbFixture } from './fixture.js';

/** The cache keeps Dates, so what the API returns does not depend on whether it was cached. */
describeEachDb('infoblocks: cached reads give the same types as fresh ones', (kind) => {
  let f: IbFixture;
  let iblockId: number;
  let elementId: number;
  before(async () => {
    f = await bootInfoblocks(kind);
    iblockId = (await f.api.iblocks.add(admin, { typeId: f.typeId, code: 'dated', name: 'Dated' })).id;
    const from = new Date('2026-03-01T08:00:00Z');
    elementId = (await f.api.elements.add(admin, iblockId, { name: 'Dated', code: 'dated', activeFrom: from })).id;
  });
  after(async () => f.t.close());

  /** Runs a read twice (build, then hit) and returns both results. */
  const twice = async <T>(read: () => Promise<T>): Promise<[T, T]> => [await read(), await read()];

  it('elements by id, by code and in lists keep their Dates on a cache hit', async () => {
    for (const [built, hit] of [
      await twice(() => f.api.elements.get(admin, elementId)),
      await twice(() => f.api.elements.getByCode(admin, iblockId, 'dated')),
      await twice(async () => (await f.api.elements.list(admin, iblockId, {})).items[0]!),
    ]) {
      for (const e of [built, hit]) {
        assert.ok(e.createdAt instanceof Date && e.modifiedAt instanceof Date && e.activeFrom instanceof Date, 'Dates');
        assert.equal(e.activeTo, null);
      }
      assert.deepEqual(hit, built);
    }
  });

  it('infoblocks keep their Dates on a cache hit', async () => {
    const [built, hit] = await twice(() => f.api.iblocks.get(admin, iblockId));
    assert.ok(built.createdAt instanceof Date && hit.createdAt instanceof Date);
    assert.deepEqual(hit, built);
  });
});
