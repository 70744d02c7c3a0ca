import { TableDigest, type ColumnType } from '../lib/row-digest.js';
import type { MariadbTarget } from './mariadb-target.js';
import type { SqliteSource } from './sqlite-source.js';

const BATCH_ROWS = 500;
const BATCH_BYTES = 2 * 1024 * 1024;

/**
 * Replaces the target table's rows with the source's, chunk by chunk (rowid order, at most
 * 500 rows or about 2 MB per INSERT), and returns the digest of exactly the rows it copied.
 */
export async function copyTable(source: SqliteSource, target: MariadbTarget, table: string, columns: readonly ColumnType[], onRows: (n: number) => void): Promise<string> {
  await target.truncate(table);
  const digest = new TableDigest(columns);
  let batch: Record<string, unknown>[] = [];
  let bytes = 0;
  const flush = async () => {
    await target.insert(table, columns, batch);
    onRows(batch.length);
    batch = [];
    bytes = 0;
  };
  for (const rows of source.chunks(table)) {
    for (const row of rows) {
      digest.add(row);
      batch.push(row);
      bytes += rowBytes(row);
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
    }
  }
  if (batch.length > 0) await flush();
  return digest.value;
}

function rowBytes(row: Record<string, unknown>): number {
  let n = 0;
  for (const v of Object.values(row)) n += typeof v === 'string' ? v.length * 3 : Buffer.isBuffer(v) ? v.length * 2 : 8;
  return n;
}
