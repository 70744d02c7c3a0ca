import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Koa from 'koa';
import type { Logger } from '../log/logger.js';
import { rsync } from './rsync.js';

/** Where another web node keeps its uploads, and how to reach it. */
export interface UploadPeer {
  /** For logs (the registry's node id). */
  name: string;
  /** The peer's upload folder (on its machine). */
  uploadDir: string;
  /** `user@host` when the peer is reached by ssh; absent for a folder on this machine. */
  ssh?: string;
  /** The peer's own HTTP address (not nginx's), e.g. http://10.0.0.2:3000. */
  url: string;
}

/** What FileService asks of a replicator (UploadSync, or the integrator's own). */
export interface FileReplicator {
  /** A file was just stored at `relative` (below the upload dir): copy it to the peers. */
  stored(relative: string): void;
  /** The record exists but the bytes are not here: fetch them from a peer; true when they are now here. */
  fetchMissing(relative: string, sha256: string): Promise<boolean>;
  /** Answers the internal peer endpoint (PEER_FILE_PATH); false when the request is not one. */
  servePeer(ctx: Koa.Context): Promise<boolean>;
}

/** The internal endpoint one node fetches a missing file from another on. */
export const PEER_FILE_PATH = '/_cluster/files/';
export const PEER_SECRET_HEADER = 'x-portal-cluster-secret';

export interface UploadSyncOptions {
  uploadDir: string;
  /** The other web nodes (this one left out), asked on every push: the registry may change. */
  peers: () => Promise<UploadPeer[]>;
  /** Shared by every node (from the config): the peer endpoint answers only requests that carry it. */
  secret: string;
  log?: Logger;
  /** Milliseconds a push gathers further files before rsync runs (default 50). */
  batchMs?: number;
}

export interface AuditResult {
  /** Per peer, the files the audit copied there (it had missed them, or they differed). */
  repaired: { peer: string; files: string[] }[];
  failed: { peer: string; error: string }[];
}

/**
 * Keeps the upload folders of the web nodes alike, with rsync: each stored file is pushed to
 * every peer right after the write (files stored within `batchMs` go in one rsync per peer);
 * `audit()` compares whole folders by checksum and copies what a peer lacks or has wrong
 * (nothing is deleted: a file one node has and the other not yet is never removed); and a
 * file whose record exists but whose bytes are not here yet is fetched from a peer that has
 * them, checked against its sha256, over an endpoint only the nodes can use (shared secret).
 * Rights are not this class's business: the caller checked them before asking for the bytes.
 */
export class UploadSync implements FileReplicator {
  private readonly root: string;
  private queue = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private lastPush: { at: Date; files: number; failed: string[] } | undefined;

  constructor(private readonly options: UploadSyncOptions) {
    if (options.secret.length < 16) throw new Error('the cluster file secret must have at least 16 characters');
    this.root = path.resolve(options.uploadDir);
  }

  /** When the last push ran, how many files it carried, and the peers it could not reach. */
  get lastPushState() {
    return this.lastPush;
  }

