import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type Koa from 'koa';
import { coreErrors } from '../errors/codes.js';
import { tooLarge } from './file-errors.js';
import { takePeekedBody } from './multipart-peek.js';

export interface UploadedFile {
  /** The form field name. */
  field: string;
  /** The client's file name (make it safe before use; FileService.save does). */
  name: string;
  mimeType: string;
  /** Temp file under os.tmpdir(); removed when the response ends, or by discardUploads. */
  tmpPath: string;
  size: number;
}

export interface ParsedUpload {
  /** The last value of each field. */
  fields: Record<string, string>;
  /** Every value of each field in the order sent (repeated fields, multi-selects). */
  values: Record<string, string[]>;
  files: UploadedFile[];
}

export interface ParseUploadOptions {
  /** Per file. */
  maxBytes: number;
  maxFiles?: number;
  maxFields?: number;
  maxFieldBytes?: number;
}

/** Removes upload temp files (safe to call twice). */
export async function discardUploads(files: readonly Pick<UploadedFile, 'tmpPath'>[]): Promise<void> {
  await Promise.all(files.map((f) => unlink(f.tmpPath).catch(() => undefined)));
}

interface PendingFile {
  entry: UploadedFile;
  source: Readable;
  out: WriteStream;
  closed: Promise<void>;
}

/**
 * Streams a multipart/form-data request: files go to temp files (limits enforced while
 * streaming), fields are collected. On any error every temp file is removed.
 */
export function parseMultipart(ctx: Koa.Context, options: ParseUploadOptions): Promise<ParsedUpload> {
  const { maxBytes, maxFiles = 10, maxFields = 100, maxFieldBytes = 64 * 1024 } = options;
  if (!/^multipart\/form-data\b/i.test(ctx.get('Content-Type'))) {
    return Promise.reject(coreErrors.UNSUPPORTED_MEDIA_TYPE('Expected a multipart/form-data upload'));
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: ctx.req.headers,
      defParamCharset: 'utf8',
      limits: { fileSize: maxBytes, files: maxFiles, fields: maxFields, fieldSize: maxFieldBytes, parts: maxFiles + maxFields },
    });
  } catch (err) {
    return Promise.reject(coreErrors.BAD_REQUEST(`Malformed multipart request: ${(err as Error).message}`));
  }

  const req = ctx.req;
  const fields: Record<string, string> = {};
  const values: Record<string, string[]> = {};
  const pending: PendingFile[] = [];

  return new Promise<ParsedUpload>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume(); // drain what the client still sends so it can read our answer
      for (const p of pending) p.source.destroy();
      void Promise.all(pending.map((p) => (p.out.destroy(), p.closed)))
        .then(() => discardUploads(pending.map((p) => p.entry)))
        .finally(() => reject(err));
    };

    parser.on('file', (field, source, info) => {
      if (settled || !info.filename) return void source.resume();
      const entry: UploadedFile = {
        field,
        name: info.filename,
        mimeType: info.mimeType,
        tmpPath: path.join(os.tmpdir(), `portal-upload-${randomBytes(12).toString('hex')}`),
        size: 0,
      };
      const out = createWriteStream(entry.tmpPath, { flags: 'wx', mode: 0o600 });
      const closed = new Promise<void>((r) => out.once('close', () => r()));
      pending.push({ entry, source, out, closed });
      source.on('data', (chunk: Buffer) => void (entry.size += chunk.length));
      source.once('limit', () => fail(tooLarge(maxBytes)));
      source.once('error', (err: Error) => fail(coreErrors.BAD_REQUEST(`Malformed multipart request: ${err.message}`)));
      out.once('error', (err) => fail(err));
      source.pipe(out);
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(coreErrors.BAD_REQUEST(`Form field "${name}" is longer than ${maxFieldBytes} bytes`));
      fields[name] = value;
      (Object.hasOwn(values, name) ? values[name]! : (values[name] = [])).push(value);
    });
    parser.once('filesLimit', () => fail(coreErrors.BAD_REQUEST(`At most ${maxFiles} files can be uploaded at once`)));
    parser.once('fieldsLimit', () => fail(coreErrors.BAD_REQUEST(`At most ${maxFields} form fields are allowed`)));
    parser.once('partsLimit', () => fail(coreErrors.BAD_REQUEST('The upload has too many parts')));
    parser.once('error', (err: Error) => fail(coreErrors.BAD_REQUEST(`Malformed multipart request: ${err.message}`)));
    parser.once('close', () => {
      void Promise.all(pending.map((p) => p.closed)).then(() => {
        if (settled) return;
        settled = true;
        const files = pending.map((p) => p.entry);
        ctx.res.once('close', () => void discardUploads(files));
        resolve({ fields, values, files });
      });
    });
    req.once('aborted', () => fail(coreErrors.BAD_REQUEST('The upload was interrupted')));
    req.once('error', (err) => fail(coreErrors.BAD_REQUEST(`The upload failed: ${err.message}`)));
    // The CSRF check may have read the start of the body already (peekMultipartField).
    const peeked = takePeekedBody(req);
    for (const chunk of peeked?.chunks ?? []) parser.write(chunk);
    if (peeked?.ended) parser.end();
    else req.pipe(parser);
  });
}
