import type { Readable } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import type { Kernel } from '../../../core/kernel.js';
import { PortalError } from '../../../core/errors/portal-error.js';
import type { Principal } from '../../../core/services.js';
import type { InfoblocksApi } from '../api.js';
import type { MatchBy } from '../bulk/match.js';
import { ibErrors } from '../errors.js';
import type { ElementInput, Property } from '../types.js';
import { CSV_FIELDS, PROPERTY_PREFIX, type CsvField } from './csv-format.js';
import { ImportRefs, type ElementRef } from './csv-import-refs.js';
import { writeLinkPatches, type LinkPatch } from './link-patches.js';
import { CellError, COLUMN_OF_FIELD, refsOfRow, rowToInput, type Column, type CsvRow, type DeferredLinks } from './csv-row.js';

export interface CsvImportOptions {
  /** Code of the infoblock the elements go to. */
  iblock: string;
  /** Validate every row and count what would change, writing nothing. */
  dryRun?: boolean;
  /** Folder file cells are relative to. */
  filesDir?: string;
  /** Create the sections SECTIONS cells name that do not exist, along their code paths (named by their codes). */
  createSections?: boolean;
  /** Rows per importBatch call (default 500). */
  batchSize?: number;
  matchBy?: MatchBy;
  onProgress?: (p: { rows: number; bytes: number }) => void;
}
export interface CsvImportReport {
  dryRun: boolean;
  iblock: string;
  rows: number;
  created: number;
  updated: number;
  filesStored: number;
  /** Sections created (or, in a dry run, that would be). */
  sectionsCreated: number;
}

interface Run {
  api: InfoblocksApi;
  principal: Principal;
  iblockId: number;
  opts: CsvImportOptions;
  columns: Column[];
  refs: ImportRefs;
  report: CsvImportReport;
  /** Rows of committed batches (what an error leaves written). */
  written: number;
  deferred: { line: number; elementId: number; xmlId: string | null; code: string; links: DeferredLinks[] }[];
  /** xml_id/code keys of every row so far (dry runs check deferred links against them). */
  keys: Set<string> | null;
}

const keyText = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const where = (line: number, c?: Column | null) => (c ? `line ${line}, column ${c.index + 1} (${c.name})` : `line ${line}`);

/** A coded error naming the line and column; `written` rows of earlier batches stay (they are matched on re-import). */
function rowError(run: Run, line: number, column: Column | null | undefined, message: string, code = 'EXCHANGE_INVALID', status = 400): PortalError {
  const stopped = run.written && !run.report.dryRun ? ` (import stopped; the ${run.written} rows before it are imported, and importing the fixed file again updates them)` : '';
  return new PortalError(code, `${where(line, column)}: ${message}${stopped}`, { status, details: { line, column: column?.name ?? null, written: run.written } });
}

function readHeader(cells: string[], properties: Property[]): Column[] {
  const byCode = new Map(properties.map((p) => [p.code, p]));
  const seen = new Set<string>();
  return cells.map((raw, index) => {
    const name = raw.trim();
    const bad = (m: string) => ibErrors.EXCHANGE_INVALID(`line 1, column ${index + 1} (${name || 'empty'}): ${m}`);
    if (seen.has(name)) throw bad('the column appears twice');
    seen.add(name);
    if ((CSV_FIELDS as readonly string[]).includes(name)) return { index, name, field: name as CsvField };
    if (name.startsWith(PROPERTY_PREFIX) && byCode.has(name.slice(PROPERTY_PREFIX.length))) return { index, name, property: byCode.get(name.slice(PROPERTY_PREFIX.length))! };
    throw bad(name.startsWith(PROPERTY_PREFIX) ? `the infoblock has no property "${name.slice(PROPERTY_PREFIX.length)}"` : `unknown column (element columns: ${CSV_FIELDS.join(', ')}, properties: PROPERTY_<CODE>)`);
  });
}

/** The column an importBatch error is about: its property, section or the field its message starts with. */
function columnOfError(run: Run, err: PortalError, message: string): Column | null {
  const property = err.details?.property;
  if (typeof property === 'string') return run.columns.find((c) => c.property?.code === property) ?? null;
  if (err.code === 'SECTION_NOT_FOUND' || err.code === 'SECTIONS_DISABLED') return run.columns.find((c) => c.field === 'SECTIONS') ?? null;
  const field = COLUMN_OF_FIELD[/^[A-Za-z]+/.exec(message)?.[0] ?? ''];
  return run.columns.find((c) => c.field === field) ?? null;
}

