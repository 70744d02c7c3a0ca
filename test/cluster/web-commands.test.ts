import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../../core/config/paths.js';
import { deployCommand, nginxConfigCommand, nodeAddWebCommand } from '../../modules/cluster/web/commands.js';
import { JsonFileWebNodeStore } from '../../modules/cluster/web/json-file-store.js';
import type { WebDeps } from '../../modules/cluster/web/types.js';
import { ensureDebianPackages, NGINX } from '../harness/debian.js';

/** The command builders on an empty JSON registry: parsing, refusals, and a config nginx accepts. */
describe('cluster: web node commands', function () {
  this.timeout(30_000);
  let dir: string;
  let deps: WebDeps;
  const lines: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-webcmd-'));
    lines.length = 0;
    deps = { webNodes: new JsonFileWebNodeStore(path.join(dir, 'nodes.json')), source: projectRoot, varDir: path.join(dir, 'var'), log: (l) => lines.push(l) };
    mkdirSync(deps.varDir);
    writeFileSync(path.join(deps.varDir, 'settings.json'), '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (cmd: ReturnType<typeof nodeAddWebCommand>, args: string[]) => cmd.exitOverride().configureOutput({ writeErr: () => undefined }).parseAsync(args, { from: 'user' });
  const code = (c: string) => (err: Error & { code?: string }) => err.code === c && !err.message.includes('\n');

  it('node add web refuses a folder that is not empty, a bad port and a missing --path, leaving the registry empty', async () => {
    const full = path.join(dir, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'f'), '');
    await assert.rejects(run(nodeAddWebCommand(deps), ['--path', full]), code('WEB_NODE_PATH_IN_USE'));
    await assert.rejects(run(nodeAddWebCommand(deps), ['--path', path.join(dir, 'n'), '--port', '70000']), /must be a whole number from 1 to 65535/);
    await assert.rejects(run(nodeAddWebCommand(deps), []), /--path/);
    await assert.rejects(run(nodeAddWebCommand(async () => deps), ['--path', 'relative/dir']), code('WEB_NODE_INVALID'));
    await assert.rejects(run(nodeAddWebCommand(deps), ['--path', path.join(projectRoot, 'node-inside')]), (err: Error & { code?: string }) => err.code === 'WEB_NODE_INVALID' && /inside the portal/.test(err.message));
    await assert.rejects(run(nodeAddWebCommand({ ...deps, varDir: path.join(dir, 'no-var') }), ['--path', path.join(dir, 'fresh')]), (err: Error & { code?: string }) => err.code === 'WEB_NODE_INVALID' && /no settings\.json/.test(err.message));
    assert.deepEqual(await deps.webNodes.list(), []);
  });

  it('deploy and nginx-config with no web node say what to do', async () => {
    await assert.rejects(run(deployCommand(deps), []), (err: Error & { code?: string }) => err.code === 'WEB_NODE_INVALID' && /node add web/.test(err.message));
    await assert.rejects(run(nginxConfigCommand(deps), []), (err: Error & { code?: string }) => err.code === 'WEB_NODE_INVALID' && /node add web/.test(err.message));
  });

  it('nginx-config --out writes a config for every node that nginx -t accepts, with retries on the next node', async () => {
    await ensureDebianPackages([NGINX]);
    await deps.webNodes.add({ path: '/srv/a', host: '127.0.0.1', port: 3101 });
    await deps.webNodes.add({ path: '/srv/b', host: '::1', port: 3102 });
    const out = path.join(dir, 'conf', 'portal.conf');
    await run(nginxConfigCommand(deps), ['--out', out, '--listen', '127.0.0.1:18080', '--server-name', 'intranet.example.com']);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /server 127\.0\.0\.1:3101 /);
    assert.match(text, /server \[::1\]:3102 /);
    assert.match(text, /proxy_next_upstream error timeout http_502 http_503 http_504;/);
    assert.match(text, /proxy_next_upstream_tries 2;/);
    assert.doesNotMatch(text, /non_idempotent/);
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(conf, [`pid ${path.join(dir, 'nginx.pid')};`, `error_log ${path.join(dir, 'error.log')};`, 'events {}', 'http {', `  include ${out};`, '}', ''].join('\n'));
    const t = await execa('/usr/sbin/nginx', ['-t', '-p', dir, '-c', conf], { reject: false });
    assert.equal(t.exitCode, 0, t.stderr);
  });
});
