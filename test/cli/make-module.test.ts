import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { projectRoot } from '../../core/config/paths.js';
import { assertOneLineError, childEnv, ok, runCli } from './cli-harness.js';

/** Left out of the project copy: installed packages are linked, state is not copied. */
const SKIP = new Set(['node_modules', 'var', '.git', '.pm2']);
const SKIP_NESTED = ['test/artifacts', 'bench/results'];

/**
 * `portal make module` writes into the project it runs from, so these tests run the CLI
 * of a throw-away copy of the project (sources and dist, node_modules linked) and never
 * touch the real modules/ folder.
 */
describe('portal make module (CLI)', () => {
  let root: string;
  let env: Record<string, string>;
  const file = (p: string) => readFileSync(path.join(root, p), 'utf8');

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'portal-scaffold-'));
    for (const entry of readdirSync(projectRoot)) {
      if (SKIP.has(entry)) continue;
      cpSync(path.join(projectRoot, entry), path.join(root, entry), {
        recursive: true,
        preserveTimestamps: true,
        filter: (src) => !SKIP_NESTED.some((p) => src.startsWith(path.join(projectRoot, p))),
      });
    }
    symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    env = { PORTAL_VAR_DIR: path.join(root, 'var') };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('refuses an invalid id or an existing folder in one line', async () => {
    assertOneLineError(await runCli(['make', 'module', 'Bad-Id'], env, { root }), /module id "Bad-Id" must be .*\[SCAFFOLD_INVALID\]$/);
    assertOneLineError(await runCli(['make', 'module', 'main'], env, { root }), /modules\/main already exists.*\[SCAFFOLD_EXISTS\]$/);
  });

  it('writes a module with manifest, migration, API, rights, route, lang and a test', async () => {
    const out = ok(await runCli(['make', 'module', 'demo_x'], env, { root }));
    assert.match(out, /npm run build && portal module install demo_x/);
    const manifest = file('modules/demo_x/module.ts');
    assert.match(manifest, /export default defineModule<DemoXApi>\(\{/);
    assert.match(manifest, /id: 'demo_x',\s+version: '0\.1\.0'/);
    assert.match(manifest, /dependencies: \{ main: '\^0\.1\.0' \}/);
    assert.match(manifest, /lang: \{ en, ru \}/);
    assert.match(manifest, /setup: \(ctx\) => createApi\(ctx\)/);
    const api = file('modules/demo_x/api.ts');
    assert.match(api, /export interface DemoXApi \{\s+list\(\): Promise<DemoXItem\[\]>;\s+add\(title: string\): Promise<DemoXItem>;/);
    assert.match(api, /interface ModuleApis \{\s+demo_x: DemoXApi;/);
    assert.match(api, /ctx;[\s\S]*db\.read\('items'\)/);
    const migrations = readdirSync(path.join(root, 'modules/demo_x/migrations'));
    const migration = migrations.find((m) => /^\d{4}-\d{2}-\d{2}-01-create-items\.ts$/.test(m));
    assert.ok(migration, migrations.join(', '));
    assert.match(file(`modules/demo_x/migrations/${migration}`), /createTable\(db\.table\('items'\)/);
    assert.match(file('modules/demo_x/routes.ts'), /router\.get\('\/demo_x\/', requireRight\(ctx\.kernel, 'demo_x\.items\.view'\)/);
    assert.match(file('modules/demo_x/rights.ts'), /'demo_x\.items\.view'/);
    assert.match(file('modules/demo_x/lang/ru.ts'), /TITLE: 'Demo x'/);
    assert.match(file('test/modules/demo_x.test.ts'), /describeEachDb\('module demo_x'/);
    assertOneLineError(await runCli(['make', 'module', 'demo_x'], env, { root }), /modules\/demo_x already exists/);
  });

  it('make component refuses bad names, unknown modules and existing folders in one line', async () => {
    assertOneLineError(await runCli(['make', 'component', 'NoDot'], env, { root }), /component name "NoDot" must be <module>\.<name>.*\[SCAFFOLD_INVALID\]$/);
    assertOneLineError(await runCli(['make', 'component', 'nosuch.thing'], env, { root }), /module "nosuch" does not exist.*\[SCAFFOLD_INVALID\]$/);
    ok(await runCli(['make', 'component', 'main.scaffold_probe'], env, { root }));
    assertOneLineError(await runCli(['make', 'component', 'main.scaffold_probe'], env, { root }), /already exists.*\[SCAFFOLD_EXISTS\]$/);
    rmSync(path.join(root, 'components/main.scaffold_probe'), { recursive: true, force: true });
  });

  it('the scaffold compiles, installs with `portal module install` and its own test passes; its component renders', async function () {
    this.timeout(180_000);
    const made = ok(await runCli(['make', 'component', 'demo_x.panel'], env, { root }));
    assert.match(made, /components\/demo_x\.panel\/component\.ts/);
    const tsc = await execa(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, reject: false });
    const ours = String(tsc.stdout).split('\n').filter((l) => /^(modules\/demo_x|test\/modules\/demo_x)/.test(l));
    assert.deepEqual(ours, [], 'no type error in the generated code');
    assert.ok(existsSync(path.join(root, 'dist/modules/demo_x/module.js')));

    ok(await runCli(['install', '--yes', '--admin-password', 'Admin-pass-123'], env, { root }));
    assert.match(ok(await runCli(['module', 'install', 'demo_x'], env, { root })), /Installed: demo_x/);
    const rows = JSON.parse(ok(await runCli(['module', 'list', '--json'], env, { root }))) as { id: string; installed: boolean }[];
    assert.equal(rows.find((r) => r.id === 'demo_x')?.installed, true);
    await assertComponentRenders(root, env);
    assert.match(ok(await runCli(['module', 'uninstall', 'demo_x'], env, { root })), /data were kept/);

    const mocha = await execa(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--timeout', '30000', 'dist/test/modules/demo_x.test.js'], {
      cwd: root,
      env: childEnv({}),
      extendEnv: false,
      reject: false,
    });
    assert.equal(mocha.exitCode, 0, String(mocha.stdout) + String(mocha.stderr));
    assert.match(String(mocha.stdout), /8 passing/);
  });
});

/** Boots the copy's own compiled kernel and renders the scaffolded component with its defaults. */
async function assertComponentRenders(root: string, env: Record<string, string>): Promise<void> {
  const load = (p: string) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const { loadConfig } = (await load('core/config/load-config.js')) as typeof import('../../core/config/load-config.js');
  const { Kernel } = (await load('core/kernel.js')) as typeof import('../../core/kernel.js');
  const { silentLogger } = (await load('core/log/logger.js')) as typeof import('../../core/log/logger.js');
  const kernel = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
  try {
    const site = await kernel.sites.resolve('localhost');
    const admin = (await kernel.users.findByLogin('admin'))!;
    const state = { site, language: 'en', user: admin, session: null, principal: await kernel.users.principalOf(admin), auth: 'session', csrfToken: '', requestId: 't' } as never;
    assert.ok(kernel.components.list().some((c) => c.name === 'demo_x.panel'), 'discovered');
    const html = await kernel.components.render(state, 'demo_x.panel');
    assert.match(html, /<h2>Panel<\/h2>/);
    assert.match(html, /Hello, Administrator\./);
    await assert.rejects(kernel.components.render(state, 'demo_x.panel', { heading: 'x'.repeat(101) }), /at most 100 characters/);
  } finally {
    await kernel.close();
  }
}
