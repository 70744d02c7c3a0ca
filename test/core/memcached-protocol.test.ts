import assert from 'node:assert/strict';
import { HashRing } from '../../core/cache/memcached/hash-ring.js';
import { ReplyReader, type ReplyPart } from '../../core/cache/memcached/reply-reader.js';
import { parseAddress } from '../../core/cache/memcached/server.js';

describe('memcached client: replies, servers, key distribution', () => {
  const stream = Buffer.from('STORED\r\nVALUE a 0 5\r\nhe\r\no\r\nVALUE long:key 0 0\r\n\r\nEND\r\n15\r\nSERVER_ERROR out of memory\r\n', 'latin1');

  function readAll(chunks: Buffer[]): ReplyPart[] {
    const reader = new ReplyReader();
    return chunks.flatMap((c) => reader.push(c));
  }

  it('reads lines and VALUE blocks however the socket splits them', () => {
    const whole = readAll([stream]);
    assert.deepEqual(
      whole.map((p) => (p.type === 'line' ? p.line : `${p.key}=${p.data.toString('latin1')}`)),
      ['STORED', 'a=he\r\no', 'long:key=', 'END', '15', 'SERVER_ERROR out of memory'],
    );
    const byteByByte = readAll([...stream].map((b) => Buffer.from([b])));
    assert.deepEqual(byteByByte, whole);
  });

  it('refuses bytes that are not a reply', () => {
    assert.throws(() => new ReplyReader().push(Buffer.from('VALUE a 0 2\r\nabcd\r\n')), /not followed by CRLF/);
    assert.throws(() => new ReplyReader().push(Buffer.from('VALUE a 0 x\r\n')), /bad header/);
    assert.throws(() => new ReplyReader().push(Buffer.alloc(10_000, 65)), /line too long/);
  });

  it('parses server addresses with the default port and IPv6 brackets', () => {
    assert.deepEqual(parseAddress('10.0.0.5:11311'), { host: '10.0.0.5', port: 11311 });
    assert.deepEqual(parseAddress('cache1'), { host: 'cache1', port: 11211 });
    assert.deepEqual(parseAddress('[::1]:11212'), { host: '::1', port: 11212 });
    assert.throws(() => parseAddress('host:99999'), /not host:port/);
  });

  it('spreads keys over servers and moves few of them when a server is added', () => {
    const names = ['a:11211', 'b:11211', 'c:11211'];
    const three = new HashRing(names.map((name) => ({ name, node: name })));
    const four = new HashRing([...names, 'd:11211'].map((name) => ({ name, node: name })));
    const counts = new Map<string, number>();
    let moved = 0;
    for (let i = 0; i < 3000; i++) {
      const owner = three.get(`key-${i}`);
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
      if (four.get(`key-${i}`) !== owner) moved++;
    }
    for (const n of names) assert.ok(counts.get(n)! > 600, `${n} holds ${counts.get(n)} of 3000`);
    assert.ok(moved < 1200, `${moved} of 3000 keys moved`);
  });
});
