import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

/** What was read of a request body while peeking; parseMultipart parses it first. */
export interface PeekedBody {
  chunks: Buffer[];
  /** The whole body was read. */
  ended: boolean;
}

const peeked = new WeakMap<IncomingMessage, PeekedBody>();

/** Takes the bytes a peek read (once); undefined when nothing was peeked. */
export function takePeekedBody(req: IncomingMessage): PeekedBody | undefined {
  const body = peeked.get(req);
  peeked.delete(req);
  return body;
}

/** Throws away the rest of a peeked body nobody parsed, so the connection can serve the next request. */
export function drainPeekedBody(req: IncomingMessage): void {
  if (takePeekedBody(req)) req.resume();
}

/**
 * Reads a multipart/form-data body only as far as the text field `name` and returns its
 * value, keeping the bytes for the real parser (takePeekedBody). Null when a file part
 * comes first, the field is not within the first `maxBytes`, or the body is not valid
 * multipart. Nothing touches the disk.
 */
export function peekMultipartField(req: IncomingMessage, name: string, maxBytes = 64 * 1024): Promise<string | null> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fieldSize: maxBytes } });
    } catch {
      return resolve(null);
    }
    const body: PeekedBody = { chunks: [], ended: false };
    let size = 0;
    let settled = false;
    const finish = (value: string | null) => {
      if (settled) return;
      settled = true;
      req.pause();
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      peeked.set(req, body);
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      parser.destroy();
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      body.chunks.push(chunk);
      if (size > maxBytes) return finish(null); // the field did not come within the bytes already parsed
      size += chunk.length;
      parser.write(chunk);
    };
    const onEnd = () => {
      body.ended = true;
      parser.end();
    };
    const onError = () => finish(null);
    parser.on('field', (field: string, value: string) => void (field === name && finish(value)));
    parser.on('file', (_field: string, stream: NodeJS.ReadableStream) => {
      stream.on('error', () => undefined); // destroying the parser ends it with "Unexpected end of file"
      stream.resume();
      finish(null);
    });
    parser.on('error', onError);
    parser.on('close', () => finish(null));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
  });
}
