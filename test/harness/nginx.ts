import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ensureDebianPackages, NGINX } from './debian.js';
import { freePort, waitForPort } from './free-port.js';

export interface TlsProxy {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The self-signed certificate (PEM) clients must trust. */
  ca: string;
  stop(): Promise<void>;
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every Set-Cookie line. */
  cookies: string[];
  body: string;
}

/**
 * A private nginx on a free loopback port terminating TLS with a fresh self-signed
 * certificate (made by openssl) and passing requests to `upstream` the way a usual
 * reverse-proxy set-up does: Host, X-Forwarded-Proto and X-Forwarded-For.
 */
export async function startTlsProxy(upstream: string): Promise<TlsProxy> {
  await ensureDebianPackages([NGINX]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-nginx-'));
  for (const sub of ['logs', 'tmp']) mkdirSync(path.join(dir, sub));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  const port = await freePort();
  const tmp = path.join(dir, 'tmp');
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'logs', 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${path.join(tmp, k)};`),
    '  server {',
    `    listen 127.0.0.1:${port} ssl;`,
    `    ssl_certificate ${cert};`,
    `    ssl_certificate_key ${key};`,
    '    location / {',
    `      proxy_pass ${upstream};`,
    '      proxy_set_header Host $host:$server_port;',
    '      proxy_set_header X-Forwarded-Proto $scheme;',
    '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n'));
  const child = execa('/usr/sbin/nginx', ['-p', dir, '-c', conf], { stdio: 'ignore', reject: false });
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    const log = path.join(dir, 'logs', 'error.log');
    throw new Error(`nginx did not start: ${(err as Error).message}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  }
  return {
    url: `https://127.0.0.1:${port}`,
    ca: readFileSync(cert, 'utf8'),
    stop: async () => {
      child.kill('SIGTERM');
      await child.catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request over TLS trusting only `ca`; the body is read whole. */
export function httpsRequest(url: string, ca: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: opts.method ?? 'GET', headers: opts.headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const cookies = res.headers['set-cookie'] ?? [];
        resolve({ status: res.statusCode ?? 0, headers: res.headers, cookies, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
