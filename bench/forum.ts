/**
 * `npm run bench:forum` (see docs/forum.md, "Performance"): the forum at the scale of issue 13. Starts a private
 * MariaDB, boots a kernel with main + forum, seeds BENCH_FORUM_TOPICS topics (default 100,000) and
 * BENCH_FORUM_MESSAGES messages (default 2,000,000) through bench/forum-seed.ts, and times one call at a time,
 * p50 and p99, the module API calls behind each page (what the component calls, in order) and the whole page
 * over HTTP for a signed-in reader, beside bare koa measured in the same run:
 * - a topic page of 20 messages: the first page of an ordinary topic, a page deep in a big topic (its last tenth)
 *   and the middle page of a big topic (the worst case: pages are read from the nearer end);
 * - the forum page with the reader's unread marks;
 * - posting a reply (events, counters, search index, subscriptions), over HTTP the no-JS form post;
 * - search: a common and a rare word, English and Russian.
 * Cache cold: the forum's cache tags are invalidated (untimed) before every call; levels and options stay warm as
 * in a running portal. Then, when BENCH_FORUM_SQLITE_TOPICS > 0, the same on SQLite at that scale.
 * Prints a table with the aims and writes bench/results/forum-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { projectRoot } from '../core/config/paths.js';
import { startServer } from '../core/http/server.js';
import type { Kernel } from '../core/kernel.js';
import type { Principal } from '../core/services.js';
import { FORUMS_TAG, forumTag } from '../modules/forum/forums-api.js';
import type { DbKind } from '../test/harness/db-matrix.js';
import { ensureDebianPackages, MARIADB } from '../test/harness/debian.js';
import { freePort } from '../test/harness/free-port.js';
import { HttpClient } from '../test/harness/http-client.js';
import { bootTestKernel } from '../test/harness/kernel.js';
import { startMariaDb, type RunningService } from '../test/harness/services.js';
import { explainCall, formatPlans } from './infoblocks-explain.js';
import { firstResponse, spawnServer, stop, table, timeEach, type Latency } from './lib.js';
import { READER, seedForum, WORDS, type SeedPlan } from './forum-seed.js';

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return n;
}

const settings = {
  topics: whole('BENCH_FORUM_TOPICS', 100_000),
  messages: whole('BENCH_FORUM_MESSAGES', 2_000_000),
  sqliteTopics: whole('BENCH_FORUM_SQLITE_TOPICS', 0),
  sqliteMessages: whole('BENCH_FORUM_SQLITE_MESSAGES', 200_000),
  forums: Math.max(2, whole('BENCH_FORUM_FORUMS', 10)),
  bigTopics: Math.max(1, whole('BENCH_FORUM_BIG_TOPICS', 10)),
  bigSize: Math.max(100, whole('BENCH_FORUM_BIG_SIZE', 20_000)),
  iterations: Math.max(1, whole('BENCH_FORUM_ITERATIONS', 300)),
  searchIterations: Math.max(1, whole('BENCH_FORUM_SEARCH_ITERATIONS', 30)),
  warmup: whole('BENCH_FORUM_WARMUP', 20),
  bufferPoolMb: whole('BENCH_FORUM_BUFFER_POOL_MB', 3072),
  explain: process.env.BENCH_FORUM_EXPLAIN === '1',
};
const AIMS = { topic: 10, forum: 15, reply: 20 };
const PAGE = 20;

const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

interface Series {
  id: string;
  label: string;
  aimMs?: number;
  api: Latency;
  http?: Latency;
  plans?: string;
}

interface DbRun {
  db: DbKind;
  plan: SeedPlan;
  seedSeconds: number;
  readMarks: number;
  series: Series[];
  bareKoa: Latency;
  loadavg: number[];
}

/** Draws `n` values with a fixed generator (the same inputs every run). */
function draw<T>(n: number, seed: number, pick: (r: number) => T): T[] {
  let a = seed;
  return Array.from({ length: n }, () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return pick(a / 2147483648);
  });
}

