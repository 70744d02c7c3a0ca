import net from 'node:net';

export interface MemcachedStats {
  address: string;
  up: boolean;
  error?: string;
  hits?: number;
  misses?: number;
  evictions?: number;
  bytes?: number;
  limitBytes?: number;
  items?: number;
  uptimeSeconds?: number;
}

/** `stats` of one memcached node (text protocol), or up: false with why, within `timeoutMs`. */
export function memcachedStats(address: string, timeoutMs = 1000): Promise<MemcachedStats> {
  const [host, portText] = splitHostPort(address);
  return new Promise((resolve) => {
    let buffer = '';
    const socket = net.connect({ host, port: Number(portText) });
    const finish = (result: MemcachedStats) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish({ address, up: false, error: `no answer within ${timeoutMs} ms` }));
    socket.once('error', (err) => finish({ address, up: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    socket.once('connect', () => socket.write('stats\r\n'));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (!buffer.includes('END\r\n')) return;
      const stats = new Map<string, string>();
      for (const line of buffer.split('\r\n')) {
        const m = /^STAT (\S+) (.*)$/.exec(line);
        if (m) stats.set(m[1]!, m[2]!);
      }
      const n = (k: string) => (stats.has(k) ? Number(stats.get(k)) : undefined);
      finish({ address, up: true, hits: n('get_hits'), misses: n('get_misses'), evictions: n('evictions'), bytes: n('bytes'), limitBytes: n('limit_maxbytes'), items: n('curr_items'), uptimeSeconds: n('uptime') });
    });
  });
}

function splitHostPort(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  return i > 0 ? [address.slice(0, i), address.slice(i + 1)] : [address, '11211'];
}
