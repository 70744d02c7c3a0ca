#!/usr/bin/env node
// `npm run dev`: the development loop. `tsc -b --watch` rebuilds dist/ on every source change; after each build
// without errors, and after a change to a template, stylesheet or script, the portal (`portal start`) is restarted.
// It runs with NODE_ENV=development (templates are read fresh) and without the whole-page cache.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Folders whose non-TypeScript files (templates, assets) the running portal reads. */
const WATCHED = ['templates', 'components', 'modules', 'docs/examples'];
const ASSET = /\.(eta|css|js|json|svg|png|woff2)$/;
const SETTLE_MS = 150;

const log = (text) => process.stdout.write(`dev: ${text}\n`);
let server = null;
let built = false;
let stopping = false;
let timer = null;
let queue = Promise.resolve();

function startServer() {
  const env = { ...process.env, NODE_ENV: 'development', PORTAL_PAGE_CACHE_SECONDS: process.env.PORTAL_PAGE_CACHE_SECONDS ?? '0' };
  const child = spawn(process.execPath, [path.join(root, 'bin/portal.js'), 'start'], { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (server === child) server = null;
    if (!stopping && !child.restarting) log(`the portal stopped (${signal ?? `exit ${code}`}); it starts again after the next change`);
  });
  server = child;
}

function stopServer() {
  const child = server;
  if (!child) return Promise.resolve();
  return new Promise((resolve) => {
    child.restarting = true;
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** Restarts once changes settle; restarts never overlap. */
function restartSoon(reason) {
  if (!built || stopping) return;
  clearTimeout(timer);
  timer = setTimeout(() => {
    queue = queue.then(async () => {
      log(`${reason}: ${server ? 'restarting' : 'starting'} the portal`);
      await stopServer();
      if (!stopping) startServer();
    });
  }, SETTLE_MS);
}

const tsc = spawn(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let pending = '';
tsc.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const m = /Found (\d+) errors?\. Watching for file changes/.exec(line);
    if (!m) continue;
    if (m[1] === '0') {
      built = true;
      restartSoon('build done');
    } else {
      log('the build has errors; the portal keeps running the last good build');
    }
  }
});
tsc.on('exit', (code) => {
  if (!stopping) log(`tsc stopped (exit ${code})`);
  void shutdown(code ?? 1);
});

for (const dir of WATCHED) {
  watch(path.join(root, dir), { recursive: true }, (_event, file) => {
    if (file && ASSET.test(String(file))) restartSoon(`${path.join(dir, String(file))} changed`);
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  clearTimeout(timer);
  tsc.kill('SIGTERM');
  await queue;
  await stopServer();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
