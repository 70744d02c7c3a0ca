import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Server } from 'node:http';
import Koa from 'koa';
import { FileService } from '../../core/files/file-service.js';
import { discardUploads, parseMultipart } from '../../core/files/parse-upload.js';
import { safeFileName } from '../../core/files/safe-name.js';
import { contentDisposition, serveFile } from '../../core/files/serve-file.js';
import { fileUrl, URL_KEY } from '../../core/files/file-url.js';
import addFileUrlKeys from '../../modules/main/migrations/2026-12-03-12-add-file-url-keys.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

const MAX = 1024;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Every regular file under dir (recursively). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
const uploadTemps = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith('portal-upload-'));

describe('safe file names', () => {
  it('strips path parts, control and reserved characters, and leading dots', () => {
    assert.equal(safeFileName('../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('C:\\Users\\me\\report.pdf'), 'report.pdf');
    assert.equal(safeFileName('.htaccess'), 'htaccess');
    assert.equal(safeFileName('a\u0000b\u202Egnp.exe'), 'abgnp.exe');
    assert.equal(safeFileName('what?<is>:"this"|*.txt'), 'whatisthis.txt');
    assert.equal(safeFileName('  many   spaces\there .doc '), 'many spaces here .doc');
    assert.equal(safeFileName('CON.txt'), '_CON.txt');
  });

  it('keeps Cyrillic and other letters', () => {
    assert.equal(safeFileName('Отчёт за 2026 год.xlsx'), 'Отчёт за 2026 год.xlsx');
    assert.equal(safeFileName('日本語.txt'), '日本語.txt');
  });

  it('limits the length in bytes and keeps the extension', () => {
    const long = safeFileName(`${'я'.repeat(300)}.pdf`);
    assert.ok(Buffer.byteLength(long) <= 200);
    assert.match(long, /^я+\.pdf$/);
  });

  it('falls back to "file"', () => {
    for (const empty of ['', '...', '/', '../..', '\u0000\u0001', '   ', null, undefined]) assert.equal(safeFileName(empty), 'file');
  });

  it('builds RFC 5987 Content-Disposition values', () => {
    assert.equal(
      contentDisposition('attachment', "Отчёт (1)'s.pdf"),
      `attachment; filename="_____ (1)'s.pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%281%29%27s.pdf`,
    );
  });
});

describeEachDb('files', (kind) => {
  let tk: TestKernel;
  let files: FileService;
  let uploadDir: string;

  before(async () => {
    tk = await bootTestKernel(kind);
    uploadDir = mkdtempSync(path.join(os.tmpdir(), 'portal-files-'));
    files = new FileService({ db: tk.kernel.db('main'), uploadDir, maxBytes: MAX });
  });

  after(async () => {
    await tk?.close();
    if (uploadDir) rmSync(uploadDir, { recursive: true, force: true });
  });

  it('is wired into the kernel with the configured limits', () => {
    assert.ok(tk.kernel.files instanceof FileService);
    assert.equal(tk.kernel.files.uploadDir, path.resolve(tk.kernel.config.paths.upload));
  });

  it('saves a buffer with checksum, size, safe name and a generated path', async () => {
    const content = Buffer.from('hello, мир\n');
    const f = await files.save({ module: 'forum', name: 'hello.txt', mimeType: 'text/plain; charset=utf-8', buffer: content, createdBy: 7 });
    assert.equal(f.module, 'forum');
    assert.equal(f.storage, 'local');
    assert.equal(f.size, content.length);
    assert.equal(f.checksum, sha256(content));
    assert.equal(f.mimeType, 'text/plain');
    assert.equal(f.name, 'hello.txt');
    assert.equal(f.originalName, 'hello.txt');
    assert.equal(f.createdBy, 7);
    assert.ok(Math.abs(f.createdAt.getTime() - Date.now()) < 60_000);
    const now = new Date();
    const ym = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    assert.match(f.path, new RegExp(`^forum/${ym}/[0-9a-f]{16}-hello\\.txt$`));
    assert.deepEqual(readFileSync(files.absolutePath(f)), content);
    assert.deepEqual(await files.get(f.id), f);
  });

  it('saves from a stream and from a temp file path; bad mime types become octet-stream', async () => {
    const chunks = [Buffer.alloc(300, 1), Buffer.alloc(300, 2), Buffer.alloc(300, 3)];
    const f = await files.save({ module: 'docs', name: 'data.bin', mimeType: 'not a mime', stream: Readable.from(chunks) });
    assert.equal(f.size, 900);
    assert.equal(f.checksum, sha256(Buffer.concat(chunks)));
    assert.equal(f.mimeType, 'application/octet-stream');

    const tmp = path.join(uploadDir, '..', `portal-files-src-${process.pid}.txt`);
    writeFileSync(tmp, 'from a path');
    try {
      const g = await files.save({ module: 'docs', name: 'p.txt', mimeType: 'text/plain', path: tmp });
      assert.equal(readFileSync(files.absolutePath(g), 'utf8'), 'from a path');
      assert.equal(g.checksum, sha256('from a path'));
    } finally {
      rmSync(tmp, { force: true });
    }
    const listed = await files.listByModule('docs');
    assert.deepEqual(listed.map((x) => x.name), ['data.bin', 'p.txt']);
  });

  it('never uses the client path: traversal names and Cyrillic names', async () => {
    const evil = await files.save({ module: 'forum', name: '../../etc/passwd', buffer: Buffer.from('x') });
    assert.equal(evil.name, 'passwd');
    assert.equal(evil.originalName, '../../etc/passwd');
    assert.ok(files.absolutePath(evil).startsWith(path.resolve(uploadDir) + path.sep));
    assert.doesNotMatch(evil.path, /\.\./);

    const ru = await files.save({ module: 'forum', name: 'Отчёт за ноябрь.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF') });
    assert.equal(ru.name, 'Отчёт за ноябрь.pdf');
    assert.match(ru.path, /-Отчёт за ноябрь\.pdf$/);
    assert.ok(existsSync(files.absolutePath(ru)));

    assert.throws(() => files.absolutePath({ path: '../outside.txt' }), { code: 'FILE_PATH_INVALID' });
    await assert.rejects(files.save({ module: '../x', name: 'a', buffer: Buffer.from('a') }), { code: 'FILE_INPUT_INVALID', status: 400 });
  });

  it('rejects files over the limit with 413 and leaves nothing behind', async () => {
    const before = filesUnder(uploadDir).length;
    const count = (await tk.kernel.db('main').read('files').count({ n: '*' }).first()) as { n: unknown };
    for (const source of [{ buffer: Buffer.alloc(MAX + 1) }, { stream: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]) }]) {
      await assert.rejects(files.save({ module: 'forum', name: 'big.bin', ...source }), (err: unknown) => {
        assert.ok(isPortalError(err));
        assert.equal(err.code, 'FILE_TOO_LARGE');
        assert.equal(err.status, 413);
        assert.match(err.message, /1 KB \(1024 bytes\)/);
        return true;
      });
    }
    // A source that fails at once races the temp file's opening; repeat it so a leftover would show.
    for (let i = 0; i < 100; i++) await assert.rejects(files.save({ module: 'forum', name: 'big.bin', buffer: Buffer.alloc(MAX + 1) }));
    assert.equal(filesUnder(uploadDir).length, before, 'no temp or final file left');
    const after = (await tk.kernel.db('main').read('files').count({ n: '*' }).first()) as { n: unknown };
    assert.equal(Number(after.n), Number(count.n), 'no row recorded');
    const exact = await files.save({ module: 'forum', name: 'exact.bin', buffer: Buffer.alloc(MAX) });
    assert.equal(exact.size, MAX);
  });

  it('gives every file a random 128-bit URL key; its URL needs the key, and a wrong one finds nothing', async () => {
    const saved = await Promise.all(Array.from({ length: 20 }, (_, i) => files.save({ module: 'keys', name: `Отчёт ${i}.txt`, buffer: Buffer.from('k') })));
    const keys = saved.map((f) => f.urlKey);
    assert.ok(keys.every((k) => URL_KEY.test(k) && Buffer.from(k, 'base64url').length === 16), 'base64url of 16 bytes');
    assert.equal(new Set(keys).size, keys.length, 'no two files share a key');
    const f = saved[0]!;
    assert.equal(files.url(f), `/upload/${f.id}/${f.urlKey}/${encodeURIComponent('Отчёт 0.txt')}`);
    assert.equal(fileUrl(f), files.url(f));
    assert.equal(await files.urlOf(f.id), files.url(f));
    assert.equal(await files.urlOf(987654), null);
    assert.equal(await files.urlOf(null), null);
    assert.deepEqual(await files.byUrl(f.id, f.urlKey), f);
    for (const wrong of [saved[1]!.urlKey, f.urlKey.toLowerCase() === f.urlKey ? f.urlKey.toUpperCase() : f.urlKey.toLowerCase(), f.urlKey.slice(1), '', `${f.urlKey}A`]) {
      assert.equal(await files.byUrl(f.id, wrong), null, `key "${wrong}"`);
    }
    assert.equal(await files.byUrl(987654, f.urlKey), null);

    const cached = await tk.kernel.files.save({ module: 'keys', name: 'c.txt', buffer: Buffer.from('c') });
    assert.equal(await tk.kernel.files.urlOf(cached.id), tk.kernel.files.url(cached), 'the kernel caches URLs');
    await tk.kernel.files.delete(cached.id);
    assert.equal(await tk.kernel.files.urlOf(cached.id), null, 'until the file is deleted');
  });

  it('the URL-key migration gives files stored before it a key each, and goes down again', async () => {
    const db = tk.kernel.db('main');
    const before = await files.save({ module: 'keys', name: 'old.txt', buffer: Buffer.from('old') });
    await addFileUrlKeys.down(db);
    assert.equal(await db.schema.hasColumn(db.table('files'), 'url_key'), false);
    const stored = await files.get(before.id);
    assert.equal(stored.urlKey, '', 'no key without the column');
    assert.equal(await files.byUrl(before.id, ''), null, 'a file without a key matches no URL');
    await addFileUrlKeys.up(db);
    const keys = (await db.write('files').pluck('url_key')) as string[];
    assert.ok(keys.length > 1 && keys.every((k) => URL_KEY.test(k)), 'every existing file got a key');
    assert.equal(new Set(keys).size, keys.length);
    const after = await files.get(before.id);
    assert.notEqual(after.urlKey, before.urlKey, 'a new key: old URLs stop working');
    assert.deepEqual(await files.byUrl(after.id, after.urlKey), after);
  });

  it('deletes the row and the bytes', async () => {
    const f = await files.save({ module: 'trash', name: 'gone.txt', buffer: Buffer.from('bye') });
    const abs = files.absolutePath(f);
    assert.ok(existsSync(abs));
    await files.delete(f.id);
    assert.equal(existsSync(abs), false);
    await assert.rejects(files.get(f.id), { code: 'FILE_NOT_FOUND', status: 404 });
    await assert.rejects(files.delete(f.id), { code: 'FILE_NOT_FOUND' });
  });

  it('shows only safe types inline', () => {
    for (const t of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain', 'application/pdf']) {
      assert.equal(files.disposition({ mimeType: t }), 'inline', t);
    }
    for (const t of ['text/html', 'image/svg+xml', 'application/javascript', 'text/javascript', 'application/xhtml+xml', 'application/octet-stream', 'x']) {
      assert.equal(files.disposition({ mimeType: t }), 'attachment', t);
    }
  });

  describe('over HTTP (serveFile + parseMultipart)', () => {
    let server: Server;
    let base: string;

    before(async () => {
      const app = new Koa();
      app.silent = true;
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          ctx.status = isPortalError(err) ? err.status : 500;
          ctx.body = isPortalError(err) ? err.toJSON() : { code: 'INTERNAL', message: String(err) };
        }
      });
      app.use(async (ctx) => {
        if (ctx.method === 'POST' && ctx.path === '/upload') {
          const upload = await parseMultipart(ctx, { maxBytes: MAX, maxFiles: 2 });
          try {
            const stored = [];
            for (const u of upload.files) stored.push(await files.save({ module: 'http', name: u.name, mimeType: u.mimeType, path: u.tmpPath }));
            ctx.body = { fields: upload.fields, files: stored, tmpPaths: upload.files.map((u) => u.tmpPath) };
          } finally {
            await discardUploads(upload.files);
          }
          return;
        }
        const m = /^\/files\/(\d+)$/.exec(ctx.path);
        if (m) return serveFile(ctx, files, await files.get(Number(m[1])));
        ctx.status = 404;
      });
      server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

    const upload = (form: FormData) => fetch(`${base}/upload`, { method: 'POST', body: form });

    it('uploads a file and serves it back as an attachment with nosniff', async () => {
      const html = '<script>alert(1)</script>';
      const form = new FormData();
      form.set('title', 'Заголовок');
      form.set('file', new Blob([html], { type: 'text/html' }), 'Отчёт <1>.html');
      const res = await upload(form);
      assert.equal(res.status, 200);
      const body = (await res.json()) as { fields: Record<string, string>; files: { id: number; name: string; mimeType: string; size: number }[]; tmpPaths: string[] };
      assert.deepEqual(body.fields, { title: 'Заголовок' });
      assert.equal(body.files.length, 1);
      const stored = body.files[0]!;
      assert.equal(stored.name, 'Отчёт 1.html');
      assert.equal(stored.mimeType, 'text/html');
      assert.equal(stored.size, Buffer.byteLength(html));
      for (const p of body.tmpPaths) assert.equal(existsSync(p), false, 'temp file removed');

      const got = await fetch(`${base}/files/${stored.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'text/html');
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(got.headers.get('cache-control'), 'private');
      assert.equal(got.headers.get('content-length'), String(Buffer.byteLength(html)));
      assert.equal(
        got.headers.get('content-disposition'),
        `attachment; filename="_____ 1.html"; filename*=UTF-8''${encodeURIComponent('Отчёт 1.html')}`,
      );
      assert.equal(await got.text(), html);

      const etag = got.headers.get('etag')!;
      const again = await fetch(`${base}/files/${stored.id}`, { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' } });
      assert.equal(again.status, 304);
    });

    it('serves safe images inline', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const form = new FormData();
      form.set('file', new Blob([png], { type: 'image/png' }), 'pic.png');
      const body = (await (await upload(form)).json()) as { files: { id: number }[] };
      const got = await fetch(`${base}/files/${body.files[0]!.id}`);
      assert.equal(got.headers.get('content-type'), 'image/png');
      assert.match(got.headers.get('content-disposition')!, /^inline; filename="pic\.png"/);
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
    });

    it('answers 413 for too large uploads and leaves no temp files', async () => {
      const tempsBefore = uploadTemps().length;
      const stored = filesUnder(uploadDir).length;
      const form = new FormData();
      form.set('file', new Blob([Buffer.alloc(MAX * 64, 0x61)], { type: 'text/plain' }), 'big.txt');
      const res = await upload(form);
      assert.equal(res.status, 413);
      assert.equal(((await res.json()) as { code: string }).code, 'FILE_TOO_LARGE');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(uploadTemps().length, tempsBefore);
      assert.equal(filesUnder(uploadDir).length, stored);
    });

    it('answers 400 for too many files or a malformed body, 415 for non-multipart, 404 for unknown files', async () => {
      const form = new FormData();
      for (const n of ['a', 'b', 'c']) form.append('file', new Blob([n], { type: 'text/plain' }), `${n}.txt`);
      const many = await upload(form);
      assert.equal(many.status, 400);
      assert.equal(((await many.json()) as { code: string }).code, 'BAD_REQUEST');

      const broken = await fetch(`${base}/upload`, {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=XYZ' },
        body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated',
      });
      assert.equal(broken.status, 400);

      const json = await fetch(`${base}/upload`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.equal(json.status, 415);

      assert.equal((await fetch(`${base}/files/999999`)).status, 404);
    });
  });
});
