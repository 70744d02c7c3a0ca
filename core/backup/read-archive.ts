import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { backupErrors } from './errors.js';
import { ARCHIVE_FORMAT, FORMAT_VERSION, MANIFEST_ENTRY, type ArchiveEntry, type Manifest } from './format.js';
import { isSafeRelative } from './fs-util.js';
import { silentBackupUi, type BackupUi } from './ui.js';

const MANIFEST_MAX_BYTES = 256 * 1024 * 1024;

export interface ReadArchiveOptions {
  /** Called once the manifest is read, before any other entry; throw to stop. */
  onManifest?(manifest: Manifest): Promise<void> | void;
  /** Where to write an entry (absolute path), or null to check it only. */
  target?(entry: ArchiveEntry): string | null;
  ui?: BackupUi;
}

/**
 * Streams a backup archive once: reads the manifest (the first entry), then checks every
 * entry's size and sha256 against it while writing the wanted ones out. Anything amiss is one
 * coded error: not a backup, damaged, a checksum that differs, an entry missing or unexpected.
 */
export async function readArchive(file: string, opts: ReadArchiveOptions = {}): Promise<Manifest> {
  const archive = path.resolve(file);
  if (!existsSync(archive) || !statSync(archive).isFile()) throw backupErrors.ARCHIVE_NOT_FOUND(archive);
  const ui = opts.ui ?? silentBackupUi;
  const source = createReadStream(archive);
  const parser = new Parser({ strict: true });
  let manifest: Manifest | undefined;
  let expected = new Map<string, ArchiveEntry>();
  const seen = new Set<string>();
  let failure: unknown;
  let chain = Promise.resolve();
  let unpacked = 0;
  let total = 0;

  let stop: (err: unknown) => void = () => undefined;
  const stopped = new Promise<void>((_resolve, reject) => (stop = reject));
  stopped.catch(() => undefined);
  const fail = (err: unknown) => {
    failure ??= err;
    source.destroy();
    stop(failure);
  };
  const handle = async (entry: ReadEntry): Promise<void> => {
    if (failure) return void entry.resume();
    if (!manifest) {
      if (entry.path !== MANIFEST_ENTRY) throw backupErrors.ARCHIVE_INVALID(`${archive} is not a portal backup (it does not start with ${MANIFEST_ENTRY})`);
      manifest = parseManifest(archive, await readText(entry));
      expected = new Map(manifest.entries.map((e) => [e.path, e]));
      total = manifest.entries.reduce((n, e) => n + e.size, 0);
      await opts.onManifest?.(manifest);
      return;
    }
    if (entry.type === 'Directory') return void entry.resume();
    const want = expected.get(entry.path);
    if (!want || entry.type !== 'File' || seen.has(entry.path)) throw backupErrors.ARCHIVE_INVALID(`${archive} holds an entry its manifest does not list: ${entry.path}`);
    seen.add(entry.path);
    const dest = opts.target?.(want) ?? null;
    const hash = createHash('sha256');
    let size = 0;
    const ws = dest ? await openOut(dest) : null;
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (ws && !ws.write(chunk)) await once(ws, 'drain');
    }
    if (ws) {
      ws.end();
      await once(ws, 'close');
    }
    unpacked += size;
    ui.progress(unpacked, total);
    if (size !== want.size || hash.digest('hex') !== want.sha256) {
      throw backupErrors.ARCHIVE_CHECKSUM_MISMATCH(`${archive} is damaged: ${entry.path} does not match the checksum in its manifest`);
    }
  };

  parser.on('entry', (entry: ReadEntry) => {
    chain = chain.then(() => handle(entry)).catch((err: unknown) => {
      entry.resume();
      fail(err);
    });
  });
  const done = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('close', resolve);
  });
  parser.on('error', (err: Error) => fail(damaged(archive, err)));
  source.on('error', (err: Error) => fail(err));
  source.pipe(parser as unknown as NodeJS.WritableStream);
  // The parser ends after emitting its last entry, so `chain` then holds every handler. An entry
  // cut short by a damaged stream never ends: a failure does not wait for its handler.
  await Promise.race([done.then(() => chain), stopped]).catch(() => undefined);
  ui.done();
  if (failure) throw failure;
  if (!manifest) throw backupErrors.ARCHIVE_INVALID(`${archive} is not a portal backup (no ${MANIFEST_ENTRY})`);
  const absent = manifest.entries.filter((e) => !seen.has(e.path));
  if (absent.length) throw backupErrors.ARCHIVE_INVALID(`${archive} is incomplete: ${absent.length} entr${absent.length === 1 ? 'y' : 'ies'} of its manifest missing (first: ${absent[0]!.path})`);
  return manifest;
}

function damaged(archive: string, err: Error): Error {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'TAR_BAD_ARCHIVE' || code === 'Z_DATA_ERROR' || /gzip|zlib|unexpected end|header/i.test(`${code} ${err.message}`)) {
    return backupErrors.ARCHIVE_INVALID(`${archive} is damaged or not a gzipped tar: ${err.message}`);
  }
  return backupErrors.ARCHIVE_INVALID(`${archive} cannot be read: ${err.message}`);
}

async function readText(entry: ReadEntry): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > MANIFEST_MAX_BYTES) throw backupErrors.ARCHIVE_INVALID('the manifest is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseManifest(archive: string, text: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw backupErrors.ARCHIVE_INVALID(`${archive} has a manifest that is not valid JSON`);
  }
  if (m?.format !== ARCHIVE_FORMAT) throw backupErrors.ARCHIVE_INVALID(`${archive} is not a portal backup (its manifest is of another kind)`);
  if (!Number.isInteger(m.formatVersion) || m.formatVersion > FORMAT_VERSION) {
    throw backupErrors.ARCHIVE_INVALID(`${archive} uses backup format ${String(m.formatVersion)}; this release reads up to ${FORMAT_VERSION}`);
  }
  const valid = Array.isArray(m.entries) && m.entries.every((e) => typeof e?.path === 'string' && isSafeRelative(e.path) && Number.isSafeInteger(e.size) && /^[0-9a-f]{64}$/.test(String(e.sha256)))
    && Array.isArray(m.databases) && m.databases.every((d) => m.entries.some((e) => e.path === d.entry) && (d.dialect === 'sqlite' || d.dialect === 'mysql'))
    && typeof m.portal?.id === 'string' && typeof m.portal?.release === 'string' && Array.isArray(m.modules);
  if (!valid) throw backupErrors.ARCHIVE_INVALID(`${archive} has a manifest that is incomplete or names unsafe paths`);
  return m;
}

async function openOut(file: string): Promise<NodeJS.WritableStream & { write(c: Buffer): boolean; end(): void } & NodeJS.EventEmitter> {
  await mkdir(path.dirname(file), { recursive: true });
  const ws = createWriteStream(file, { flags: 'wx', mode: 0o640 });
  await once(ws, 'open');
  return ws;
}
