import { existsSync } from 'node:fs';
import type { PortalConfig } from '../../../../core/config/types.js';
import { parseDbUrl, redact, type DbUrl } from '../../../../core/db/db-url.js';
import { gateFile, readGateMarker, removeGateMarker, writeGateMarker } from '../../../../core/db/write-gate.js';
import { PortalError } from '../../../../core/errors/portal-error.js';
import type { ModuleDefinition } from '../../../../core/modules/types.js';
import { writeSettings } from '../../../../installer/settings.js';
import type { ColumnType } from '../lib/row-digest.js';
import { copyTable } from './copy-table.js';
import { moveErrors } from './errors.js';
import { MariadbTarget } from './mariadb-target.js';
import { SqliteSource } from './sqlite-source.js';
import { createTargetSchema } from './target-schema.js';

export interface MoveUi {
  step(message: string): void;
  copyStart(totalRows: number): void;
  copied(rows: number, table: string): void;
  copyDone(): void;
}

export interface MoveOptions {
  config: PortalConfig;
  /** mysql://user:pass@host:port/db */
  to: string;
  ui?: MoveUi;
  definitions?: ModuleDefinition[];
  /** Online passes over the tables that changed during the copy before the read-only window (default 3). */
  catchUpPasses?: number;
  /** How long after the read-only marker appears the mover takes SQLite's write lock (default 600 ms: writers see it within 200). */
  settleMs?: number;
}

export interface MoveResult {
  from: string;
  to: string;
  tables: number;
  rows: number;
  /** Tables copied again online because they changed during the copy, per pass. */
  catchUp: number[];
  /** Tables copied again inside the read-only window. */
  finalPass: string[];
  readOnlyMs: number;
  settingsFile: string;
}

const silent: MoveUi = { step: () => undefined, copyStart: () => undefined, copied: () => undefined, copyDone: () => undefined };

/**
 * Moves a portal from its SQLite file to an empty MariaDB database while it serves:
 * schema by the modules' migrations, a chunked copy, online passes over the tables that changed,
 * then a short read-only window (var/db-move.json; the kernel's write gate holds writes) with the
 * last pass and the verify under SQLite's write lock; only when every table's count and checksum
 * match does var/settings.json name the new server. The SQLite file is never written.
 */
