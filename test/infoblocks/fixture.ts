import mainModule from '../../modules/main/module.js';
import infoblocksModule from '../../modules/infoblocks/module.js';
import type { InfoblocksApi } from '../../modules/infoblocks/api.js';
import type { Principal } from '../../core/services.js';
import type { DbKind } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

export const admin: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface IbFixture {
  t: TestKernel;
  api: InfoblocksApi;
  typeId: number;
}

/** A kernel with main and infoblocks installed and one infoblock type "content". */
export async function bootInfoblocks(kind: DbKind): Promise<IbFixture> {
  const t = await bootTestKernel(kind, { definitions: [mainModule, infoblocksModule] });
  await t.kernel.modules.install('infoblocks');
  const api = t.kernel.api('infoblocks');
  const type = await api.iblocks.addType(admin, { code: 'content', names: { en: 'Content', ru: 'Контент' } });
  return { t, api, typeId: type.id };
}

/** Deterministic PRNG (mulberry32) so generated data and filters repeat across runs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
