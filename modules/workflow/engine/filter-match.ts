import { wfErrors } from '../errors.js';

/**
 * The infoblocks filter grammar evaluated on a document's fields in memory, for documents that have no query engine
 * of their own: `=` (default; a list means "in"), `!`, `>`, `>=`, `<`, `<=`, `%` contains, `><` between, `@` in, the
 * negations `!=`, `!%`, `!@`, `!><`, numeric keys as nested groups and `LOGIC: 'AND' | 'OR'`.
 */
const OPS = ['!><', '><', '>=', '<=', '!=', '!%', '!@', '>', '<', '%', '@', '!', '='] as const;

export function matchFilter(fields: Record<string, unknown>, filter: Record<string, unknown>): boolean {
  const logic = Object.hasOwn(filter, 'LOGIC') ? String(filter.LOGIC).toUpperCase() : 'AND';
  if (logic !== 'AND' && logic !== 'OR') throw wfErrors.WORKFLOW_TEMPLATE_INVALID(`condition: LOGIC must be AND or OR, not "${logic}"`);
  const results: boolean[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'LOGIC') continue;
    if (/^\d+$/.test(key)) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw wfErrors.WORKFLOW_TEMPLATE_INVALID(`condition: group ${key} must be an object`);
      results.push(matchFilter(fields, value as Record<string, unknown>));
      continue;
    }
    const op = OPS.find((o) => key.startsWith(o) && /^[A-Za-z_]/.test(key.slice(o.length))) ?? '';
    const name = key.slice(op.length);
    const actual = Object.hasOwn(fields, name) ? fields[name] : undefined;
    results.push(test(op, actual, value));
  }
  return logic === 'AND' ? results.every(Boolean) : results.some(Boolean);
}

function test(op: string, actual: unknown, expected: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  const negated = op.startsWith('!');
  const base = negated ? op.slice(1) || '=' : op || '=';
  const some = values.some((v) => compare(base, v, expected));
  return negated ? !some : some;
}

function compare(op: string, v: unknown, expected: unknown): boolean {
  const empty = v === null || v === undefined || v === '';
  switch (op) {
    case '=':
      if (expected === null) return empty;
      if (Array.isArray(expected)) return expected.some((e) => same(v, e));
      return same(v, expected);
    case '@':
      return Array.isArray(expected) && expected.some((e) => same(v, e));
    case '%':
      return !empty && String(v).toLowerCase().includes(String(expected).toLowerCase());
    case '><':
      return Array.isArray(expected) && expected.length === 2 && !empty && order(v, expected[0]) >= 0 && order(v, expected[1]) <= 0;
    case '>': return !empty && order(v, expected) > 0;
    case '>=': return !empty && order(v, expected) >= 0;
    case '<': return !empty && order(v, expected) < 0;
    case '<=': return !empty && order(v, expected) <= 0;
    default: return false;
  }
}

const norm = (v: unknown): unknown => (v === true ? 'Y' : v === false ? 'N' : v instanceof Date ? v.getTime() : v);

function same(a: unknown, b: unknown): boolean {
  const x = norm(a);
  const y = norm(b);
  if (typeof x === 'number' || typeof y === 'number') return Number(x) === Number(y);
  return String(x ?? '') === String(y ?? '');
}

function order(a: unknown, b: unknown): number {
  const x = norm(a);
  const y = norm(b);
  const nx = Number(x);
  const ny = Number(y);
  if (!Number.isNaN(nx) && !Number.isNaN(ny) && x !== '' && y !== '') return nx - ny;
  return String(x).localeCompare(String(y));
}
