/**
 * The benchmark's infoblock: a catalogue with 10 properties (8 single, 2 multiple), a
 * three-level section tree, and elements generated with a seeded PRNG so every run
 * produces the same data. Value distributions are skewed like real catalogues: a few
 * brands, keywords and sections are much bigger than the rest.
 */
import type { Kernel } from '../core/kernel.js';
import type { Principal } from '../core/services.js';
import type { InfoblocksApi } from '../modules/infoblocks/api.js';
import type { ElementInput } from '../modules/infoblocks/types.js';
import { rng } from '../test/infoblocks/fixture.js';

export const BRANDS = 5000;
export const KEYWORDS = 2000;
const COLORS = ['black', 'white', 'grey', 'silver', 'red', 'blue', 'green', 'yellow', 'brown', 'beige', 'pink', 'orange'];
const FEATURES = 30;
const USERS = 20;
const WORDS = (
  'lamp desk chair table shelf cable light steel oak glass modern classic compact large small quiet fast smart ' +
  'wireless portable outdoor indoor kitchen office garden travel premium basic eco solid soft bright dark warm cold'
).split(' ');

export interface Catalog {
  iblockId: number;
  /** Section ids by depth: level1 are roots, leaves hold the elements. */
  sections: { level1: number[]; level2: number[]; leaves: number[] };
  colorIds: number[];
  featureIds: number[];
  userIds: number[];
}

/** Index in [0, n) that favours small values: power 1 is uniform, larger powers skew more. */
const skewed = (r: () => number, n: number, power: number) => Math.min(n - 1, Math.floor(n * r() ** power));

export const brandValue = (k: number) => `brand-${k}`;
export const keywordValue = (k: number) => `kw-${k}`;
export const elementCode = (i: number) => `item-${i}`;

/** Creates the infoblock, its properties, users for the user property and the section tree (fanout³ leaves). */
export async function createCatalog(kernel: Kernel, api: InfoblocksApi, admin: Principal, typeId: number, fanout: number): Promise<Catalog> {
  const ib = await api.iblocks.add(admin, {
    typeId,
    code: 'bench_catalog',
    name: 'Benchmark catalogue',
    listUrl: '#SITE_DIR#catalog/',
    detailUrl: '#SITE_DIR#catalog/#SECTION_CODE_PATH#/#ELEMENT_CODE#/',
    rights: { [(await kernel.groups.byCode('everyone')).id]: 'R' }, // the bench reads as a visitor
  });
  const iblockId = ib.id;
  const prop = (code: string, type: Parameters<InfoblocksApi['properties']['add']>[2]['type'], extra: object = {}) =>
    api.properties.add(admin, iblockId, { code, name: code.toLowerCase(), type, ...extra });
  await prop('BRAND', 'string', { filterable: true });
  await prop('PRICE', 'number', { filterable: true });
  const color = await prop('COLOR', 'list', { filterable: true, enums: COLORS.map((value) => ({ value, xmlId: value })) });
  await prop('RELEASED', 'date');
  await prop('PUBLISHED_AT', 'datetime');
  await prop('RELATED', 'element', { linkIblockId: iblockId });
  await prop('MANAGER', 'user');
  await prop('DESCRIPTION', 'html');
  await prop('KEYWORDS', 'string', { multiple: true, filterable: true });
  const features = await prop('FEATURES', 'list', { multiple: true, filterable: true, enums: Array.from({ length: FEATURES }, (_, i) => ({ value: `Feature ${i}`, xmlId: `f${i}` })) });

  const userIds: number[] = [];
  for (let i = 0; i < USERS; i++) userIds.push((await kernel.users.create({ login: `bench-manager-${i}`, email: `manager${i}@example.com`, name: `Manager ${i}` })).id);

  const sections: Catalog['sections'] = { level1: [], level2: [], leaves: [] };
  for (let a = 0; a < fanout; a++) {
    const s1 = await api.sections.add(admin, iblockId, { name: `Department ${a}`, code: `d${a}` });
    sections.level1.push(s1.id);
    for (let b = 0; b < fanout; b++) {
      const s2 = await api.sections.add(admin, iblockId, { name: `Category ${a}.${b}`, code: `c${b}`, parentId: s1.id });
      sections.level2.push(s2.id);
      for (let c = 0; c < fanout; c++) sections.leaves.push((await api.sections.add(admin, iblockId, { name: `Group ${a}.${b}.${c}`, code: `g${c}`, parentId: s2.id })).id);
    }
  }
  return { iblockId, sections, colorIds: color.enums.map((e) => e.id), featureIds: features.enums.map((e) => e.id), userIds };
}

