import { createHash } from 'node:crypto';

/** A MariaDB column as information_schema describes it: what its values normalise to. */
export interface ColumnType {
  name: string;
  /** DATA_TYPE: int, bigint, varchar, longtext, decimal, double, datetime, blob, … */
  type: string;
  scale: number | null;
}

const INTEGER = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'bit', 'year']);
const BINARY = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const DATETIME = new Set(['datetime', 'timestamp']);

/** An epoch-ms number (how SQLite keeps a knex Date binding) as the DATETIME text MariaDB returns. */
export function datetimeText(v: number): string {
  return new Date(v).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * One value in a form both engines produce for the same stored data: integers and decimals as
 * canonical digits, floating point to its type's precision, binaries as hex, datetimes to the
 * second, text as is. NULL stays distinct from every string.
 */
export function normalise(v: unknown, col: ColumnType): string | null {
  if (v === null || v === undefined) return null;
  const t = col.type;
  if (INTEGER.has(t)) {
    if (typeof v === 'boolean') return v ? '1' : '0';
    if (Buffer.isBuffer(v)) return BigInt(`0x${v.toString('hex') || '0'}`).toString();
    return BigInt(typeof v === 'number' ? Math.trunc(v) : String(v).trim()).toString();
  }
  if (t === 'decimal') return Number(v).toFixed(col.scale ?? 0);
  if (t === 'float') return Number(Number(v).toPrecision(6)).toString();
  if (t === 'double' || t === 'real') return Number(Number(v).toPrecision(15)).toString();
  if (BINARY.has(t)) return (Buffer.isBuffer(v) ? v : Buffer.from(String(v))).toString('hex');
  if (DATETIME.has(t)) return typeof v === 'number' ? datetimeText(v) : String(v).slice(0, 19);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

const MOD = 1n << 64n;

/**
 * Row count plus the sum (mod 2^64) of a 64-bit hash of every normalised row. A sum, not an
 * ordered hash: each side may read in its own order (SQLite by rowid, MariaDB by its
 * collation), and unlike XOR a duplicated row changes it.
 */
export class TableDigest {
  rows = 0;
  private sum = 0n;

  constructor(private readonly columns: readonly ColumnType[]) {}

  add(row: Record<string, unknown>): void {
    const values = this.columns.map((c) => normalise(row[c.name], c));
    const h = createHash('sha1').update(JSON.stringify(values)).digest();
    this.sum = (this.sum + h.readBigUInt64BE(0)) % MOD;
    this.rows++;
  }

  /** "<rows>:<16 hex digits>": equal strings mean the same multiset of rows. */
  get value(): string {
    return `${this.rows}:${this.sum.toString(16).padStart(16, '0')}`;
  }
}