export async function movePortal(opts: MoveOptions): Promise<MoveResult> {
  const ui = opts.ui ?? silent;
  const { config } = opts;
  const src = parseDbUrl(config.db.url);
  if (src.client !== 'sqlite' || src.filename === ':memory:') throw moveErrors.SOURCE_NOT_SQLITE(`the portal runs on ${redact(config.db.url)}, not on its SQLite file; \`portal db move\` moves a portal off SQLite (for one module use \`portal cluster shard move\`)`);
  if (!existsSync(src.filename)) throw moveErrors.SOURCE_NOT_SQLITE(`the SQLite file ${src.filename} does not exist; is the portal installed here?`);
  const dst = parseTarget(opts.to);
  const marker = gateFile(config.paths.var);
  const pending = readGateMarker(marker);
  if (pending) {
    throw moveErrors.MOVE_IN_PROGRESS(pending.state === 'moved'
      ? `this portal already moved to ${pending.to}; restart it, or delete ${marker} to run on SQLite again`
      : `a move is under way (${marker}, since ${new Date(pending.since).toISOString()}); if no mover runs any more, delete that file`);
  }

  const source = new SqliteSource(src.filename);
  let target: MariadbTarget | null = null;
  let gated = false;
  try {
    const moving = modulesOnSource(source, config);
    target = await MariadbTarget.open(dst);
    const t = target;
    try {
      ui.step(`Creating the schema on ${redact(dst.raw)} with the migrations of ${[...moving].join(', ')}`);
      await createTargetSchema(config, dst.raw, moving, source, opts.definitions);
      const tables = await matchSchemas(source, t);
      // Rows a migration seeded on the target go: the data is the source's, table for table.
      for (const extra of (await t.tables()).filter((n) => !tables.some((x) => x.table === n))) await t.truncate(extra);
      const total = tables.reduce((n, x) => n + source.count(x.table), 0);

      ui.step(`Copying ${tables.length} tables, ${total} rows`);
      const copied = new Map<string, string>();
      const copy = async (table: string, columns: readonly ColumnType[]) => copied.set(table, await copyTable(source, t, table, columns, (n) => ui.copied(n, table)));
      ui.copyStart(total);
      for (const x of tables) await copy(x.table, x.columns);
      ui.copyDone();

      const catchUp: number[] = [];
      for (let pass = 0; pass < (opts.catchUpPasses ?? 3); pass++) {
        const changed = tables.filter((x) => source.digest(x.table, x.columns) !== copied.get(x.table));
        if (changed.length === 0) break;
        catchUp.push(changed.length);
        ui.step(`Copying again ${changed.length} tables that changed meanwhile: ${changed.map((x) => x.table).join(', ')}`);
        for (const x of changed) await copy(x.table, x.columns);
      }

      ui.step('Verifying row counts and checksums of every table on the target');
      for (const x of tables) {
        const there = await t.digest(x.table, x.columns);
        if (there !== copied.get(x.table)) throw moveErrors.VERIFY_FAILED(`table ${x.table}: the target holds ${there}, the copy sent ${copied.get(x.table)} (rows:checksum); nothing switched`);
      }

      ui.step('Read-only: the final pass over the tables changed since');
      writeGateMarker(marker, { state: 'read-only', db: src.filename, to: redact(dst.raw), since: Date.now() });
      gated = true;
      const started = Date.now();
      await new Promise((r) => setTimeout(r, opts.settleMs ?? 600));
      source.freeze();
      const added = source.tables().filter((n) => !tables.some((x) => x.table === n));
      if (added.length > 0) throw moveErrors.SCHEMA_MISMATCH(`tables ${added.join(', ')} appeared during the move (a new infoblock?); nothing switched, run the move again`);
      const finalPass: string[] = [];
      for (const x of tables) {
        const here = source.digest(x.table, x.columns);
        if (here === copied.get(x.table)) continue;
        finalPass.push(x.table);
        await copy(x.table, x.columns);
        const there = await t.digest(x.table, x.columns);
        if (there !== here) throw moveErrors.VERIFY_FAILED(`table ${x.table}: the source holds ${here}, the target ${there} (rows:checksum) after the final pass; nothing switched`);
      }
      const settingsFile = writeSettings(config.paths.var, { db: { url: dst.raw } });
      writeGateMarker(marker, { state: 'moved', db: src.filename, to: redact(dst.raw), since: Date.now() });
      gated = false;
      source.release();
      const readOnlyMs = Date.now() - started;
      ui.step(`Switched: ${settingsFile} names ${redact(dst.raw)}; read-only for ${readOnlyMs} ms; ${src.filename} is kept as it was`);
      return { from: src.filename, to: redact(dst.raw), tables: tables.length, rows: total, catchUp, finalPass, readOnlyMs, settingsFile };
    } catch (err) {
      source.release();
      if (gated) removeGateMarker(marker);
      await t.dropAll().catch(() => undefined);
      throw err;
    }
  } finally {
    source.close();
    await target?.close();
  }
}

function parseTarget(raw: string): Extract<DbUrl, { client: 'mysql' }> {
  let url: DbUrl;
  try {
    url = parseDbUrl(raw);
  } catch (err) {
    throw moveErrors.TARGET_INVALID(err instanceof PortalError ? err.message : String(err));
  }
  if (url.client !== 'mysql') throw moveErrors.TARGET_INVALID(`--to must be a MariaDB URL (mysql://user:pass@host:port/db), got "${redact(raw)}"`);
  return url;
}

/** Installed modules whose tables are in the SQLite file (not routed elsewhere by db.modules). */
function modulesOnSource(source: SqliteSource, config: PortalConfig): Set<string> {
  const ids = source.installedModules();
  if (!ids.includes('main')) throw moveErrors.SOURCE_NOT_SQLITE(`${source.filename} holds no installed portal; run \`portal install\` first`);
  return new Set(ids.filter((id) => !Object.hasOwn(config.db.modules, id)));
}

/** Every source table must exist on the target with the same columns: the migrations made the same tables. */
async function matchSchemas(source: SqliteSource, target: MariadbTarget): Promise<{ table: string; columns: ColumnType[] }[]> {
  const there = new Set(await target.tables());
  const out: { table: string; columns: ColumnType[] }[] = [];
  for (const table of source.tables()) {
    if (!there.has(table)) throw moveErrors.SCHEMA_MISMATCH(`table ${table} is in the SQLite file but no migration of an installed module creates it; nothing was moved`);
    const columns = await target.columns(table);
    const names = new Set(columns.map((c) => c.name));
    const missing = source.columns(table).filter((c) => !names.has(c));
    if (missing.length > 0) throw moveErrors.SCHEMA_MISMATCH(`table ${table}: columns ${missing.join(', ')} exist only in the SQLite file; nothing was moved`);
    out.push({ table, columns });
  }
  return out;
}
