import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';

const CHUNK = 64 * 1024;

/** The last `count` lines of a file, read from its end (a log of gigabytes costs what the lines cost). */
export function lastLines(file: string, count: number): { lines: string[]; size: number } {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    let pos = size;
    let text = '';
    while (pos > 0 && text.split('\n').length <= count + 1) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, pos);
      text = buf.toString('utf8') + text;
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { lines: lines.slice(-count), size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Calls `onText` with what is appended to `file` after `from`, until the returned stop
 * function is called. Survives rotation: a file truncated in place (logrotate copytruncate)
 * is read again from its start, a file replaced by a new one (rename + create) from the new one's.
 */
export function followFile(file: string, from: number, onText: (text: string) => void, intervalMs = 250): () => void {
  let pos = from;
  let ino: number | undefined;
  const poll = (): void => {
    let st: Stats;
    try {
      st = statSync(file);
    } catch {
      return; // rotated away and not created again yet
    }
    if ((ino !== undefined && st.ino !== ino) || st.size < pos) pos = 0;
    ino = st.ino;
    if (st.size === pos) return;
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(st.size - pos);
      const read = readSync(fd, buf, 0, buf.length, pos);
      pos += read;
      onText(buf.subarray(0, read).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return () => clearInterval(timer);
}
