import { webErrors } from './errors.js';
import type { WebNode } from './types.js';

export interface NginxConfigOptions {
  /** The upstream's name. */
  upstream?: string;
  /** `listen` of the server block (default 80). */
  listen?: string;
  serverName?: string;
  /** How many nodes one request may try (default: all of them). */
  tries?: number;
  /** Seconds to connect to a node before trying the next (default 2). */
  connectTimeoutS?: number;
  /** Seconds a node that failed is left out (default 10). */
  failTimeoutS?: number;
  /** Largest upload accepted (nginx client_max_body_size), e.g. "64m". */
  maxBodySize?: string;
}

/**
 * The nginx config for all web nodes: an upstream of every node, and a server that passes
 * requests to it the way the portal expects behind a proxy (Host, X-Forwarded-Proto/For).
 * `proxy_next_upstream error timeout http_502 http_503 http_504` with as many tries as there
 * are nodes: a node that is dead (refused, reset, no answer) or draining (503) costs a retry
 * on the next node, not a failed request. nginx never resends a POST that reached a node
 * (non_idempotent is left out on purpose: a write must not be applied twice).
 */
export function nginxConfig(nodes: Pick<WebNode, 'host' | 'port'>[], options: NginxConfigOptions = {}): string {
  if (nodes.length === 0) throw webErrors.WEB_NODE_INVALID('there is no web node to put behind nginx; add one with `portal cluster node add web --path DIR`');
  const name = options.upstream ?? 'portal_web';
  const failTimeout = options.failTimeoutS ?? 10;
  const servers = nodes.map((n) => `    server ${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port} max_fails=1 fail_timeout=${failTimeout}s;`);
  return [
    '# Written by `portal cluster nginx-config`; regenerate it after adding or removing a web node.',
    `upstream ${name} {`,
    ...servers,
    '    keepalive 32;',
    '}',
    '',
    'server {',
    `    listen ${options.listen ?? '80'};`,
    ...(options.serverName ? [`    server_name ${options.serverName};`] : []),
    `    client_max_body_size ${options.maxBodySize ?? '64m'};`,
    '',
    '    location / {',
    `        proxy_pass http://${name};`,
    '        proxy_http_version 1.1;',
    '        proxy_set_header Connection "";',
    '        proxy_set_header Host $host:$server_port;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        # A dead or draining node costs a retry on the next one, not a failed request.',
    '        proxy_next_upstream error timeout http_502 http_503 http_504;',
    `        proxy_next_upstream_tries ${options.tries ?? Math.max(2, nodes.length)};`,
    '        proxy_next_upstream_timeout 30s;',
    `        proxy_connect_timeout ${options.connectTimeoutS ?? 2}s;`,
    '        proxy_read_timeout 60s;',
    '    }',
    '}',
    '',
  ].join('\n');
}
