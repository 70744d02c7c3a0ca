import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ModuleDb } from '../db/module-db.js';
import type { Cache, Principal } from '../services.js';
import { toDate } from '../db/module-db.js';
import { fileErrors, tooLarge } from './file-errors.js';
import { fileUrl, newUrlKey, urlKeyMatches } from './file-url.js';
import { safeFileName } from './safe-name.js';
import type { FileReplicator } from './upload-sync.js';

export interface StoredFile {
  id: number;
  module: string;
  storage: string;
  /** Relative to the upload directory, e.g. "forum/2026/11/3f9c…-report.pdf". */
  path: string;
  originalName: string;
  /** The safe name, used for downloads. */
  name: string;
  size: number;
  mimeType: string;
  /** sha256, hex. */
  checksum: string;
  /** The random part of the file's URL (see fileUrl). */
  urlKey: string;
  createdBy: number | null;
  createdAt: Date;
}

/** Whether `principal` may download `file`; a module registers one for the files it stores. */
export type FileReadCheck = (principal: Principal, file: StoredFile) => Promise<boolean>;

/** Where the bytes come from: a stream (consumed, destroyed on error), a buffer, or a file that is read, not moved. */
export type FileSource = { stream: Readable } | { buffer: Buffer | Uint8Array } | { path: string };

export type SaveFileInput = FileSource & {
  module: string;
  /** The client's file name; only its safe last part is used on disk. */
  name: string;
  mimeType?: string;
  createdBy?: number | null;
};

const MODULE_ID = /^[a-z][a-z0-9_]{0,63}$/;
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain', 'application/pdf']);
const URL_TTL_SECONDS = 3600;

/** Cache tag of one stored file (its URL is cached under it). */
export const fileTag = (id: number): string => `file:${id}`;

/** The client's mime type when it is well-formed (parameters dropped), else application/octet-stream. */
export function normalizeMimeType(value: unknown): string {
  const essence = String(value ?? '').split(';')[0]!.trim().toLowerCase();
  return MIME_TYPE.test(essence) ? essence : 'application/octet-stream';
}

/**
 * Files on local storage under the upload directory, recorded in main_files. Names on disk
 * are generated (module/yyyy/mm/random-safe-name); the client's path is never used.
 */
export class FileService {
  private readonly db: ModuleDb;
  private readonly root: string;
  private readonly maxBytes: number;
  private readonly cache: Cache | undefined;
  private readonly readChecks = new Map<string, FileReadCheck>();
  private replicator: FileReplicator | undefined;

  constructor({ db, uploadDir, maxBytes, cache }: { db: ModuleDb; uploadDir: string; maxBytes: number; cache?: Cache }) {
    this.db = db;
    this.root = path.resolve(uploadDir);
    this.maxBytes = maxBytes;
    this.cache = cache;
  }

  get uploadDir(): string {
    return this.root;
  }

  /** Lets the module that stores files decide who may download them (see readCheckOf). */
  setReadCheck(module: string, check: FileReadCheck): void {
    this.readChecks.set(module, check);
  }

  /**
   * Copies every stored file to the other web nodes and fetches bytes missing here from
   * them (UploadSync); set by the cluster wiring, absent on a single node.
   */
  setReplicator(replicator: FileReplicator | undefined): void {
    this.replicator = replicator;
  }

  get fileReplicator(): FileReplicator | undefined {
    return this.replicator;
  }

  /** The bytes of a stored file are not on this node: true once a peer supplied them. */
  async fetchMissing(file: Pick<StoredFile, 'path' | 'checksum'>): Promise<boolean> {
    return this.replicator ? this.replicator.fetchMissing(file.path, file.checksum) : false;
  }

  /** The module's check for its files; undefined when it set none (then viewing the portal is enough). */
  readCheckOf(module: string): FileReadCheck | undefined {
    return this.readChecks.get(module);
  }

