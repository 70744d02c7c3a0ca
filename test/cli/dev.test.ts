import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePort } from '../harness/free-port.js';
import { copyProject, type ProjectCopy } from '../harness/project-copy.js';
import { childEnv, ok, runCli } from './cli-harness.js';

/** Polls the page until `want` matches its text; returns the text, or throws with the last one after `ms`. */
async function pageMatching(url: string, want: RegExp, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let last = '(no answer)';
  for (;;) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200 && want.test(last)) return last;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${url} never matched ${want}; last answer: ${last.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `npm run dev` in a copy of the project: edits of sources and templates show up on the served page. */
describe('npm run dev (development loop)', () => {
  let copy: ProjectCopy;
  let dev: ResultPromise | undefined;
  let output = '';
  let url: string;
  const edit = (rel: string, from: string, to: string) => {
    const file = path.join(copy.root, rel);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(from), `${rel} contains ${from}`);
    writeFileSync(file, text.replace(from, to));
  };

  // The timeouts allow for a machine shared with other builds: a rebuild in watch mode then takes minutes, not seconds.
  before(async function () {
    this.timeout(300_000);
    copy = copyProject('portal-dev-');
    const port = await freePort();
    const env = { PORTAL_VAR_DIR: path.join(copy.root, 'var'), PORTAL_HTTP_HOST: '127.0.0.1', PORTAL_HTTP_PORT: String(port) };
    ok(await runCli(['install', '--yes', '--admin-password', 'Admin-pass-123'], env, { root: copy.root }));
    url = `http://127.0.0.1:${port}/auth/login/`;
    // Its own process group, so the loop and everything it started stop together.
    dev = execa('npm', ['run', 'dev'], { cwd: copy.root, env: childEnv(env), extendEnv: false, detached: true, reject: false, stdin: 'ignore', all: true });
    dev.all?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    await pageMatching(url, /Sign in to/, 240_000);
  });

  after(async function () {
    this.timeout(30_000);
    if (dev?.pid) {
      try {
        process.kill(-dev.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await dev;
    }
    copy?.remove();
  });

  it('restarts on a rebuilt source and serves the change', async function () {
    this.timeout(420_000);
    edit('modules/main/lang/en.ts', "SIGN_IN_TITLE: 'Sign in to #SITE#'", "SIGN_IN_TITLE: 'Welcome back to #SITE#'");
    await pageMatching(url, /<h1>Welcome back to /, 400_000).catch((err: Error) => assert.fail(`${err.message}\n--- dev output ---\n${output.slice(-3000)}`));
    assert.match(output, /dev: build done: restarting the portal/);
  });

  it('serves an edited template', async function () {
    this.timeout(120_000);
    edit('modules/main/views/login.eta', '<div class="card narrow">', '<div class="card narrow"><p id="dev-probe">edited while running</p>');
    await pageMatching(url, /<p id="dev-probe">edited while running<\/p>/, 90_000).catch((err: Error) => assert.fail(`${err.message}\n--- dev output ---\n${output.slice(-3000)}`));
  });

  it('stops the portal and the compiler with the loop', async function () {
    this.timeout(30_000);
    const group = dev!.pid!;
    process.kill(-group, 'SIGTERM');
    await dev!;
    dev = undefined;
    const alive = () => {
      try {
        process.kill(-group, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(alive(), false, 'no process of the loop is left');
    await assert.rejects(fetch(url), 'nothing answers any more');
  });
});
