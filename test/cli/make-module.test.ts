import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { HttpClient } from '../harness/http-client.js';
import { copyProject, type ProjectCopy } from '../harness/project-copy.js';
import { assertOneLineError, childEnv, ok, runCli } from './cli-harness.js';

/**
 * `portal make module` writes into the project it runs from, so these tests run the CLI
 * of a throw-away copy of the project (sources and dist, node_modules linked) and never
 * touch the real modules/ folder.
 */
describe('portal make module (CLI)', () => {
  let root: string;
  let env: Record<string, string>;
  const file = (p: string) => readFileSync(path.join(root, p), 'utf8');

  let copy: ProjectCopy;
  before(() => {
    copy = copyProject('portal-scaffold-');
    root = copy.root;
    env = { PORTAL_VAR_DIR: path.join(root, 'var') };
  });
  after(() => copy?.remove());

  it('refuses an invalid id or an existing folder in one line', async () => {
    assertOneLineError(await runCli(['make', 'module', 'Bad-Id'], env, { root }), /module id "Bad-Id" must be .*\[SCAFFOLD_INVALID\]$/);
    assertOneLineError(await runCli(['make', 'module', 'main'], env, { root }), /modules\/main already exists.*\[SCAFFOLD_EXISTS\]$/);
  });

  it('writes a module with manifest, migration, API, rights, routes, page, component, lang and a test', async () => {
    const out = ok(await runCli(['make', 'module', 'demo_x'], env, { root }));
    assert.match(out, /npm run build && portal module install demo_x/);
    const manifest = file('modules/demo_x/module.ts');
    assert.match(manifest, /export default defineModule<DemoXApi>\(\{/);
    assert.match(manifest, /id: 'demo_x',\s+version: '0\.1\.0'/);
    assert.match(manifest, /title: \{ en: 'Demo x', ru: 'Модуль «Demo x»' \}/);
    assert.match(manifest, /dependencies: \{ main: '\^0\.1\.0' \}/);
    assert.match(manifest, /lang: \{ en, ru \}/);
    assert.match(manifest, /pages: \[\{ path: '\/demo_x\/', [^\n]*access: 'demo_x\.items\.view', placements: \[\{ component: 'demo_x\.items' \}\]/);
    assert.match(manifest, /setup: \(ctx\) => createApi\(ctx\)/);
    const api = file('modules/demo_x/api.ts');
    assert.match(api, /export interface DemoXApi \{\s+list\(principal: Principal\): Promise<DemoXItem\[\]>;\s+add\(principal: Principal, title: string\): Promise<DemoXItem>;/);
    assert.match(api, /interface ModuleApis \{\s+demo_x: DemoXApi;/);
    assert.match(api, /async list\(principal\) \{\s+await kernel\.rights\.assert\(principal, 'demo_x\.items\.view'\);/);
    assert.match(api, /async add\(principal, title\) \{\s+await kernel\.rights\.assert\(principal, 'demo_x\.items\.add'\);/);
    const migrations = readdirSync(path.join(root, 'modules/demo_x/migrations'));
    const migration = migrations.find((m) => /^\d{4}-\d{2}-\d{2}-01-create-items\.ts$/.test(m));
    assert.ok(migration, migrations.join(', '));
    assert.match(file(`modules/demo_x/migrations/${migration}`), /createTable\(db\.table\('items'\)/);
    const routes = file('modules/demo_x/routes.ts');
    assert.doesNotMatch(routes, /createApi/, 'routes use the one API instance');
    assert.match(routes, /kernel\.api\('demo_x'\)\.list\(ctx\.state\.principal\)/);
    assert.doesNotMatch(routes, /router\.get\('\/demo_x\/'/, 'no bare HTML route over the page');
    assert.match(file('modules/demo_x/rights.ts'), /'demo_x\.items\.view'/);
    const ru = Object.entries(messagesOf(root, 'modules/demo_x/lang/ru.ts'));
    assert.ok(ru.length >= 5, 'the Russian messages were read');
    for (const [key, text] of ru) assert.match(text, /[А-Яа-яЁё]/, `ru ${key} is Russian: "${text}"`);
    assert.match(file('components/demo_x.items/templates/.default/template.eta'), /<%~ it\.csrfField %>/);
    assert.match(file('test/modules/demo_x.test.ts'), /describeEachDb\('module demo_x'/);
    assertOneLineError(await runCli(['make', 'module', 'demo_x'], env, { root }), /modules\/demo_x already exists/);
  });

  it('takes both titles, refuses a Russian title that is not Russian and an id that cannot be a page', async () => {
    const made = JSON.parse(ok(await runCli(['make', 'module', 'demo_y', '--title', "Team's tasks", '--title-ru', 'Задачи команды', '--json'], env, { root }))) as { files: string[] };
    assert.ok(made.files.includes('components/demo_y.items/component.ts'));
    assert.match(file('modules/demo_y/module.ts'), /title: \{ en: 'Team\\'s tasks', ru: 'Задачи команды' \}/);
    assert.match(file('modules/demo_y/lang/ru.ts'), /TITLE: 'Задачи команды'/);
    assertOneLineError(await runCli(['make', 'module', 'demo_z', '--title-ru', 'Tasks'], env, { root }), /--title-ru "Tasks" must be Russian.*\[SCAFFOLD_INVALID\]$/);
    assertOneLineError(await runCli(['make', 'module', 'api'], env, { root }), /module id "api" cannot name the module's page.*\[SCAFFOLD_INVALID\]$/);
    assert.equal(existsSync(path.join(root, 'modules/demo_z')), false, 'nothing written');
    for (const dir of ['modules/demo_y', 'components/demo_y.items', 'test/modules/demo_y.test.ts']) rmSync(path.join(root, dir), { recursive: true, force: true });
  });

  it('make component refuses bad names, unknown modules and existing folders in one line', async () => {
    assertOneLineError(await runCli(['make', 'component', 'NoDot'], env, { root }), /component name "NoDot" must be <module>\.<name>.*\[SCAFFOLD_INVALID\]$/);
    assertOneLineError(await runCli(['make', 'component', 'nosuch.thing'], env, { root }), /module "nosuch" does not exist.*\[SCAFFOLD_INVALID\]$/);
    ok(await runCli(['make', 'component', 'main.scaffold_probe'], env, { root }));
    assertOneLineError(await runCli(['make', 'component', 'main.scaffold_probe'], env, { root }), /already exists.*\[SCAFFOLD_EXISTS\]$/);
    rmSync(path.join(root, 'components/main.scaffold_probe'), { recursive: true, force: true });
  });

  it('the scaffold compiles, installs with `portal module install` and its own test passes; its component renders', async function () {
    this.timeout(420_000); // a full build, an install and two DB runs of the generated test; slow on a loaded machine
    const made = ok(await runCli(['make', 'component', 'demo_x.panel'], env, { root }));
    assert.match(made, /components\/demo_x\.panel\/component\.ts/);
    const tsc = await execa(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, reject: false });
    const ours = String(tsc.stdout).split('\n').filter((l) => /^(modules\/demo_x|components\/demo_x|test\/modules\/demo_x)/.test(l));
    assert.deepEqual(ours, [], 'no type error in the generated code');
    assert.ok(existsSync(path.join(root, 'dist/modules/demo_x/module.js')));

    ok(await runCli(['install', '--yes', '--admin-password', 'Admin-pass-123'], env, { root }));
    assert.match(ok(await runCli(['module', 'install', 'demo_x'], env, { root })), /Installed: demo_x/);
    const rows = JSON.parse(ok(await runCli(['module', 'list', '--json'], env, { root }))) as { id: string; installed: boolean }[];
    assert.equal(rows.find((r) => r.id === 'demo_x')?.installed, true);
    await assertComponentRenders(root, env);
    await assertModuleServes(root, env);
    assert.match(ok(await runCli(['module', 'uninstall', 'demo_x'], env, { root })), /data were kept/);

    const mocha = await execa(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--timeout', '30000', 'dist/test/modules/demo_x.test.js'], {
      cwd: root,
      env: childEnv({}),
      extendEnv: false,
      reject: false,
    });
    assert.equal(mocha.exitCode, 0, String(mocha.stdout) + String(mocha.stderr));
    assert.match(String(mocha.stdout), /10 passing/);
  });
});

/** Loads a compiled file of the project copy. */
const loader = (root: string) => (p: string) => import(pathToFileURL(path.join(root, 'dist', p)).href);

/** Boots the copy's own compiled kernel (silent) and runs `fn`. */
async function withCopyKernel(root: string, env: Record<string, string>, fn: (kernel: import('../../core/kernel.js').Kernel) => Promise<void>): Promise<void> {
  const load = loader(root);
  const { loadConfig } = (await load('core/config/load-config.js')) as typeof import('../../core/config/load-config.js');
  const { Kernel } = (await load('core/kernel.js')) as typeof import('../../core/kernel.js');
  const { silentLogger } = (await load('core/log/logger.js')) as typeof import('../../core/log/logger.js');
  const kernel = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
  try {
    await fn(kernel);
  } finally {
    await kernel.close();
  }
}

/** Renders the scaffolded component with its defaults, in English and in Russian. */
async function assertComponentRenders(root: string, env: Record<string, string>): Promise<void> {
  await withCopyKernel(root, env, async (kernel) => {
    const site = await kernel.sites.resolve('localhost');
    const admin = (await kernel.users.findByLogin('admin'))!;
    const state = { site, language: 'en', user: admin, session: null, principal: await kernel.users.principalOf(admin), auth: 'session', csrfToken: '', requestId: 't' } as never;
    assert.ok(kernel.components.list().some((c) => c.name === 'demo_x.panel'), 'discovered');
    const html = await kernel.components.render(state, 'demo_x.panel');
    assert.match(html, /<h2 class="card-title">Panel<\/h2>/);
    assert.match(html, /<p>Administrator<\/p>/);
    const ru = await kernel.components.render({ ...(state as object), language: 'ru' } as never, 'demo_x.panel');
    assert.match(ru, /<h2 class="card-title">Компонент «Panel»<\/h2>/, 'the Russian title for Russian visitors');
    await assert.rejects(kernel.components.render(state, 'demo_x.panel', { heading: 'x'.repeat(101) }), /at most 100 characters/);
  });
}

/** Serves the copy over HTTP: the page in the layout for those with the right, refusals for everyone else. */
async function assertModuleServes(root: string, env: Record<string, string>): Promise<void> {
  const { startServer } = (await loader(root)('core/http/server.js')) as typeof import('../../core/http/server.js');
  await withCopyKernel(root, env, async (kernel) => {
    await kernel.users.create({ login: 'plain', email: 'plain@example.com', password: 'Plain-pass-123' });
    const api = kernel.api('demo_x' as never) as { list(principal: unknown): Promise<unknown> };
    await assert.rejects(api.list({ userId: null, groupIds: [], isAdmin: false }), { code: 'ACCESS_DENIED' }, 'the API refuses an anonymous principal');
    const server = await startServer(kernel, { host: '127.0.0.1', port: 0 });
    try {
      const anon = new HttpClient(server.url);
      const page = await anon.get('/demo_x/');
      assert.equal(page.status, 302, 'anonymous visitors are sent to sign in');
      assert.match(page.headers.get('location') ?? '', /^\/auth\/login\/\?back=/);
      assert.equal((await anon.request('GET', '/api/v1/demo_x/items', { headers: { accept: 'application/json' } })).status, 401);

      const admin = new HttpClient(server.url);
      assert.equal((await admin.signIn('admin', 'Admin-pass-123')).status, 302);
      const html = await (await admin.get('/demo_x/')).text();
      assert.match(html, /<html[\s\S]*<h2 id="demo_x-title" class="card-title">Demo x<\/h2>[\s\S]*<\/html>/, 'the component inside the site layout');
      const form = /<form method="post" action="\/demo_x\/"[\s\S]*?<\/form>/.exec(html);
      assert.ok(form, 'those who may add get the form');
      const posted = await admin.post('/demo_x/', { _csrf: HttpClient.csrfFrom(form[0]), title: 'Via the page' });
      assert.equal(posted.status, 303);
      assert.match(await (await admin.get('/demo_x/')).text(), /<li>Via the page<\/li>/);

      const plain = new HttpClient(server.url);
      assert.equal((await plain.signIn('plain', 'Plain-pass-123')).status, 302);
      const view = await (await plain.get('/demo_x/')).text();
      assert.match(view, /<li>Via the page<\/li>/, 'registered users may view');
      assert.doesNotMatch(view, /action="\/demo_x\/"/, 'but get no form');
      assert.equal((await plain.post('/demo_x/', { _csrf: HttpClient.csrfFrom(view), title: 'Not allowed' })).status, 403, 'and cannot add');
    } finally {
      await server.close();
    }
  });
}

/** The messages object a generated lang file exports. */
function messagesOf(root: string, rel: string): Record<string, string> {
  const text = readFileSync(path.join(root, rel), 'utf8');
  return Object.fromEntries([...text.matchAll(/^\s+([A-Z_]+): '((?:[^'\\]|\\.)*)',$/gm)].map((m) => [m[1]!, m[2]!]));
}
