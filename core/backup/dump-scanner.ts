import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** What a mariadb-dump file holds: rows per table, and the rows of the tables asked for. */
export interface DumpContents {
  tables: Record<string, number>;
  rows: Map<string, Record<string, string | null>[]>;
}

const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/**
 * Reads a dump written with --complete-insert: every table's CREATE TABLE (a table with no
 * rows counts 0) and its INSERT statements, one per line, counted tuple by tuple.
 */
export async function scanDump(file: string, keepRows: string[] = []): Promise<DumpContents> {
  const tables: Record<string, number> = Object.create(null) as Record<string, number>;
  const rows = new Map<string, Record<string, string | null>[]>(keepRows.map((t) => [t, []]));
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  // An INSERT may go on over several lines (mariadb-dump puts each row on its own); strings never hold a raw line break.
  let open: { table: string; keep?: Record<string, string | null>[]; columns: string[] } | null = null;
  for await (const line of lines) {
    if (open) {
      const r = scanTuples(line, 0, open.keep ? tupleSink(open.keep, open.columns) : undefined);
      tables[open.table] = (tables[open.table] ?? 0) + r.count;
      if (r.ended) open = null;
      continue;
    }
    const created = /^CREATE TABLE `((?:[^`]|``)+)`/.exec(line);
    if (created) {
      tables[created[1]!.replace(/``/g, '`')] ??= 0;
      continue;
    }
    if (!line.startsWith('INSERT INTO `')) continue;
    const head = /^INSERT INTO `((?:[^`]|``)+)` \(([^)]*)\) VALUES ?/.exec(line);
    if (!head) continue;
    const table = head[1]!.replace(/``/g, '`');
    const keep = rows.get(table);
    const columns = keep ? head[2]!.split(',').map((c) => c.trim().replace(/^`|`$/g, '')) : [];
    const r = scanTuples(line, head[0].length, keep ? tupleSink(keep, columns) : undefined);
    tables[table] = (tables[table] ?? 0) + r.count;
    if (!r.ended) open = { table, columns, ...(keep ? { keep } : {}) };
  }
  return { tables, rows };
}

function tupleSink(keep: Record<string, string | null>[], columns: string[]): (values: (string | null)[]) => void {
  return (values) => keep.push(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])));
}

/** Counts the `(...)` tuples from `start` up to the `;` that ends the statement; with `onTuple`, also decodes their values. */
export function scanTuples(s: string, start: number, onTuple?: (values: (string | null)[]) => void): { count: number; ended: boolean } {
  let count = 0;
  let i = start;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 40 /* ( */) {
      const values: (string | null)[] = [];
      i++;
      for (;;) {
        let value: string | null;
        if (s.charCodeAt(i) === 39 /* ' */) {
          let out = '';
          let from = ++i;
          for (;;) {
            const q = s.charCodeAt(i);
            if (q === 92 /* \ */) {
              if (onTuple) out += s.slice(from, i) + (ESCAPES[s[i + 1]!] ?? s[i + 1]!);
              i += 2;
              from = i;
            } else if (q === 39) {
              if (s.charCodeAt(i + 1) === 39) {
                if (onTuple) out += s.slice(from, i + 1);
                i += 2;
                from = i;
              } else break;
            } else if (i >= n) throw new Error('unterminated string in dump');
            else i++;
          }
          value = onTuple ? out + s.slice(from, i) : '';
          i++;
        } else {
          const from = i;
          while (i < n && s[i] !== ',' && s[i] !== ')') i++;
          const raw = s.slice(from, i);
          value = raw === 'NULL' ? null : raw;
        }
        values.push(value);
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ')') {
          i++;
          break;
        }
        throw new Error('malformed tuple in dump');
      }
      count++;
      onTuple?.(values);
    } else if (c === 59 /* ; */) return { count, ended: true };
    else i++;
  }
  return { count, ended: false };
}
