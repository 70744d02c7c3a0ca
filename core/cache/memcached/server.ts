import { Connection, type ReplyKind } from './connection.js';
import { CacheUnavailableError, isCacheUnavailable } from './errors.js';

export interface ServerHooks {
  /** The server stopped answering; it is skipped until a background probe succeeds. */
  onDown(server: string, reason: string): void;
  /** A probe reached the server again after `downMs`. */
  onUp(server: string, downMs: number): void;
  /** A command failed for want of the server (counted for stats). */
  onFailure?(): void;
}

export interface ServerOptions {
  /** `host:port`, `host` (port 11211) or `[v6]:port`. */
  address: string;
  timeoutMs: number;
  /** Milliseconds between background probes while the server is down. */
  retryMs: number;
  hooks: ServerHooks;
}

/**
 * One memcached server behind a circuit breaker. While it is up, commands share one
 * pipelined connection. The first command that fails for want of the server marks it
 * down: from then on commands fail at once (no waiting, no retries) and a probe
 * (`version`) runs in the background every `retryMs` until the server answers again.
 */
export class MemcachedServer {
  readonly name: string;
  private readonly host: string;
  private readonly port: number;
  private connection: Connection | undefined;
  private downSince: number | undefined;
  private downReason = '';
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: ServerOptions) {
    const { host, port } = parseAddress(options.address);
    this.host = host;
    this.port = port;
    this.name = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  get isUp(): boolean {
    return this.downSince === undefined;
  }

  send(kind: 'line', command: Buffer | string): Promise<string>;
  send(kind: 'values', command: Buffer | string): Promise<Map<string, Buffer>>;
  async send(kind: ReplyKind, command: Buffer | string): Promise<string | Map<string, Buffer>> {
    if (this.closed) throw new CacheUnavailableError(this.name, 'client closed');
    if (this.downSince !== undefined) throw new CacheUnavailableError(this.name, `down since ${new Date(this.downSince).toISOString()} (${this.downReason})`);
    if (!this.connection?.usable) this.connection = this.connect();
    try {
      return await this.connection.send(kind as 'line', command);
    } catch (err) {
      if (isCacheUnavailable(err)) {
        this.options.hooks.onFailure?.();
        this.markDown(err);
      }
      throw err;
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.connection?.close();
    this.connection = undefined;
  }

  private connect(): Connection {
    return new Connection({ host: this.host, port: this.port, name: this.name, timeoutMs: this.options.timeoutMs });
  }

  private markDown(err: CacheUnavailableError): void {
    if (this.closed || this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.downReason = err.message.replace(/^memcached \S+ unavailable: /, '');
    this.connection?.close();
    this.connection = undefined;
    this.options.hooks.onDown(this.name, this.downReason);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.options.retryMs);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    const candidate = this.connect();
    try {
      await candidate.send('line', 'version\r\n');
    } catch {
      candidate.close();
      this.scheduleProbe();
      return;
    }
    if (this.closed) return candidate.close();
    const downMs = Date.now() - (this.downSince ?? Date.now());
    this.connection = candidate;
    this.downSince = undefined;
    this.options.hooks.onUp(this.name, downMs);
  }
}

/** `host:port` as the server names itself (the default port filled in). */
export function normalizeAddress(address: string): string {
  const { host, port } = parseAddress(address);
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function parseAddress(address: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  const [host, port] = v6 ? [v6[1]!, v6[2]] : address.includes(':') ? [address.slice(0, address.lastIndexOf(':')), address.slice(address.lastIndexOf(':') + 1)] : [address, undefined];
  const n = port === undefined ? 11211 : Number(port);
  if (!host || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`memcached server "${address}" is not host:port`);
  return { host, port: n };
}
