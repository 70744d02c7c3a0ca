import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kernel } from '../kernel.js';
import { createHandler } from './app.js';
import { drainable, type DrainOptions } from './drain.js';

export { SHUTDOWN_DRAIN } from './drain.js';

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Stops accepting connections and resolves once the requests in flight are answered (each with
   * `Connection: close`) and every connection is closed; see DrainOptions. Without options idle
   * connections close at once and anything still open after 2 s is cut (tests, tools).
   */
  close(options?: DrainOptions): Promise<void>;
}


/** Serves the portal; starts the agent worker too when config.agents.runInWeb. */
export async function startServer(kernel: Kernel, opts: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const server = http.createServer(createHandler(kernel));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const { drain } = drainable(server);
  const host = opts.host ?? kernel.config.http.host;
  const port = opts.port ?? kernel.config.http.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  if (kernel.config.agents.runInWeb) kernel.agents.start(kernel.config.agents.pollSeconds);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
  kernel.log.info({ url }, 'portal listening');
  return {
    url,
    port: actual,
    close: (options = { idleGraceMs: 0, timeoutMs: 2000 }) => drain(options),
  };
}
