import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineErrors } from '../errors/portal-error.js';
import { lazyRequire } from '../lazy.js';

/** The marker `portal db move` leaves in the var dir while it moves the portal off SQLite. */
export const WRITE_GATE_FILE = 'db-move.json';

export interface WriteGateMarker {
  /** read-only: writes wait (the final pass runs); moved: the data now lives on `to`, writes here are refused. */
  state: 'read-only' | 'moved';
  /** The SQLite file the marker is about (absolute). */
  db: string;
  /** Where the portal moved to, password hidden. */
  to: string;
  since: number;
}

export const writeGateErrors = defineErrors({
  DB_READ_ONLY: { status: 503, message: (m) => m || 'the portal is read-only for a moment while its database moves; try again' },
  DB_MOVED: { status: 503, message: (m) => m },
});

export function gateFile(varDir: string): string {
  return path.join(varDir, WRITE_GATE_FILE);
}

export function writeGateMarker(file: string, marker: WriteGateMarker): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(marker));
  // rename is atomic: a reader sees the old marker or the new one, never half of one.
  renameSync(`${file}.tmp`, file);
}

export function removeGateMarker(file: string): void {
  rmSync(file, { force: true });
}

export function readGateMarker(file: string): WriteGateMarker | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WriteGateMarker;
  } catch {
    return null;
  }
}

/** Statements that only read; everything else (BEGIN included) is a write for the gate. */
const READ = /^\s*(select|with|explain|pragma\s+[a-z_]+\s*(\(|;|$))/i;
const RECHECK_MS = 200;
const POLL_MS = 100;

/**
 * Holds the writes to one SQLite file while `portal db move` has it read-only: a write (or a
 * BEGIN) outside a running transaction waits, asynchronously, for up to `maxWaitMs`; once the
 * move is done, writes are refused with DB_MOVED until the process restarts on the new server.
 * Reads pass always. A transaction begun before the window finishes; the mover's BEGIN IMMEDIATE
 * waits for it.
 */
export class WriteGate {
  private checkedAt = 0;
  private mtime = -1;
  private marker: WriteGateMarker | null = null;

  constructor(
    private readonly file: string,
    private readonly dbFile: string,
    private readonly maxWaitMs = 30_000,
  ) {}

  private current(force = false): WriteGateMarker | null {
    const now = Date.now();
    if (!force && now - this.checkedAt < RECHECK_MS) return this.marker;
    this.checkedAt = now;
    let mtime = 0;
    try {
      mtime = statSync(this.file).mtimeMs;
    } catch {
      this.marker = null;
      this.mtime = -1;
      return null;
    }
    if (mtime !== this.mtime) {
      this.mtime = mtime;
      const m = readGateMarker(this.file);
      this.marker = m && path.resolve(m.db) === path.resolve(this.dbFile) ? m : null;
    }
    return this.marker;
  }

  async admit(conn: { inTransaction?: boolean }, sql: string): Promise<void> {
    if (conn.inTransaction || READ.test(sql)) return;
    let m = this.current();
    const deadline = Date.now() + this.maxWaitMs;
    while (m?.state === 'read-only') {
      if (Date.now() > deadline) throw writeGateErrors.DB_READ_ONLY();
      await new Promise((r) => setTimeout(r, POLL_MS));
      m = this.current(true);
    }
    if (m?.state === 'moved') {
      throw writeGateErrors.DB_MOVED(`the portal's database moved to ${m.to}; restart the portal (\`portal reload\` or \`portal start\`) to use it`);
    }
  }
}

type KnexClientClass = new (config: object) => object;
const loadBetterSqlite = lazyRequire<KnexClientClass>('knex/lib/dialects/better-sqlite3/index.js');
let gatedClass: KnexClientClass | undefined;

/**
 * knex's better-sqlite3 client with every statement passed through the `writeGate` of its config.
 * A subclass, not a patched instance: knex builds transaction clients from the class's prototype.
 */
export function gatedSqliteClient(): KnexClientClass {
  if (gatedClass) return gatedClass;
  const Base = loadBetterSqlite() as unknown as new (config: object) => { config: { writeGate?: WriteGate }; _query(conn: unknown, obj: { sql: string }): Promise<unknown> };
  class GatedBetterSqlite extends Base {
    override async _query(conn: { inTransaction?: boolean }, obj: { sql: string }): Promise<unknown> {
      await this.config.writeGate?.admit(conn, String(obj.sql ?? ''));
      return super._query(conn, obj);
    }
  }
  gatedClass = GatedBetterSqlite as unknown as KnexClientClass;
  return gatedClass;
}