function rowKey(run: Run, row: CsvRow): { by: 'xmlId' | 'code'; value: string } | null {
  const cell = (f: CsvField) => {
    const c = run.columns.find((x) => x.field === f);
    return c ? row.cells[c.index]!.trim() : '';
  };
  if (run.opts.matchBy === 'none') return null;
  if (run.opts.matchBy !== 'code' && cell('XML_ID')) return { by: 'xmlId', value: cell('XML_ID') };
  return cell('CODE') ? { by: 'code', value: cell('CODE') } : null;
}

async function importRows(run: Run, rows: CsvRow[]): Promise<void> {
  const { api, principal, iblockId, refs } = run;
  const logins: string[] = [];
  const elements: { iblockId: number; ref: ElementRef }[] = [];
  const fileColumns = run.columns.filter((c) => c.field === 'PREVIEW_PICTURE' || c.field === 'DETAIL_PICTURE' || c.property?.type === 'file');
  const hasFiles = (row: CsvRow) => fileColumns.some((c) => row.cells[c.index] !== '');
  for (const row of rows) {
    try {
      const r = refsOfRow(row, run.columns, iblockId);
      logins.push(...r.logins);
      elements.push(...r.elements);
    } catch (err) {
      throw err instanceof CellError ? rowError(run, row.line, err.column, err.message) : err;
    }
    const key = rowKey(run, row);
    if (key && hasFiles(row)) elements.push({ iblockId, ref: key });
  }
  await refs.prepare(logins, elements);
  const properties = run.columns.map((c) => c.property).filter((p): p is Property => Boolean(p));
  const items: ElementInput[] = [];
  const deferred: DeferredLinks[][] = [];
  for (const row of rows) {
    const key = rowKey(run, row);
    if (key) run.keys?.add(`${key.by}:${key.value}`);
    const own = key && hasFiles(row) ? refs.element(iblockId, key) : undefined;
    await refs.ownFilesOf(own ? await api.elements.get(principal, own) : null, properties);
    const links: DeferredLinks[] = [];
    try {
      items.push(await rowToInput(row, run.columns, refs, iblockId, links));
    } catch (err) {
      if (err instanceof CellError) throw rowError(run, row.line, err.column, err.message);
      if (err instanceof PortalError) throw rowError(run, row.line, null, err.message, err.code, err.status);
      throw err;
    }
    deferred.push(links);
  }
  let res;
  try {
    res = await api.elements.importBatch(principal, iblockId, items, { matchBy: run.opts.matchBy, dryRun: run.opts.dryRun });
  } catch (err) {
    if (!(err instanceof PortalError) || typeof err.details?.item !== 'number') throw err;
    const message = err.message.replace(/^item \d+: /, '');
    throw rowError(run, rows[err.details.item]!.line, columnOfError(run, err, message), message, err.code, err.status);
  }
  run.report.created += res.created;
  run.report.updated += res.updated;
  run.report.rows += rows.length;
  if (!run.opts.dryRun) run.written += rows.length;
  rows.forEach((row, i) => {
    if (deferred[i]!.length) run.deferred.push({ line: row.line, elementId: res.ids[i]!, xmlId: keyText(items[i]!.xmlId), code: keyText(items[i]!.code) ?? '', links: deferred[i]! });
  });
}

/**
 * Element links to rows further down the file, set once every row is in: references are looked up per target and
 * kind in one query, then written through importBatch (a dry run checks them against the file's own keys).
 */
async function resolveDeferred(run: Run): Promise<void> {
  const { api, principal } = run;
  const wanted = new Map<string, { target: number; by: 'xmlId' | 'code'; values: Set<string> }>();
  for (const d of run.deferred) {
    for (const link of d.links) {
      const target = link.property.linkIblockId ?? run.iblockId;
      for (const v of link.values) {
        if (typeof v === 'number' || v.by === 'id') continue;
        const k = `${target}:${v.by}`;
        (wanted.get(k) ?? wanted.set(k, { target, by: v.by, values: new Set() }).get(k)!).values.add(v.value);
      }
    }
  }
  const found = new Map<string, number>();
  for (const w of wanted.values()) {
    for (const [value, id] of await api.elements.idsOf(principal, w.target, w.by, [...w.values])) found.set(`${w.target}:${w.by}:${value}`, id);
  }
  const patches: LinkPatch[] = [];
  for (const d of run.deferred) {
    const properties: Record<string, unknown> = {};
    for (const link of d.links) {
      const target = link.property.linkIblockId ?? run.iblockId;
      const ids: number[] = [];
      for (const v of link.values) {
        const id = typeof v === 'number' ? v : found.get(`${target}:${v.by}:${v.value}`);
        const inFile = typeof v !== 'number' && run.opts.dryRun && target === run.iblockId && run.keys?.has(`${v.by}:${v.value}`);
        if (id === undefined && !inFile) {
          const shown = typeof v === 'number' ? String(v) : `${v.by === 'xmlId' ? 'xml:' : v.by === 'code' ? 'code:' : ''}${v.value}`;
          throw rowError(run, d.line, link.column, `element "${shown}" does not exist`, 'PROPERTY_VALUE_INVALID');
        }
        if (id !== undefined) ids.push(id);
      }
      properties[link.property.code] = link.property.multiple ? ids : (ids[0] ?? null);
    }
    patches.push({ id: d.elementId, xmlId: d.xmlId, code: d.code, properties });
  }
  if (!run.opts.dryRun) await writeLinkPatches(api, principal, run.iblockId, patches);
}

