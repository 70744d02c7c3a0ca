import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainable } from '../../core/http/drain.js';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/** A server whose /slow answers after `slowMs`, /stream never ends, everything else at once. */
async function serve(slowMs: number): Promise<{ server: http.Server; drain: ReturnType<typeof drainable>['drain']; port: number }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/stream') return void res.write('part');
    setTimeout(() => res.end('done'), req.url === '/slow' ? slowMs : 0);
  });
  const { drain } = drainable(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, drain, port: (server.address() as AddressInfo).port };
}

function get(port: number, path: string, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    }).on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('server drain (reload and stop without cutting a request)', () => {
  it('answers the request in flight with Connection: close, refuses new connections, resolves once all are closed', async () => {
    const { drain, port } = await serve(300);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const inFlight = get(port, '/slow', agent);
    await sleep(50);
    const drained = drain({ idleGraceMs: 1000, timeoutMs: 5000 });
    await sleep(20); // the listening socket closes on the next turn of the loop
    await assert.rejects(get(port, '/', false), /ECONNREFUSED/);
    assert.deepEqual(await inFlight, { status: 200, connection: 'close', body: 'done' });
    await drained;
    agent.destroy();
  });

  it('gives a keep-alive connection that just went idle the grace to bring its next request, answered and closed', async () => {
    const { drain, port } = await serve(0);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await get(port, '/', agent)).connection, 'keep-alive');
    const drained = drain({ idleGraceMs: 1000, timeoutMs: 5000 });
    await sleep(200); // the connection is idle and open: a request on it now must not fail
    assert.deepEqual(await get(port, '/', agent), { status: 200, connection: 'close', body: 'done' });
    await drained;
    agent.destroy();
  });

  it('closes a connection idle longer than the grace, and cuts a response still running at the timeout', async () => {
    const { drain, port } = await serve(0);
    const idle = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await get(port, '/', idle);
    const socket = (Object.values(idle.freeSockets)[0] ?? [])[0]!;
    let streamState = 'running';
    const stream = new Promise<void>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/stream', agent: false }, (res) => {
        res.on('data', () => undefined);
        res.on('error', () => undefined);
        res.on('close', () => {
          streamState = res.complete ? 'ended' : 'cut';
          resolve();
        });
      });
    });
    await sleep(100);
    const idleClosed = new Promise<string>((resolve) => socket.once('close', () => resolve(streamState)));
    await drain({ idleGraceMs: 50, timeoutMs: 600 });
    assert.equal(await idleClosed, 'running', 'the idle connection closed while the response still ran');
    await stream;
    assert.equal(streamState, 'cut');
    idle.destroy();
  });
});
