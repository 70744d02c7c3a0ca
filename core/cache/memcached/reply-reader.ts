/** One unit of a memcached text-protocol reply stream. */
export type ReplyPart = { type: 'line'; line: string } | { type: 'value'; key: string; data: Buffer };

const CRLF = Buffer.from('\r\n');
/** Longest reply line we accept (VALUE lines carry a key of at most 250 bytes). */
const MAX_LINE = 8192;

/**
 * Splits the bytes memcached sends into reply lines and complete VALUE blocks
 * (`VALUE <key> <flags> <bytes>[ <cas>]\r\n<data>\r\n`), however the socket chunks them.
 * Throws on bytes that cannot be a reply; the connection is then unusable.
 */
export class ReplyReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The VALUE header being read, while its data block is incomplete. */
  private value: { key: string; bytes: number } | undefined;

  push(chunk: Buffer): ReplyPart[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const parts: ReplyPart[] = [];
    for (;;) {
      if (this.value) {
        const need = this.value.bytes + 2;
        if (this.buffered < need) return parts;
        const block = this.take(need);
        if (block[need - 2] !== 13 || block[need - 1] !== 10) throw new Error('memcached reply: data block not followed by CRLF');
        parts.push({ type: 'value', key: this.value.key, data: block.subarray(0, need - 2) });
        this.value = undefined;
        continue;
      }
      const buf = this.joined();
      const end = buf.indexOf(CRLF);
      if (end < 0) {
        if (this.buffered > MAX_LINE) throw new Error('memcached reply: line too long');
        return parts;
      }
      const line = this.take(end + 2).toString('latin1', 0, end);
      if (line.startsWith('VALUE ')) this.value = parseValueHeader(line);
      else parts.push({ type: 'line', line });
    }
  }

  private joined(): Buffer {
    if (this.chunks.length === 0) return Buffer.alloc(0);
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const buf = this.joined();
    const out = buf.subarray(0, n);
    const rest = buf.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}

function parseValueHeader(line: string): { key: string; bytes: number } {
  const [, key, , bytes] = line.split(' ');
  const n = Number(bytes);
  if (!key || !Number.isSafeInteger(n) || n < 0) throw new Error(`memcached reply: bad header "${line.slice(0, 80)}"`);
  return { key, bytes: n };
}
