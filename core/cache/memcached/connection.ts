import net from 'node:net';
import { CacheCommandError, CacheUnavailableError } from './errors.js';
import { ReplyReader, type ReplyPart } from './reply-reader.js';

/** What a command expects back: one line, or VALUE blocks up to END. */
export type ReplyKind = 'line' | 'values';

interface Pending {
  kind: ReplyKind;
  resolve(reply: string | Map<string, Buffer>): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  values?: Map<string, Buffer>;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  /** The server's name in errors and logs (host:port). */
  name: string;
  /** Milliseconds for connecting and for each reply. */
  timeoutMs: number;
}

/**
 * One TCP connection to one memcached, speaking the text protocol. Commands are pipelined;
 * replies come back in order. Any socket error, a close with commands waiting, a reply
 * that is late or cannot be parsed fails every waiting command with CacheUnavailableError
 * and ends the connection for good (the owner opens a new one).
 */
export class Connection {
  private readonly socket: net.Socket;
  private readonly reader = new ReplyReader();
  private readonly queue: Pending[] = [];
  private connectTimer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;

  constructor(private readonly options: ConnectionOptions) {
    this.socket = net.connect({ host: options.host, port: options.port });
    this.socket.setNoDelay(true);
    this.connectTimer = setTimeout(() => this.lateUnless(() => this.connectTimer !== undefined, `no connection in ${options.timeoutMs} ms`), options.timeoutMs);
    this.socket.once('connect', () => {
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err.code ?? err.message));
    this.socket.on('close', () => this.fail('connection closed'));
  }

  /** Whether the connection can still take commands. */
  get usable(): boolean {
    return this.failure === undefined;
  }

  /** Sends one command; resolves with its reply line or its values. */
  send(kind: 'line', command: Buffer | string): Promise<string>;
  send(kind: 'values', command: Buffer | string): Promise<Map<string, Buffer>>;
  send(kind: ReplyKind, command: Buffer | string): Promise<string | Map<string, Buffer>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const pending: Pending = { kind, resolve, reject, timer: undefined as unknown as NodeJS.Timeout, values: kind === 'values' ? new Map() : undefined };
      pending.timer = setTimeout(() => this.lateUnless(() => this.queue.includes(pending), `no reply in ${this.options.timeoutMs} ms`), this.options.timeoutMs);
      this.queue.push(pending);
      this.socket.write(command);
    });
  }

  /** Ends the connection; waiting commands fail. */
  close(): void {
    this.fail('connection closed by the client');
  }

  private onData(chunk: Buffer): void {
    let parts: ReplyPart[];
    try {
      parts = this.reader.push(chunk);
    } catch (err) {
      this.fail((err as Error).message);
      return;
    }
    for (const part of parts) {
      const head = this.queue[0];
      if (!head) return this.fail('reply without a command');
      if (part.type === 'value') {
        if (!head.values) return this.fail(`unexpected VALUE ${part.key}`);
        head.values.set(part.key, part.data);
        continue;
      }
      this.queue.shift();
      clearTimeout(head.timer);
      if (isErrorLine(part.line)) head.reject(new CacheCommandError(this.options.name, part.line));
      else if (head.values) {
        if (part.line !== 'END') return this.fail(`unexpected reply "${part.line.slice(0, 80)}"`);
        head.resolve(head.values);
      } else head.resolve(part.line);
    }
  }

  /**
   * A timer fired. When this process was busy (a long synchronous task), the answer may be
   * waiting unread: timers run before I/O in Node's loop. Read first (setImmediate runs after
   * the I/O phase), and fail only if it is still missing.
   */
  private lateUnless(stillWaiting: () => boolean, reason: string): void {
    setImmediate(() => {
      if (stillWaiting()) this.fail(reason);
    });
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = new CacheUnavailableError(this.options.name, reason);
    clearTimeout(this.connectTimer);
    this.socket.destroy();
    for (const pending of this.queue.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(this.failure);
    }
  }
}

function isErrorLine(line: string): boolean {
  return line === 'ERROR' || line.startsWith('CLIENT_ERROR') || line.startsWith('SERVER_ERROR');
}
