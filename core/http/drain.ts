import type http from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';

export interface DrainOptions {
  /**
   * How long a keep-alive connection must have been idle before it is closed. A client may be
   * sending its next request on it right now; closing it then fails that request, so during a
   * drain an idle connection gets this long to bring one (answered with `Connection: close`).
   */
  idleGraceMs?: number;
  /** After this, whatever is still open (slow downloads) is cut. */
  timeoutMs?: number;
}

/** What a stopping server process (SIGINT/SIGTERM, pm2's reload and stop) waits for; pm2's kill_timeout is longer. */
export const SHUTDOWN_DRAIN: Required<DrainOptions> = { idleGraceMs: 1000, timeoutMs: 10_000 };

interface Conn {
  active: Set<http.ServerResponse>;
  idleSince: number;
}

/**
 * Keeps track of a server's connections so it can stop without cutting a request: `drain()`
 * stops accepting, answers every request in flight or still arriving with `Connection: close`,
 * closes connections once they are idle, and resolves when none is left.
 */
export function drainable(server: http.Server): { drain(options?: DrainOptions): Promise<void> } {
  const conns = new Map<Socket, Conn>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    conns.set(socket, { active: new Set(), idleSince: Date.now() });
    socket.once('close', () => conns.delete(socket));
  });
  // Before the app's handler, so the response knows it is the connection's last before anything is written.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const conn = conns.get(req.socket);
    if (draining) res.shouldKeepAlive = false;
    if (!conn) return;
    conn.active.add(res);
    res.once('close', () => {
      conn.active.delete(res);
      conn.idleSince = Date.now();
    });
  });

  const drain = (options: DrainOptions = {}): Promise<void> => {
    const grace = options.idleGraceMs ?? 0;
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    draining = true;
    for (const conn of conns.values()) {
      for (const res of conn.active) if (!res.headersSent) res.shouldKeepAlive = false;
    }
    return new Promise<void>((resolve) => {
      // net's close, not http's: http.Server#close also closes idle connections at once (Node 19+),
      // which fails the request a keep-alive client is sending on one at that moment.
      net.Server.prototype.close.call(server, () => {
        clearInterval(timer);
        resolve();
      });
      const sweep = (): void => {
        const now = Date.now();
        for (const [socket, conn] of conns) {
          if (now >= deadline || (conn.active.size === 0 && now - conn.idleSince >= grace)) socket.destroy();
        }
      };
      const timer = setInterval(sweep, grace > 0 ? Math.min(50, grace) : 10);
      sweep();
    });
  };
  return { drain };
}