/**
 * Imports CSV rows (format: docs/infoblocks.md, "CSV") into an existing infoblock in batches through importBatch.
 * Rows are matched by xml_id, else code, so importing a file again updates instead of duplicating. An error stops at
 * its line and column; batches before it stay written (run with dryRun first to check the whole file).
 */
export async function importElementsCsv(kernel: Kernel, principal: Principal, input: Readable, opts: CsvImportOptions): Promise<CsvImportReport> {
  const api = kernel.api('infoblocks');
  const ib = await api.iblocks.getByCode(principal, opts.iblock);
  const properties = await api.properties.list(principal, ib.id);
  const dryRun = Boolean(opts.dryRun);
  const selfLinks = properties.some((p) => p.type === 'element' && (p.linkIblockId ?? ib.id) === ib.id);
  const run: Run = {
    api, principal, iblockId: ib.id, opts: { ...opts, matchBy: opts.matchBy ?? 'xmlId' }, columns: [],
    refs: new ImportRefs(kernel, api, principal, { dryRun, filesDir: opts.filesDir, createSections: opts.createSections }),
    report: { dryRun, iblock: ib.code, rows: 0, created: 0, updated: 0, filesStored: 0, sectionsCreated: 0 },
    written: 0, deferred: [], keys: dryRun && selfLinks ? new Set() : null,
  };
  try {
    return await readRows(run, input, properties);
  } catch (err) {
    // Files stored for rows that were never written would belong to no element: delete them again.
    await api.elements.releaseFiles(principal, run.refs.storedIds).catch(() => undefined);
    throw err;
  }
}

/** Parses the header and the rows, imports them in batches, then sets the links that pointed further down. */
async function readRows(run: Run, input: Readable, properties: Property[]): Promise<CsvImportReport> {
  const { opts } = run;
  const batchSize = Math.min(Math.max(Math.trunc(opts.batchSize ?? 500), 1), 5000);
  const parser = input.pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: false }));
  input.on('error', (err) => parser.destroy(err));
  let batch: CsvRow[] = [];
  const batchKeys = new Set<string>();
  let lastLine = 0;
  let lastEmpty = 0;
  let bytes = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = lastLine + 1 + (info.empty_lines - lastEmpty);
      lastLine = info.lines;
      lastEmpty = info.empty_lines;
      bytes = info.bytes;
      if (!run.columns.length) {
        run.columns = readHeader(record, properties);
        continue;
      }
      const row = { line, cells: record };
      const key = rowKey(run, row);
      // A batch ends early where a key repeats, so the later row updates what the earlier one wrote.
      if (batch.length >= batchSize || (key && batchKeys.has(`${key.by}:${key.value}`))) {
        await importRows(run, batch);
        batch = [];
        batchKeys.clear();
        opts.onProgress?.({ rows: run.report.rows, bytes });
      }
      batch.push(row);
      if (key) batchKeys.add(`${key.by}:${key.value}`);
    }
  } catch (err) {
    const csv = err as { code?: string; lines?: number; message: string };
    if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) throw rowError(run, csv.lines ?? lastLine + 1, null, `malformed CSV: ${csv.message.replace(/ (on|at) line \d+/, '')}`);
    throw err;
  }
  if (!run.columns.length) throw ibErrors.EXCHANGE_INVALID('The file is empty: the first line must name the columns');
  if (batch.length) await importRows(run, batch);
  await resolveDeferred(run);
  opts.onProgress?.({ rows: run.report.rows, bytes });
  run.report.filesStored = run.refs.filesStored;
  run.report.sectionsCreated = run.refs.sectionsCreated;
  return run.report;
}