  async save(input: SaveFileInput): Promise<StoredFile> {
    if (!MODULE_ID.test(String(input.module))) throw fileErrors.FILE_INPUT_INVALID(`Module id "${input.module}" is not valid`);
    const name = safeFileName(input.name);
    const tmpDir = path.join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const meter = new ByteMeter(this.maxBytes);
    const out = createWriteStream(tmp, { flags: 'wx', mode: 0o640 });
    try {
      await pipeline(sourceStream(input), meter, out);
    } catch (err) {
      // A source that fails at once can end the pipeline while the file is still being opened;
      // the stream creates it after that, so remove it only once the stream has closed.
      if (!out.closed) await once(out, 'close').catch(() => undefined);
      await removeQuietly(tmp);
      throw err;
    }
    const now = new Date();
    const dir = [input.module, String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0')].join('/');
    const relative = `${dir}/${randomBytes(8).toString('hex')}-${name}`;
    const absolute = this.resolveInside(relative);
    try {
      await mkdir(path.dirname(absolute), { recursive: true });
      await rename(tmp, absolute);
    } catch (err) {
      await removeQuietly(tmp);
      throw err;
    }
    const row = {
      module: input.module,
      storage: 'local',
      path: relative,
      original_name: originalName(input.name) || name,
      name,
      size: meter.bytes,
      mime_type: normalizeMimeType(input.mimeType),
      checksum: meter.digest(),
      url_key: newUrlKey(),
      created_by: input.createdBy ?? null,
      created_at: now.getTime(),
    };
    try {
      const [id] = await this.db.write('files').insert(row);
      const stored = await this.get(Number(id));
      this.replicator?.stored(relative);
      return stored;
    } catch (err) {
      await removeQuietly(absolute);
      throw err;
    }
  }

  async get(id: number): Promise<StoredFile> {
    const row = Number.isSafeInteger(id) && id > 0 ? await this.db.write('files').where({ id }).first() : undefined;
    if (!row) throw fileErrors.FILE_NOT_FOUND(String(id));
    return fileFromRow(row);
  }

  /** The file a URL names: its id and its key; null when either is wrong (a wrong key looks like a missing file). */
  async byUrl(id: number, key: string): Promise<StoredFile | null> {
    const file = await this.get(id).catch((err: { code?: string }) => {
      if (err.code === 'FILE_NOT_FOUND') return null;
      throw err;
    });
    return file && urlKeyMatches(file, key) ? file : null;
  }

  /** The download URL of a stored file (/upload/<id>/<key>/<name>). */
  url(file: Pick<StoredFile, 'id' | 'urlKey' | 'name'>): string {
    return fileUrl(file);
  }

  /** The download URL of the file with this id, or null when there is none (cached until the file is deleted). */
  async urlOf(id: number | null | undefined): Promise<string | null> {
    if (!id || !Number.isSafeInteger(id) || id <= 0) return null;
    const load = async () => {
      const file = await this.get(id).catch(() => null);
      return file ? fileUrl(file) : null;
    };
    return this.cache ? this.cache.remember(`main:file-url:${id}`, { ttl: URL_TTL_SECONDS, tags: [fileTag(id)] }, load) : load();
  }

  /** The stored files among `ids` (one query per 500 ids); missing ones are left out. */
  async getMany(ids: number[]): Promise<StoredFile[]> {
    const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
    const out: StoredFile[] = [];
    for (let i = 0; i < wanted.length; i += 500) {
      out.push(...((await this.db.write('files').whereIn('id', wanted.slice(i, i + 500)).select('*')) as Record<string, unknown>[]).map(fileFromRow));
    }
    return out;
  }

  /** Which of `ids` are stored files (one query per 500 ids). */
  async existingIds(ids: number[]): Promise<Set<number>> {
    const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
    const found = new Set<number>();
    for (let i = 0; i < wanted.length; i += 500) {
      for (const id of (await this.db.write('files').whereIn('id', wanted.slice(i, i + 500)).pluck('id')) as unknown[]) found.add(Number(id));
    }
    return found;
  }

  async listByModule(module: string): Promise<StoredFile[]> {
    return (await this.db.read('files').where({ module }).orderBy('id').select('*')).map(fileFromRow);
  }

  /** The file on disk; throws when a stored path would point outside the upload directory. */
  absolutePath(file: Pick<StoredFile, 'path'>): string {
    return this.resolveInside(file.path);
  }

  openStream(file: Pick<StoredFile, 'path'>, range?: { start: number; end: number }): Readable {
    return createReadStream(this.absolutePath(file), range);
  }

  /** Removes the record and the bytes. */
  async delete(id: number): Promise<void> {
    const file = await this.get(id);
    await this.db.write('files').where({ id: file.id }).delete();
    await this.cache?.invalidateTags(fileTag(file.id));
    await removeQuietly(this.absolutePath(file));
  }

  /** Inline only for types a browser shows without running anything; the rest downloads. */
  disposition(file: Pick<StoredFile, 'mimeType'>): 'inline' | 'attachment' {
    return INLINE_TYPES.has(normalizeMimeType(file.mimeType)) ? 'inline' : 'attachment';
  }

  private resolveInside(relative: string): string {
    const absolute = path.resolve(this.root, relative);
    const rel = path.relative(this.root, absolute);
    if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
      throw fileErrors.FILE_PATH_INVALID(`File path "${relative}" is outside the upload directory`);
    }
    return absolute;
  }
}

/** Counts bytes and computes sha256 while they pass; fails with FILE_TOO_LARGE past the limit. */
class ByteMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(tooLarge(this.limit));
    this.hash.update(chunk);
    done(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

function sourceStream(input: FileSource): Readable {
  if ('stream' in input && input.stream) return input.stream;
  if ('buffer' in input && input.buffer) return Readable.from([Buffer.from(input.buffer)]);
  if ('path' in input && input.path) return createReadStream(input.path);
  throw fileErrors.FILE_INPUT_INVALID('No file content given (stream, buffer or path)');
}

function originalName(name: unknown): string {
  const clean = String(name ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return Array.from(clean).slice(0, 255).join('');
}

async function removeQuietly(file: string): Promise<void> {
  await unlink(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

function fileFromRow(r: Record<string, unknown>): StoredFile {
  return {
    id: Number(r.id),
    module: String(r.module),
    storage: String(r.storage),
    path: String(r.path),
    originalName: String(r.original_name),
    name: String(r.name),
    size: Number(r.size),
    mimeType: String(r.mime_type),
    checksum: String(r.checksum),
    urlKey: String(r.url_key ?? ''),
    createdBy: r.created_by === null || r.created_by === undefined ? null : Number(r.created_by),
    createdAt: toDate(r.created_at)!,
  };
}
