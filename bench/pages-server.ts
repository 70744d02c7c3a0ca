/**
 * The portal process for bench/pages.ts: boots a kernel on a fresh SQLite database
 * (in-process cache, like `portal start` on the embedded default), installs main, seeds
 * colleagues, registers the file page /bench/ with three cached components, and serves
 * it. Prints "listening <port>" when ready.
 *
 * Two bench-only hooks sit in front of the koa app:
 * - `?cold=1` invalidates the page's component tags before the request is handled, so
 *   the page renders with its component caches cold;
 * - `GET /bench-stats` answers how many times the components' prepare steps ran (the
 *   real number of cache misses) and how many page requests came in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kernel } from '../core/kernel.js';
import { loadConfig } from '../core/config/load-config.js';
import { createLogger } from '../core/log/logger.js';
import { createHandler } from '../core/http/app.js';
import { discoverComponents } from '../core/components/registry.js';
import { isComplex, type AnyComponent, type SimpleComponent } from '../core/components/types.js';
import { registerPage } from '../core/pages/services.js';
import { BENCH_COMPONENTS, BENCH_PAGE } from './pages-fixture.js';

const varDir = process.env.BENCH_VAR_DIR;
if (!varDir) throw new Error('BENCH_VAR_DIR is not set');

const prepares = new Map<string, number>();
/** Requests the page got, warm and cold (to turn prepare counts into a miss rate). */
const served = { warm: 0, cold: 0 };

/** The real components, with a counter around the prepare steps of the measured ones. */
async function countedComponents(): Promise<AnyComponent[]> {
  const all = await discoverComponents();
  const missing = BENCH_COMPONENTS.filter((name) => !all.some((c) => c.name === name));
  if (missing.length) throw new Error(`components ${missing.join(', ')} are not built (npm run build)`);
  return all.map((def) => {
    if (!BENCH_COMPONENTS.includes(def.name)) return def;
    if (isComplex(def) || !def.cache) throw new Error(`component ${def.name} must be a simple component with cache settings`);
    return {
      ...def,
      prepare: (ctx: Parameters<SimpleComponent['prepare']>[0]) => {
        prepares.set(def.name, (prepares.get(def.name) ?? 0) + 1);
        return def.prepare(ctx);
      },
    };
  });
}

async function seed(kernel: Kernel): Promise<void> {
  const departments = [];
  for (const name of ['Accounting', 'Engineering', 'Sales', 'Support']) departments.push(await kernel.users.departments.create({ name }));
  const today = new Date();
  for (let i = 0; i < 40; i++) {
    const birthday = new Date(Date.UTC(1980 + (i % 20), today.getUTCMonth(), today.getUTCDate() + (i % 10)));
    await kernel.users.create({
      login: `employee${i}`,
      email: `employee${i}@example.com`,
      name: `Employee${i}`,
      lastName: `Benchmark`,
      position: i % 3 ? 'Engineer' : 'Accountant',
      departmentId: departments[i % departments.length]!.id,
      birthday: birthday.toISOString().slice(0, 10),
    });
  }
}

async function main(): Promise<void> {
  const config = await loadConfig({
    file: { db: { url: `sqlite:${varDir}/portal.db` }, paths: { var: varDir }, log: { level: 'warn' }, agents: { runInWeb: false } },
    env: {},
  });
  const kernel = await Kernel.boot(config, { log: createLogger(config.log), components: await countedComponents() });
  await kernel.modules.install('main');
  await seed(kernel);
  // The page is measured as an anonymous visitor: open the portal to them, colleagues included (level R).
  await kernel.rights.setLevel('main', (await kernel.groups.byCode('everyone')).id, 'R');
  registerPage(kernel, BENCH_PAGE);
  const tags = BENCH_COMPONENTS.map((name) => `component:${name}`);

  const handle = createHandler(kernel);
  // Same kernel without the whole-page cache: only the components' own caches help.
  const handleWithoutPageCache = createHandler(kernel, { pageCacheSeconds: 0 });
  const server = http.createServer((req, res) => {
    if (req.url === '/bench-stats') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ prepares: Object.fromEntries(prepares), served }));
      return;
    }
    if (req.url?.startsWith(BENCH_PAGE.path)) served[req.url.includes('cold=1') ? 'cold' : 'warm']++;
    if (req.url?.includes('nopagecache=1')) return void handleWithoutPageCache(req, res);
    if (req.url?.includes('cold=1')) {
      kernel.cache.invalidateTags(...tags).then(() => handle(req, res), (err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void kernel.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(`bench pages-server: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