async function bareKoa(n: number): Promise<Latency> {
  const port = await freePort();
  const koa = spawnServer([process.execPath, path.join(projectRoot, 'dist/bench/bare-koa.js')], { env: { PORT: String(port) } });
  try {
    await firstResponse(`http://127.0.0.1:${port}/`, Date.now());
    return await timeEach(Array.from({ length: n + settings.warmup }), async () => (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer(), { warmup: settings.warmup });
  } finally {
    await stop(koa);
  }
}

async function runOn(db: DbKind, plan: SeedPlan): Promise<DbRun> {
  const t = await bootTestKernel(db);
  try {
    const mysqlUrl = db === 'mariadb' ? t.env.db.url : null;
    const kernel: Kernel = t.kernel;
    await kernel.modules.install('forum');
    log(`[${db}] seeding ${plan.topics} topics, ${plan.messages} messages (${plan.bigTopics} topics of ${plan.bigSize})`);
    const seeded = await seedForum(kernel, plan, { mysqlUrl, log });
    log(`[${db}] seeded in ${seeded.seconds} s; the reader has ${seeded.readMarks} read marks in the bench forum`);
    const api = kernel.api('forum');
    const reader: Principal = await kernel.users.principalOf(await kernel.users.get(seeded.readerId));
    const topicTags = seeded.forumIds.map((f) => `forum:topics:${f}`);
    const cold = () => kernel.cache.invalidateTags(FORUMS_TAG, ...topicTags, ...seeded.forumIds.map(forumTag));
    const n = settings.iterations + settings.warmup;
    const benchTopics: number[] = [];
    // Topics t with t % forums === 0 are the bench forum's (bench/forum-seed.ts).
    for (let id = plan.forums; id <= plan.topics; id += plan.forums) if (!seeded.bigTopics.includes(id)) benchTopics.push(id);
    const normal = (k: number, seed: number) => draw(k, seed, (r) => 1 + Math.floor(r * plan.topics)).map((id) => (seeded.bigTopics.includes(id) ? id + 1 : id));
    const deepPages = (k: number, seed: number) =>
      draw(k, seed, (r) => r).map((r, i) => {
        const topic = seeded.bigTopics[i % seeded.bigTopics.length]!;
        const pages = Math.ceil(seeded.counts[topic]! / PAGE);
        return { topic, page: pages - Math.floor(r * Math.max(1, pages / 10)) };
      });

    // What forum.topic's prepare() calls, in order.
    const topicPage = async (p: Principal, id: number, page: number) => {
      const topic = await api.topic(p, id, { countView: true });
      await api.forums.levelOf(p, topic.forumId);
      const list = await api.messages(p, id, { page, pageSize: PAGE });
      const last = list.items.at(-1)?.id;
      if (last !== undefined) await api.markTopicRead(p, id, last);
      await api.subscriptions(p);
      if (list.items.length !== Math.min(PAGE, list.total - (page - 1) * PAGE)) throw new Error(`topic ${id} page ${page}: ${list.items.length} of ${list.total}`);
    };
    // What forum.topics' prepare() calls.
    const forumPage = async (p: Principal, forumId: number, page: number) => {
      await api.forums.get(p, forumId);
      const list = await api.topics(p, forumId, { page, pageSize: PAGE });
      if (list.items.length !== Math.min(PAGE, list.total - (page - 1) * PAGE) || list.items.some((x) => x.unread === undefined)) throw new Error(`forum ${forumId} page ${page}: ${list.items.length} of ${list.total}, unread marks missing`);
    };
    let replyNo = 0;
    const reply = (p: Principal, topicId: number) => api.reply(p, { topicId, body: `Bench reply ${++replyNo}: the [b]quarterly[/b] report is ready, отчёт готов.` });

    const series: Series[] = [];
    const timeApi = async <T>(id: string, label: string, inputs: T[], run: (x: T) => Promise<unknown>, aimMs?: number, warmup = settings.warmup) => {
      await run(inputs[0]!);
      await cold();
      const plans = settings.explain ? formatPlans(`[${db}] ${label}`, await explainCall(kernel.mainKnex, () => run(inputs[1] ?? inputs[0]!))) : undefined;
      log(`[${db}] API: ${label} (${inputs.length - warmup} calls)`);
      const api = await timeEach(inputs, run, { warmup, before: cold });
      const s: Series = { id, label, aimMs, api, plans };
      series.push(s);
      return s;
    };

    await timeApi('topic-first', 'topic page 1 (20 messages) of an ordinary topic', normal(n, 1), (id) => topicPage(reader, id, 1), AIMS.topic);
    await timeApi('topic-deep', `topic page deep in a topic of ${plan.bigSize} messages`, deepPages(n, 2), (x) => topicPage(reader, x.topic, x.page), AIMS.topic);
    const unreadOnPage = (await api.topics(reader, seeded.benchForum, { pageSize: PAGE })).items.filter((x) => x.unread).length;
    log(`[${db}] the forum page shows ${unreadOnPage} unread topics of ${PAGE}`);
    const middle = draw(n, 7, (r) => seeded.bigTopics[Math.floor(r * seeded.bigTopics.length)]!).map((topic) => ({ topic, page: Math.ceil(seeded.counts[topic]! / PAGE / 2) }));
    await timeApi('topic-middle', `topic page in the middle of a topic of ${plan.bigSize} messages (worst case)`, middle, (x) => topicPage(reader, x.topic, x.page), AIMS.topic);
    await timeApi('forum', 'forum page 1 with the reader\'s unread marks', Array.from({ length: n }, () => seeded.benchForum), (f) => forumPage(reader, f, 1), AIMS.forum);
    const deepForumPage = Math.min(50, Math.ceil(plan.topics / plan.forums / PAGE));
    await timeApi('forum-deep', `forum page ${deepForumPage} with unread marks`, Array.from({ length: n }, () => seeded.benchForum), (f) => forumPage(reader, f, deepForumPage), AIMS.forum);
    await timeApi('reply', 'reply (events, counters, search index, subscriptions)', draw(n, 3, (r) => benchTopics[Math.floor(r * benchTopics.length)]!), (id) => reply(reader, id), AIMS.reply);
    const k = settings.searchIterations + 3;
    for (const [key, word] of Object.entries(WORDS)) {
      const s = await timeApi(`search-${key}`, `search "${word}"`, Array.from({ length: k }, () => word), (q) => api.search(reader, q, { limit: 20 }), undefined, 3);
      const hits = await api.search(reader, word, { limit: 100 });
      const expected = key === 'rareEn' ? seeded.rare.en : key === 'rareRu' ? seeded.rare.ru : undefined;
      if (expected !== undefined && hits.length !== expected) throw new Error(`search "${word}" found ${hits.length} messages, the seed wrote ${expected}`);
      s.label += ` (${hits.length}${hits.length === 100 ? '+' : ''} hits)`;
    }

    // The same pages over HTTP, signed in, the server in this process (cache made cold the same way).
    const server = await startServer(kernel, { host: '127.0.0.1', port: 0 });
    try {
      const client = new HttpClient(server.url);
      const signedIn = await client.signIn(READER.login, READER.password);
      if (signedIn.status !== 302) throw new Error(`sign-in: ${signedIn.status}`);
      const csrf = HttpClient.csrfFrom(await (await client.get(`/forum/${seeded.benchForum}/`)).text());
      const get = async (url: string) => {
        const res = await client.get(url);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`);
      };
      const timeHttp = async <T>(id: string, inputs: T[], run: (x: T) => Promise<unknown>) => {
        const s = series.find((x) => x.id === id)!;
        log(`[${db}] HTTP: ${s.label}`);
        s.http = await timeEach(inputs, run, { warmup: settings.warmup, before: cold });
      };
      await timeHttp('topic-first', normal(n, 4), (id) => get(`/forum/topic/${id}/`));
      await timeHttp('topic-deep', deepPages(n, 5), (x) => get(`/forum/topic/${x.topic}/?page=${x.page}`));
      await timeHttp('topic-middle', middle, (x) => get(`/forum/topic/${x.topic}/?page=${x.page}`));
      await timeHttp('forum', Array.from({ length: n }), () => get(`/forum/${seeded.benchForum}/`));
      await timeHttp('forum-deep', Array.from({ length: n }), () => get(`/forum/${seeded.benchForum}/?page=${deepForumPage}`));
      await timeHttp('reply', draw(n, 6, (r) => benchTopics[Math.floor(r * benchTopics.length)]!), async (id) => {
        const res = await client.post(`/forum/post/reply/${id}/`, { _csrf: csrf, body: `HTTP reply ${++replyNo} with a [i]report[/i]`, back: `/forum/topic/${id}/` });
        await res.arrayBuffer();
        if (res.status < 301 || res.status > 303 || /error/.test(res.headers.get('location') ?? '')) throw new Error(`reply to ${id}: ${res.status}`);
      });
    } finally {
      await server.close();
    }
    const koa = await bareKoa(settings.iterations);
    return { db, plan, seedSeconds: seeded.seconds, readMarks: seeded.readMarks, series, bareKoa: koa, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  } finally {
    await t.close();
  }
}

function report(run: DbRun): void {
  const cell = (l?: Latency) => (l ? `${l.p50} / ${l.p99}` : '-');
  console.log(`\n${run.db}: ${run.plan.topics} topics, ${run.plan.messages} messages (${run.plan.bigTopics} of ${run.plan.bigSize}), seeded in ${run.seedSeconds} s; load average ${run.loadavg.join(' ')}`);
  const rows = run.series.map((s) => ({
    series: s.label,
    'API p50 / p99 ms': cell(s.api),
    'HTTP p50 / p99 ms': cell(s.http),
    aim: s.aimMs ? `≤ ${s.aimMs} ms` : 'report',
    'API p99 met': s.aimMs ? (s.api.p99 <= s.aimMs ? 'yes' : 'NO') : '',
  }));
  rows.push({ series: 'bare koa hello-world (same run)', 'API p50 / p99 ms': '-', 'HTTP p50 / p99 ms': cell(run.bareKoa), aim: '', 'API p99 met': '' });
  console.log(table(rows));
  for (const s of run.series) if (s.plans) console.log(`\n${s.plans}`);
}

async function main(): Promise<void> {
  const runs: DbRun[] = [];
  if (settings.topics > 0) {
    await ensureDebianPackages([MARIADB], log);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-forum-'));
    let server: RunningService | undefined;
    try {
      server = await startMariaDb(path.join(dir, 'mariadb'));
      const conn = await mysql.createConnection(server.url);
      // The harness sizes the pool for tests; 2M messages need their working set in memory, as in production.
      if (settings.bufferPoolMb) await conn.query('SET GLOBAL innodb_buffer_pool_size = ?', [settings.bufferPoolMb * 1048576]);
      await conn.query('SET GLOBAL max_allowed_packet = ?', [256 * 1048576]);
      await conn.end();
      process.env.PORTAL_TEST_MYSQL = server.url;
      const plan = { topics: settings.topics, messages: settings.messages, forums: settings.forums, bigTopics: settings.bigTopics, bigSize: settings.bigSize };
      runs.push(await runOn('mariadb', plan));
      report(runs.at(-1)!);
    } finally {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    }
  }
  if (settings.sqliteTopics > 0) {
    const plan = { topics: settings.sqliteTopics, messages: settings.sqliteMessages, forums: settings.forums, bigTopics: settings.bigTopics, bigSize: Math.min(settings.bigSize, Math.floor(settings.sqliteMessages / settings.bigTopics / 4)) };
    runs.push(await runOn('sqlite', plan));
    report(runs.at(-1)!);
  }
  if (runs.length > 1) for (const run of runs) report(run);
  console.log(`\n${settings.iterations} timed calls per series after ${settings.warmup} warm-up calls (search: ${settings.searchIterations}), one at a time; ${os.cpus().length} cores, Node ${process.version}.`);
  console.log('API = the module calls behind the page, cache cold (forum cache tags invalidated before every call); HTTP = the whole signed-in page (reply: the form post and its redirect).');
  mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
  const file = path.join(projectRoot, 'bench/results', `forum-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, settings, runs: runs.map((r) => ({ ...r, series: r.series.map(({ plans: _, ...s }) => s) })) }, null, 2));
  console.log(`results written to ${path.relative(projectRoot, file)}`);
}

main().catch((err: unknown) => {
  console.error(`bench forum: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
