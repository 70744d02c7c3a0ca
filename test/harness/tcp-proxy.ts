import net from 'node:net';

/**
 * A TCP relay on a loopback port in front of a real server, whose link can be cut and
 * restored: what one node sees when its network to memcached fails while other nodes
 * still reach it. `cut('refuse')` drops every connection and refuses new ones;
 * `cut('blackhole')` keeps every connection open and accepts new ones, but forwards
 * nothing either way (packets lost on the way: the client only sees silence).
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly links = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private mode: 'open' | 'refuse' | 'blackhole' = 'open';
  port = 0;
  /** Connections accepted so far (each is one connection attempt of a client). */
  accepted = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: string): Promise<TcpProxy> {
    const [host, port] = target.split(':');
    const proxy = new TcpProxy({ host: host!, port: Number(port) });
    await proxy.listen();
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async cut(how: 'refuse' | 'blackhole' = 'refuse'): Promise<void> {
    this.mode = how;
    if (how === 'blackhole') {
      for (const { client, upstream } of this.links) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      return;
    }
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await this.stopListening();
  }

  /** Accepts and forwards again; connections silenced by a blackhole are dropped. */
  async restore(): Promise<void> {
    if (this.mode === 'blackhole') {
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    }
    this.mode = 'open';
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.cut('refuse');
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    this.track(client);
    if (this.mode === 'blackhole') return; // reads nothing, answers nothing
    const upstream = net.connect(this.target);
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const link = { client, upstream };
    this.links.add(link);
    const end = () => (this.links.delete(link), client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
  }
}
