import { gtidReached } from '../../core/db/read-your-writes.js';
import { clusterErrors } from './errors.js';
import type { Row, Server } from './mariadb.js';

const CHUNK_ROWS = 1000;
const TRIES = 20;

export interface ChecksumReport {
  tables: number;
  chunks: number;
  rows: number;
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * Compares every base table of `database` on the replica with the primary, chunk by chunk (about 1000 rows of
 * the primary key at a time): row count and the sum of CRC32 over every column. The primary keeps taking writes,
 * so a chunk is read on the primary between two equal GTID positions, the replica waits for that position
 * (MASTER_GTID_WAIT) and is read then; a chunk that changed meanwhile is read again. A difference at the same
 * position is a real one.
 */
export async function compareTables(primary: Server, replica: Server, database: string, progress?: (text: string) => void): Promise<ChecksumReport> {
  const tables = (await primary.rows("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [database])).map((r) => String(r.t));
  const report: ChecksumReport = { tables: tables.length, chunks: 0, rows: 0 };
  for (const table of tables) {
    const columns = (await primary.rows('SELECT COLUMN_NAME AS c, DATA_TYPE AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [database, table])) as Row[];
    const pk = (await primary.rows("SELECT k.COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE k WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND k.CONSTRAINT_NAME = 'PRIMARY' ORDER BY k.ORDINAL_POSITION", [database, table]))[0]?.c;
    const pkType = columns.find((c) => c.c === pk)?.d;
    const key = pk && /int$/i.test(String(pkType)) ? String(pk) : null;
    const names = columns.map((c) => q(String(c.c)));
    const crc = `COALESCE(SUM(CRC32(CONCAT_WS('#', ${names.join(', ')}, ${names.map((n) => `ISNULL(${n})`).join(', ')}))), 0)`;
    const from = `${q(database)}.${q(table)}`;
    let low: number | null = null;
    for (;;) {
      let high: number | null = null;
      if (key) {
        const row = await primary.one(`SELECT MAX(k) AS hi FROM (SELECT ${q(key)} AS k FROM ${from} ${low === null ? '' : `WHERE ${q(key)} > ?`} ORDER BY ${q(key)} LIMIT ${CHUNK_ROWS}) x`, low === null ? [] : [low]);
        if (row.hi === null || row.hi === undefined) break;
        high = Number(row.hi);
      }
      const where = key ? `WHERE ${q(key)} > ? AND ${q(key)} <= ?` : '';
      const params = key ? [low ?? Number.MIN_SAFE_INTEGER, high] : [];
      const sql = `SELECT COUNT(*) AS n, ${crc} AS crc FROM ${from} ${where}`;
      const rows = await sameChunk(primary, replica, sql, params, `${table}${key ? ` (${key} ${low ?? '…'}..${high})` : ''}`);
      report.chunks += 1;
      report.rows += rows;
      if (!key) break;
      low = high;
    }
    progress?.(`checksum ${table}: ok`);
  }
  return report;
}

async function sameChunk(primary: Server, replica: Server, sql: string, params: unknown[], what: string): Promise<number> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const before = await primary.variable('gtid_binlog_pos');
    const a = await primary.one(sql, params);
    const after = await primary.variable('gtid_binlog_pos');
    if (before !== after) {
      await new Promise((r) => setTimeout(r, 50 + attempt * 25));
      continue;
    }
    await replica.one('SELECT MASTER_GTID_WAIT(?, 10) AS w', [before]);
    const b = await replica.one(sql, params);
    if (String(a.n) === String(b.n) && String(a.crc) === String(b.crc)) return Number(a.n);
    const at = await replica.variable('gtid_slave_pos');
    // At exactly the primary's position the replica must hold the same rows; beyond it, the chunk may have moved on.
    if (gtidReached(before, at)) throw clusterErrors.CLUSTER_CHECKSUM_MISMATCH(`${what}: primary ${String(a.n)} rows / ${String(a.crc)}, replica ${String(b.n)} rows / ${String(b.crc)}`);
  }
  throw clusterErrors.CLUSTER_CHECKSUM_MISMATCH(`${what}: still changing after ${TRIES} tries; run the check again when writes calm down`);
}