/** Elements 0..n-1 in order; the same seed gives the same elements. */
export class ElementGenerator {
  private readonly r: () => number;
  private readonly pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.r() * xs.length)]!;

  constructor(private readonly catalog: Catalog, seed = 20261202) {
    this.r = rng(seed);
  }

  private words(n: number): string {
    return Array.from({ length: n }, () => this.pick(WORDS)).join(' ');
  }

  private distinct<T>(max: number, draw: () => T): T[] {
    return [...new Set(Array.from({ length: Math.floor(this.r() * (max + 1)) }, draw))];
  }

  /** Element number i; `relatedIds` are ids already stored (targets of the element link). */
  next(i: number, relatedIds: ArrayLike<number>): ElementInput {
    const r = this.r;
    const c = this.catalog;
    const leaves = c.sections.leaves;
    const sectionIds = [...new Set([leaves[skewed(r, leaves.length, 1.3)]!, ...(r() < 0.3 ? [this.pick(leaves)] : [])])];
    const day = new Date(Date.UTC(2005, 0, 1) + Math.floor(r() * 7700) * 86_400_000).toISOString().slice(0, 10);
    return {
      name: `${this.pick(WORDS)} ${this.pick(WORDS)} ${i}`,
      code: elementCode(i),
      xmlId: `bench-${i}`,
      active: r() < 0.9,
      activeFrom: r() < 0.1 ? Date.UTC(2024, 0, 1) + Math.floor(r() * 800) * 86_400_000 : null,
      sort: 10 * Math.floor(r() * 100),
      previewText: this.words(12),
      detailText: this.words(60),
      sectionIds,
      properties: {
        BRAND: r() < 0.97 ? brandValue(skewed(r, BRANDS, 1.5)) : null,
        PRICE: Math.round(Math.exp(Math.log(5) + r() * Math.log(10_000)) * 100) / 100,
        COLOR: r() < 0.8 ? c.colorIds[skewed(r, c.colorIds.length, 2)]! : null,
        RELEASED: day,
        PUBLISHED_AT: Date.UTC(2020, 0, 1) + Math.floor(r() * 6 * 365 * 86_400_000),
        RELATED: relatedIds.length && r() < 0.15 ? relatedIds[Math.floor(r() * relatedIds.length)]! : null,
        MANAGER: r() < 0.6 ? this.pick(c.userIds) : null,
        DESCRIPTION: r() < 0.3 ? `<p>${this.words(15)}</p><ul><li>${this.words(4)}</li><li>${this.words(4)}</li></ul>` : null,
        KEYWORDS: this.distinct(4, () => keywordValue(skewed(r, KEYWORDS, 1.5))),
        FEATURES: this.distinct(3, () => c.featureIds[skewed(r, c.featureIds.length, 1.5)]!),
      },
    };
  }
}

/** Query inputs drawn with their own PRNG: which brands, keywords, sections and codes the bench asks for. */
export class QueryDraws {
  private readonly r: () => number;

  constructor(private readonly catalog: Catalog, private readonly elements: number, seed = 77) {
    this.r = rng(seed);
  }

  private many<T>(n: number, draw: () => T): T[] {
    return Array.from({ length: n }, draw);
  }

  /** Every brand equally likely (its size varies from tens to a few thousand elements at 1M). */
  brands(n: number): string[] {
    return this.many(n, () => brandValue(Math.floor(this.r() * BRANDS)));
  }

  keywords(n: number): string[] {
    return this.many(n, () => keywordValue(Math.floor(this.r() * KEYWORDS)));
  }

  sections(n: number, level: 'level1' | 'level2'): number[] {
    const ids = this.catalog.sections[level];
    return this.many(n, () => ids[Math.floor(this.r() * ids.length)]!);
  }

  codes(n: number): string[] {
    return this.many(n, () => elementCode(Math.floor(this.r() * this.elements)));
  }

  elementIds(n: number, ids: ArrayLike<number>): number[] {
    return this.many(n, () => ids[Math.floor(this.r() * ids.length)]!);
  }
}
