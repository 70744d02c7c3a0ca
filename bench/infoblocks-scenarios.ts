/**
 * What the infoblocks bench times, each through the module API as a visitor (group
 * "everyone", read right) would call it, with inputs drawn from the seeded distribution:
 * - floor: a primary-key lookup on the elements table through the same knex pool;
 * - (a) a page of 20 with a selective property filter, with its total (single and multiple property);
 * - (b) a section with its subsections, a page of 20 with its total (a root and a second-level section);
 * - (c) the detail page: one element by code.
 * Each API figure is taken twice: with the result cache cold (the infoblock's cache tag is
 * invalidated, untimed, before every call, so each call runs its queries) and cached.
 */
import type { Kernel } from '../core/kernel.js';
import type { Principal } from '../core/services.js';
import type { InfoblocksApi } from '../modules/infoblocks/api.js';
import { ibTags } from '../modules/infoblocks/tags.js';
import type { Catalog, QueryDraws } from './infoblocks-catalog.js';
import { explainCall, type PlannedQuery } from './infoblocks-explain.js';
import { timeEach, type Latency } from './lib.js';

export interface Scenario {
  id: string;
  label: string;
  aimMs?: number;
  /** False for the floor: it does not go through the result cache. */
  cacheable: boolean;
  /** Untimed calls first: the first `warmup` inputs. */
  warmup: number;
  inputs: unknown[];
  run(input: unknown): Promise<unknown>;
}

export interface ScenarioResult {
  id: string;
  label: string;
  aimMs?: number;
  cold: Latency;
  cached?: Latency;
  /** Totals the list calls reported, median and max (how selective the inputs are). */
  matched?: { median: number; max: number };
  plans: PlannedQuery[];
}

interface Env {
  kernel: Kernel;
  api: InfoblocksApi;
  reader: Principal;
  catalog: Catalog;
  draws: QueryDraws;
  ids: number[];
}

type Typed<T> = Omit<Scenario, 'inputs' | 'run' | 'warmup'> & { draw(n: number): T[]; run(x: T): Promise<unknown>; maxCalls?: number };

/**
 * Sections with subsections take up to a second each at 1M, and there are only 10 roots and 100 second-level
 * sections to draw from, so those rows make fewer calls (maxCalls) with a warm-up of a tenth.
 */
export function scenarios(env: Env, calls: { iterations: number; warmup: number }): Scenario[] {
  const scenario = <T>({ draw, maxCalls, ...s }: Typed<T>): Scenario => {
    const n = Math.min(calls.iterations, maxCalls ?? Infinity);
    const warmup = maxCalls === undefined ? calls.warmup : Math.min(calls.warmup, Math.ceil(n / 10));
    return { ...s, warmup, inputs: draw(n + warmup) } as Scenario;
  };
  const { api, reader, catalog, draws } = env;
  const ib = catalog.iblockId;
  const elements = env.kernel.db('infoblocks');
  const page = (filter: Record<string, unknown>) => api.elements.list(reader, ib, { filter, pageSize: 20 });
  return [
    scenario({ id: 'floor', label: 'floor: SELECT * FROM elements WHERE id = ?', cacheable: false, draw: (n) => draws.elementIds(n, env.ids), run: (id) => elements.read('elements').where({ id }).first() }),
    scenario({ id: 'a', label: '(a) page of 20 + total, ACTIVE and =BRAND (single property)', aimMs: 20, cacheable: true, draw: (n) => draws.brands(n), run: (b) => page({ ACTIVE: 'Y', '=PROPERTY_BRAND': b }) }),
    scenario({ id: 'a-multiple', label: '(a) page of 20 + total, ACTIVE and =KEYWORDS (multiple property)', aimMs: 20, cacheable: true, draw: (n) => draws.keywords(n), run: (k) => page({ ACTIVE: 'Y', '=PROPERTY_KEYWORDS': k }) }),
    scenario({ id: 'b-root', label: '(b) root section with subsections, page of 20 + total', cacheable: true, maxCalls: 100, draw: (n) => draws.sections(n, 'level1'), run: (s) => page({ ACTIVE: 'Y', SECTION_ID: s, INCLUDE_SUBSECTIONS: 'Y' }) }),
    scenario({ id: 'b-level2', label: '(b) 2nd-level section with subsections, page of 20 + total', cacheable: true, maxCalls: 300, draw: (n) => draws.sections(n, 'level2'), run: (s) => page({ ACTIVE: 'Y', SECTION_ID: s, INCLUDE_SUBSECTIONS: 'Y' }) }),
    scenario({ id: 'c', label: '(c) detail page: getByCode', aimMs: 3, cacheable: true, draw: (n) => draws.codes(n), run: (code) => api.elements.getByCode(reader, ib, code) }),
  ];
}

/** Times one scenario cold (and cached when it caches), after its untimed warm-up calls; explains its first input. */
export async function measure(env: Env, s: Scenario): Promise<ScenarioResult> {
  const warmup = s.warmup;
  const cold = () => env.kernel.cache.invalidateTags(ibTags.iblock(env.catalog.iblockId));
  const first = s.inputs[0];
  await s.run(first); // settings and rights caches warm, as in a running portal
  await cold();
  const plans = await explainCall(env.kernel.mainKnex, () => s.run(first));
  const totals: number[] = [];
  const runCounting = async (x: unknown) => {
    const res = (await s.run(x)) as { total?: unknown } | undefined;
    if (typeof res?.total === 'number') totals.push(res.total);
  };
  const coldLatency = await timeEach(s.inputs, runCounting, { warmup, before: s.cacheable ? cold : undefined });
  let cached: Latency | undefined;
  if (s.cacheable) {
    for (const x of s.inputs) await s.run(x); // fills the cache for every input
    cached = await timeEach(s.inputs, (x) => s.run(x), { warmup });
  }
  return { id: s.id, label: s.label, aimMs: s.aimMs, cold: coldLatency, cached, matched: totals.length ? medianAndMax(totals) : undefined, plans };
}

function medianAndMax(xs: number[]): { median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
}