  stored(relative: string): void {
    this.queue.add(relative);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const files = [...this.queue];
      this.queue = new Set();
      this.inflight = this.inflight.then(() => this.push(files)).catch(() => undefined);
    }, this.options.batchMs ?? 50);
  }

  /** Waits until every push queued so far has run (tests, a stopping process). */
  async flush(): Promise<void> {
    while (this.timer || this.queue.size) await new Promise((r) => setTimeout(r, 10));
    await this.inflight;
  }

  /** Copies `files` (paths below the upload dir) to every peer now. */
  async push(files: string[]): Promise<void> {
    const failed: string[] = [];
    const peers = await this.options.peers();
    await Promise.all(peers.map(async (peer) => {
      try {
        await rsync(this.root, { path: peer.uploadDir, ssh: peer.ssh }, { files, timeoutMs: 60_000 });
      } catch (err) {
        failed.push(peer.name);
        this.options.log?.warn({ peer: peer.name, files: files.length, err: (err as Error).message }, 'upload push failed; the audit repairs it');
      }
    }));
    this.lastPush = { at: new Date(), files: files.length, failed };
  }

  /** Compares the whole upload folder with every peer by checksum and copies what differs. */
  async audit(): Promise<AuditResult> {
    const result: AuditResult = { repaired: [], failed: [] };
    for (const peer of await this.options.peers()) {
      try {
        const lines = await rsync(this.root, { path: peer.uploadDir, ssh: peer.ssh }, { checksum: true, itemize: true, exclude: ['/.tmp'], timeoutMs: 30 * 60_000 });
        const files = lines.filter((l) => /^[<>]f/.test(l)).map((l) => l.slice(l.indexOf(' ') + 1));
        if (files.length) {
          result.repaired.push({ peer: peer.name, files });
          this.options.log?.info({ peer: peer.name, files: files.length }, 'upload audit repaired a peer');
        }
      } catch (err) {
        result.failed.push({ peer: peer.name, error: (err as Error).message });
      }
    }
    return result;
  }

  async fetchMissing(relative: string, sha256: string): Promise<boolean> {
    const target = this.inside(relative);
    if (!target) return false;
    for (const peer of await this.options.peers()) {
      const tmpDir = path.join(this.root, '.tmp');
      await mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.peer`);
      try {
        const res = await fetch(`${peer.url.replace(/\/$/, '')}${PEER_FILE_PATH}${relative.split('/').map(encodeURIComponent).join('/')}`, {
          headers: { [PEER_SECRET_HEADER]: this.options.secret },
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status !== 200 || !res.body) {
          await res.body?.cancel();
          continue;
        }
        const hash = createHash('sha256');
        const meter = new Transform({ transform(chunk: Buffer, _e, done) { hash.update(chunk); done(null, chunk); } });
        await pipeline(Readable.fromWeb(res.body as never), meter, createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
        if (hash.digest('hex') !== sha256) {
          this.options.log?.warn({ peer: peer.name, relative }, 'a peer sent a file that does not match its checksum');
          await unlink(tmp).catch(() => undefined);
          continue;
        }
        await mkdir(path.dirname(target), { recursive: true });
        await rename(tmp, target);
        this.options.log?.info({ peer: peer.name, relative }, 'a file missing here was fetched from a peer');
        return true;
      } catch (err) {
        await unlink(tmp).catch(() => undefined);
        this.options.log?.warn({ peer: peer.name, relative, err: (err as Error).message }, 'fetching a missing file from a peer failed');
      }
    }
    return false;
  }

  async servePeer(ctx: Koa.Context): Promise<boolean> {
    if (!ctx.path.startsWith(PEER_FILE_PATH)) return false;
    const given = Buffer.from(String(ctx.get(PEER_SECRET_HEADER)));
    const secret = Buffer.from(this.options.secret);
    ctx.set('Cache-Control', 'no-store');
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
      ctx.status = 403;
      ctx.body = { error: { code: 'PEER_FORBIDDEN', message: 'This endpoint is for the web nodes of the cluster only' } };
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice(PEER_FILE_PATH.length));
    } catch {
      relative = '';
    }
    const file = this.inside(relative);
    const stats = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !stats?.isFile()) {
      ctx.status = 404;
      ctx.body = { error: { code: 'FILE_NOT_FOUND', message: 'Not on this node' } };
      return true;
    }
    ctx.status = 200;
    ctx.type = 'application/octet-stream';
    ctx.length = stats.size;
    ctx.body = createReadStream(file);
    return true;
  }

  /** The absolute path of `relative` when it stays inside the upload dir (and out of .tmp). */
  private inside(relative: string): string | undefined {
    if (!relative || relative.includes('\0')) return undefined;
    const absolute = path.resolve(this.root, relative);
    const rel = path.relative(this.root, absolute);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep)[0] === '.tmp') return undefined;
    return absolute;
  }
}
