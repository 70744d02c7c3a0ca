/**
 * An independent in-memory evaluation of the filter grammar, written without the module's
 * compiler, used to check SQL results on generated data.
 */
export interface MemElement {
  ID: number;
  NAME: string;
  CODE: string;
  PREVIEW_TEXT: string;
  DETAIL_TEXT: string;
  /** Tags joined by commas, as stored. */
  TAGS: string;
  ACTIVE: number;
  ACTIVE_FROM: number | null;
  ACTIVE_TO: number | null;
  SORT: number;
  props: Record<string, unknown>;
  sections: number[];
}
export type Scalar = string | number | null;

export interface MemWorld {
  /** Section id -> ids of it and all descendants. */
  subtree: Map<number, number[]>;
  multiple: Set<string>;
  now: number;
}

const OPS = ['!><', '!%', '!@', '!=', '><', '>=', '<=', '!', '>', '<', '=', '%', '@'];

function field(el: MemElement, name: string): Scalar | Scalar[] {
  if (name.startsWith('PROPERTY_')) return el.props[name.slice(9)] as Scalar | Scalar[];
  return (el as unknown as Record<string, Scalar>)[name]!;
}

function norm(v: unknown): Scalar {
  if (v === true || v === 'Y') return 1;
  if (v === false || v === 'N') return 0;
  return v as Scalar;
}

function test(op: string, x: Scalar, v: unknown): boolean {
  switch (op) {
    case '=':
      // "No value": NULL, or the empty text of element fields that store none as '' (CODE, texts, TAGS).
      if (v === null) return x === null || x === '';
      return Array.isArray(v) ? v.map(norm).includes(x) : x === norm(v);
    case '@':
      return (v as unknown[]).map(norm).includes(x);
    case '>':
      return x !== null && (x as number) > (v as number);
    case '>=':
      return x !== null && (x as number) >= (v as number);
    case '<':
      return x !== null && (x as number) < (v as number);
    case '<=':
      return x !== null && (x as number) <= (v as number);
    case '%':
      return x !== null && String(x).toLowerCase().includes(String(v).toLowerCase());
    case '><': {
      const [a, b] = v as [number, number];
      return x !== null && (x as number) >= a && (x as number) <= b;
    }
  }
  throw new Error(`op ${op}`);
}

function condition(el: MemElement, key: string, v: unknown, world: MemWorld, includeSub: boolean): boolean {
  const op = OPS.find((o) => key.startsWith(o)) ?? '';
  const name = key.slice(op.length);
  const negated = op.startsWith('!');
  const base = op === '!' ? '=' : negated ? op.slice(1) : op || '=';
  let positive: boolean;
  if (name === 'SECTION_ID' && v === null) positive = el.sections.length === 0;
  else if (name === 'SECTION_ID') {
    const ids = (Array.isArray(v) ? v : [v]) as number[];
    const targets = includeSub ? ids.flatMap((id) => world.subtree.get(id) ?? []) : ids;
    positive = el.sections.some((s) => targets.includes(s));
  } else if (name === 'ACTIVE_DATE') {
    const now = world.now;
    const active = (el.ACTIVE_FROM === null || el.ACTIVE_FROM <= now) && (el.ACTIVE_TO === null || el.ACTIVE_TO >= now);
    positive = (v === 'Y' || v === true) ? active : !active;
  } else {
    const x = field(el, name);
    if (Array.isArray(x)) positive = v === null && base === '=' ? x.length === 0 : x.some((one) => test(base, one, v));
    else positive = test(base, x, v);
    if (Array.isArray(x) && v === null && base === '=') return negated ? !positive : positive;
  }
  return negated ? !positive : positive;
}

export function matches(el: MemElement, filter: Record<string, unknown>, world: MemWorld): boolean {
  const or = String(filter.LOGIC ?? 'AND').toUpperCase() === 'OR';
  const includeSub = filter.INCLUDE_SUBSECTIONS === true || filter.INCLUDE_SUBSECTIONS === 'Y';
  const results: boolean[] = [];
  for (const [key, v] of Object.entries(filter)) {
    if (key === 'LOGIC' || key === 'INCLUDE_SUBSECTIONS') continue;
    if (/^\d+$/.test(key)) results.push(matches(el, v as Record<string, unknown>, world));
    else results.push(condition(el, key, v, world, includeSub));
  }
  if (results.length === 0) return true;
  return or ? results.some(Boolean) : results.every(Boolean);
}

/** Order like SQL: NULLs first ascending, last descending; ID ascending breaks ties. */
export function compare(order: [string, 'ASC' | 'DESC'][]) {
  return (a: MemElement, b: MemElement): number => {
    for (const [f, dir] of order) {
      const x = field(a, f) as Scalar;
      const y = field(b, f) as Scalar;
      if (x === y) continue;
      let c: number;
      if (x === null) c = -1;
      else if (y === null) c = 1;
      else c = x < y ? -1 : 1;
      return dir === 'ASC' ? c : -c;
    }
    return a.ID - b.ID;
  };
}
