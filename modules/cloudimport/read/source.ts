import { closeSync, createReadStream, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { cloudErrors } from '../errors.js';
import { DUMP_FORMAT, DUMP_VERSION, ENTITIES, entityOfFileName, isEntity, type Entity, type Manifest } from './dump-format.js';
import { parseCsv, parseHtmlTable, type RawRow } from './table.js';
import { openZip } from './zip.js';
import type { Storage } from './storage.js';

/** One row of an entity file: the record, or why it could not be read. */
export type SourceRow = { line: number; row: RawRow; error?: undefined } | { line: number; row?: undefined; error: string };

export type { Storage } from './storage.js';

export interface DumpSource {
  label: string;
  manifest: Manifest;
  entities(): Entity[];
  rows(entity: Entity): AsyncGenerator<SourceRow>;
  /** A Disk file's bytes (files/<id>/<name>), or null when the dump has none. */
  file(rel: string): Promise<Readable | null>;
  close(): Promise<void>;
}

function dirStorage(root: string): Storage {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) files.push(r);
    }
  };
  walk('');
  return { list: () => files, open: async (rel) => createReadStream(path.join(root, rel)), close: async () => undefined };
}

function fileStorage(file: string): Storage {
  const name = path.basename(file);
  return { list: () => [name], open: async () => createReadStream(file), close: async () => undefined };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function* jsonLines(stream: Readable): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (!text.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      yield { line: n, error: `line ${n} is not JSON` };
      continue;
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) yield { line: n, error: `line ${n} is not a record` };
    else yield { line: n, row: row as RawRow };
  }
}

function parseManifest(text: string, label: string): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: manifest.json is not JSON`);
  }
  if (!m || m.format !== DUMP_FORMAT) throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: manifest.json is of format "${String(m?.format ?? 'none')}", not ${DUMP_FORMAT}`);
  if (m.version !== DUMP_VERSION) throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: dump version ${String(m.version)} is not supported (expected ${DUMP_VERSION})`);
  if (!m.entities || typeof m.entities !== 'object') throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: manifest.json lists no entities`);
  for (const e of Object.keys(m.entities)) if (!isEntity(e)) throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: manifest.json names an unknown entity "${e}"`);
  return { source: '', timeZone: 'UTC', createdAt: '', ...m } as Manifest;
}

/** A dump over a storage: with manifest.json a dump, else a set of UI exports named after their entities. */
async function dumpOf(storage: Storage, label: string): Promise<DumpSource> {
  const all = storage.list();
  const manifestPath = all.filter((f) => f === 'manifest.json' || f.endsWith('/manifest.json')).sort((a, b) => a.length - b.length)[0];
  const prefix = manifestPath ? manifestPath.slice(0, -'manifest.json'.length) : '';
  const byEntity = new Map<Entity, string>();
  let manifest: Manifest;
  if (manifestPath) {
    manifest = parseManifest((await readAll(await storage.open(manifestPath))).toString('utf8'), label);
    for (const [e, info] of Object.entries(manifest.entities)) {
      const rel = prefix + (info?.file ?? `${e}.jsonl`);
      if (!all.includes(rel)) throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: manifest.json names ${rel}, which is missing`);
      byEntity.set(e as Entity, rel);
    }
  } else {
    for (const f of all) {
      if (f.includes('/') || !/\.(jsonl|csv|xls)$/i.test(f)) continue;
      const e = entityOfFileName(f);
      if (e && !byEntity.has(e)) byEntity.set(e, f);
    }
    if (!byEntity.size) throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: no manifest.json and no file named after an entity (users.csv, contacts.xls, ...)`);
    manifest = { format: DUMP_FORMAT, version: DUMP_VERSION, source: '', timeZone: 'UTC', createdAt: '', entities: {} };
    for (const [e, f] of byEntity) manifest.entities[e] = { file: f, count: 0, complete: true };
  }
  return {
    label,
    manifest,
    entities: () => ENTITIES.filter((e) => byEntity.has(e)),
    async *rows(entity) {
      const rel = byEntity.get(entity);
      if (!rel) return;
      if (/\.jsonl$/i.test(rel)) {
        yield* jsonLines(await storage.open(rel));
        return;
      }
      const buf = await readAll(await storage.open(rel));
      const rows = /\.csv$/i.test(rel) ? parseCsv(buf, rel) : parseHtmlTable(buf, rel);
      let line = 1;
      for (const row of rows) yield { line: ++line, row };
    },
    async file(rel) {
      const full = prefix + rel;
      return all.includes(full) ? storage.open(full) : null;
    },
    close: () => storage.close(),
  };
}

function isZip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    closeSync(fd);
  }
}

/** Opens a dump folder, a zip of one, or a single CSV/XLS UI export; bad input is one coded error. */
export async function openSource(input: string): Promise<DumpSource> {
  if (!existsSync(input)) throw cloudErrors.CLOUD_SOURCE_MISSING(input);
  const label = path.basename(input);
  const st = statSync(input);
  if (st.isDirectory()) return dumpOf(dirStorage(input), label);
  if (/\.zip$/i.test(input) || isZip(input)) {
    const zip = await openZip(input);
    try {
      return await dumpOf(zip, label);
    } catch (err) {
      await zip.close();
      throw err;
    }
  }
  if (/\.(csv|xls|jsonl)$/i.test(input)) {
    if (!entityOfFileName(label)) throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: the file name does not say which entity it holds (name it users.csv, contacts.xls, ...)`);
    return dumpOf(fileStorage(input), label);
  }
  throw cloudErrors.CLOUD_NOT_A_DUMP(`${label}: expected a dump folder, a .zip, or a .csv/.xls UI export`);
}
