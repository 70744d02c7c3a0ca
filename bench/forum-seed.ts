/**
 * The forum bench's bulk seed: forums made through the API, then topics, messages (with their search index), read
 * marks and subscriptions written straight into the module's tables in multi-row INSERTs of a few thousand rows
 * (MariaDB: `INSERT ... VALUES ?` on two mysql2 connections, a statement in flight on each; SQLite: knex, up to
 * 30,000 values a statement). Message ids follow posting order across topics (round by round), so a page of a big
 * topic is spread over the table like in a live forum. Bodies come from a pool rendered once by the module's BB-code renderer and
 * stemmer; a few messages carry a rare word (English and Russian) for the search series.
 */
import mysql from 'mysql2/promise';
import type { Kernel } from '../core/kernel.js';
import type { ForumLevel } from '../modules/forum/levels.js';
import { renderBbCode } from '../modules/forum/bbcode.js';
import { searchText } from '../modules/forum/search-text.js';

export interface SeedPlan {
  topics: number;
  messages: number;
  forums: number;
  /** Topics of `bigSize` messages each, in the first forum. */
  bigTopics: number;
  bigSize: number;
}

export interface Seeded {
  forumIds: number[];
  /** The forum whose page is timed (holds the big topics). */
  benchForum: number;
  bigTopics: number[];
  /** Topic ids with their message counts (for drawing inputs). */
  counts: Int32Array;
  readerId: number;
  authorIds: number[];
  readMarks: number;
  /** Messages carrying each rare word. */
  rare: { en: number; ru: number };
  seconds: number;
}

export const READER = { login: 'bench-reader', password: 'bench-reader-pass-1' };
export const WORDS = { commonEn: 'report', commonRu: 'отчёт', rareEn: 'zeppelin', rareRu: 'дирижабль' };
const RARE_EVERY = 50_000;

/** A small deterministic generator (mulberry32): the same seed gives the same forum. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN = 'the team meeting project budget quarterly plan office server backup update schedule release customer support ticket printer network access policy holiday training manager review deadline sales marketing invoice contract'.split(' ');
const RU = 'команда встреча проект бюджет квартал план офис сервер резервная копия обновление график выпуск клиент поддержка заявка принтер сеть доступ правила отпуск обучение руководитель проверка срок продажи маркетинг счёт договор'.split(' ');
const RU_COMMON = ['отчёт', 'отчёты', 'отчета', 'отчётов'];
const EN_COMMON = ['report', 'reports', 'reporting', 'reported'];

interface Body {
  source: string;
  html: string;
  search: string;
}

function makeBody(rnd: () => number, title: string | null, extra = ''): Body {
  const ru = rnd() < 0.5;
  const vocab = ru ? RU : EN;
  const sentences: string[] = [];
  const n = 2 + Math.floor(rnd() * 3);
  for (let s = 0; s < n; s++) {
    const words: string[] = [];
    const len = 6 + Math.floor(rnd() * 7);
    for (let w = 0; w < len; w++) words.push(vocab[Math.floor(rnd() * vocab.length)]!);
    if (rnd() < 0.12) words.splice(Math.floor(rnd() * len), 0, (ru ? RU_COMMON : EN_COMMON)[Math.floor(rnd() * 4)]!);
    sentences.push(`${words.join(' ')}.`);
  }
  let source = sentences.join(' ');
  if (rnd() < 0.2) source = `[quote="Someone"]${sentences[0]}[/quote] ${source}`;
  if (rnd() < 0.3) source = source.replace(/^(\S+ \S+)/, '[b]$1[/b]');
  if (rnd() < 0.1) source += ' [url=https://intranet.example.com/docs/]docs[/url]';
  if (extra) source += ` ${extra}`;
  return { source, html: renderBbCode(source).html, search: title === null ? searchText(source) : searchText(title, source) };
}

/** Message counts per topic (index = topic id): the big topics, the rest spread between 1 and twice the mean. */
function topicSizes(plan: SeedPlan, rnd: () => number, bigIds: Set<number>): Int32Array {
  const counts = new Int32Array(plan.topics + 1);
  const rest = plan.messages - plan.bigTopics * plan.bigSize;
  const others = plan.topics - plan.bigTopics;
  if (rest < others) throw new Error('too few messages for that many topics');
  const mean = rest / others;
  let left = rest;
  for (let t = 1; t <= plan.topics; t++) {
    if (bigIds.has(t)) counts[t] = plan.bigSize;
    else {
      counts[t] = Math.max(1, Math.round(1 + rnd() * (2 * mean - 2)));
      left -= counts[t]!;
    }
  }
  // Even out to the exact total, one message at a time over the small topics.
  for (let t = 1; left !== 0; t = (t % plan.topics) + 1) {
    if (bigIds.has(t)) continue;
    if (left > 0) (counts[t]!++, left--);
    else if (counts[t]! > 1) (counts[t]!--, left++);
  }
  return counts;
}

type Row = unknown[];

/** Writes rows in multi-row INSERTs, a couple of statements in flight (MariaDB) or in one transaction (SQLite). */
class BulkWriter {
  private pending: Promise<unknown>[] = [];
  private constructor(
    private readonly kernel: Kernel,
    private readonly conns: mysql.Connection[] | null,
    private next = 0,
  ) {}

  static async open(kernel: Kernel, mysqlUrl: string | null): Promise<BulkWriter> {
    if (!mysqlUrl) return new BulkWriter(kernel, null);
    const conns = [await mysql.createConnection(mysqlUrl), await mysql.createConnection(mysqlUrl)];
    for (const c of conns) await c.query('SET unique_checks = 0, foreign_key_checks = 0');
    return new BulkWriter(kernel, conns);
  }

  async insert(table: string, cols: string[], rows: Row[]): Promise<void> {
    if (!rows.length) return;
    if (!this.conns) {
      // SQLite: up to 32,766 bound values a statement.
      const per = Math.floor(30000 / cols.length);
      for (let i = 0; i < rows.length; i += per) {
        const part = rows.slice(i, i + per);
        const values = part.map(() => `(${cols.map(() => '?').join(',')})`).join(',');
        await this.kernel.mainKnex.raw(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${values}`, part.flat() as never[]);
      }
      return;
    }
    const conn = this.conns[this.next++ % this.conns.length]!;
    if (this.pending.length >= this.conns.length) await this.pending.shift();
    this.pending.push(conn.query(`INSERT INTO ${table} (${cols.join(',')}) VALUES ?`, [rows]));
  }

  async close(): Promise<void> {
    await Promise.all(this.pending);
    for (const c of this.conns ?? []) await c.end();
  }
}

export async function seedForum(kernel: Kernel, plan: SeedPlan, opts: { mysqlUrl: string | null; log: (line: string) => void }): Promise<Seeded> {
  const started = Date.now();
  const api = kernel.api('forum');
  const ADMIN = { userId: null, groupIds: [], isAdmin: true };
  const registered = (await kernel.groups.byCode('registered')).id;
  const perms = new Map<number, ForumLevel>([[registered, 'M']]);
  const category = await api.forums.createCategory(ADMIN, { name: 'Bench' });
  const forumIds: number[] = [];
  for (let f = 0; f < plan.forums; f++) forumIds.push((await api.forums.create(ADMIN, { name: `Bench forum ${f + 1}`, categoryId: category.id, permissions: perms })).id);
  const reader = await kernel.users.create({ login: READER.login, email: 'bench-reader@example.com', password: READER.password, name: 'Bench', lastName: 'Reader' });
  const authorIds: number[] = [];
  for (let a = 0; a < 20; a++) authorIds.push((await kernel.users.create({ login: `bench-author-${a}`, email: `author${a}@example.com`, name: 'Author', lastName: String(a) })).id);
  const authorNames = authorIds.map((_, a) => `Author ${a}`);

  const rnd = random(13);
  const forumOf = (t: number) => forumIds[t % plan.forums]!;
  const bigIds = new Set<number>();
  for (let t = plan.forums; bigIds.size < plan.bigTopics; t += plan.forums) bigIds.add(t); // t % forums === 0: the first forum
  const counts = topicSizes(plan, rnd, bigIds);
  const pool = Array.from({ length: 500 }, () => makeBody(rnd, null));
  const titles = Array.from({ length: 200 }, (_, i) => `${i % 2 ? 'Обсуждение' : 'Discussion'}: ${pool[i]!.source.replace(/\[[^\]]*\]/g, '').split(' ').slice(0, 4).join(' ')}`);
  const firstSearch = titles.map((title, i) => searchText(title, pool[i]!.source));

  const db = kernel.db('forum');
  const sqlite = db.dialect === 'sqlite';
  const T = { messages: db.table('messages'), topics: db.table('topics'), forums: db.table('forums'), reads: db.table('topic_reads'), forumReads: db.table('forum_reads'), subs: db.table('subscriptions'), search: db.table('search') };
  // The FULLTEXT index stays during the load: MariaDB 10.11 does not index the rows already there when a dropped
  // FULLTEXT index is added back (the table keeps its hidden FTS_DOC_ID), so drop-and-rebuild would find nothing.
  const w = await BulkWriter.open(kernel, opts.mysqlUrl);

  // Messages, round by round: every topic's 1st message, then every 2nd, ... (ids in posting order).
  const T0 = Date.UTC(2026, 0, 1);
  const at = (id: number) => T0 + id * 1000;
  const lastId = new Int32Array(plan.topics + 1);
  const lastAuthor = new Int32Array(plan.topics + 1);
  const firstAuthor = new Int32Array(plan.topics + 1);
  const cols = ['id', 'topic_id', 'forum_id', 'author_id', 'author_name', 'source', 'html', 'approved', 'is_first', 'created_at', 'search_text'];
  let batch: Row[] = [];
  let fts: Row[] = [];
  let id = 0;
  const rare = { en: 0, ru: 0 };
  let active = Array.from({ length: plan.topics }, (_, i) => i + 1);
  for (let round = 0; active.length; round++) {
    for (const t of active) {
      id++;
      const a = Math.floor(rnd() * authorIds.length);
      const p = id % pool.length;
      let body = round === 0 ? pool[t % titles.length]! : pool[p]!;
      let search = round === 0 ? firstSearch[t % titles.length]! : body.search;
      if (round === 0) firstAuthor[t] = a;
      if (id % RARE_EVERY === 7) {
        const en = id % (2 * RARE_EVERY) === 7;
        rare[en ? 'en' : 'ru']++;
        body = makeBody(rnd, null, en ? WORDS.rareEn : WORDS.rareRu);
        search = body.search;
      }
      batch.push([id, t, forumOf(t), authorIds[a], authorNames[a], body.source, body.html, true, round === 0, at(id), search]);
      if (sqlite) fts.push([id, search]);
      lastId[t] = id;
      lastAuthor[t] = a;
      if (batch.length >= 2000) {
        await w.insert(T.messages, cols, batch);
        if (sqlite) await w.insert(T.search, ['rowid', 'search_text'], fts);
        batch = [];
        fts = [];
        if (id % 200_000 < 2000) opts.log(`  ${id} messages, ${Math.round(id / ((Date.now() - started) / 1000))}/s`);
      }
    }
    active = active.filter((t) => counts[t]! > round + 1);
  }
  await w.insert(T.messages, cols, batch);
  if (sqlite) await w.insert(T.search, ['rowid', 'search_text'], fts);

  // Topics with their counters and last post; two pinned topics per forum.
  const topicCols = ['id', 'forum_id', 'title', 'author_id', 'author_name', 'pinned', 'closed', 'approved', 'view_count', 'reply_count', 'last_message_id', 'last_author_id', 'last_author_name', 'last_message_at', 'created_at'];
  let rows: Row[] = [];
  const perForum = new Map<number, { topics: number; messages: number; lastId: number; lastTopic: number }>(forumIds.map((f) => [f, { topics: 0, messages: 0, lastId: 0, lastTopic: 0 }]));
  for (let t = 1; t <= plan.topics; t++) {
    const f = forumOf(t);
    rows.push([t, f, titles[t % titles.length], authorIds[firstAuthor[t]!], authorNames[firstAuthor[t]!], t <= 2 * plan.forums, false, true, Math.floor(rnd() * 500) + counts[t]!, counts[t]! - 1, lastId[t], authorIds[lastAuthor[t]!], authorNames[lastAuthor[t]!], at(lastId[t]!), at(t)]);
    const s = perForum.get(f)!;
    s.topics++;
    s.messages += counts[t]!;
    if (lastId[t]! > s.lastId) Object.assign(s, { lastId: lastId[t], lastTopic: t });
    if (rows.length >= 5000) (await w.insert(T.topics, topicCols, rows), (rows = []));
  }
  await w.insert(T.topics, topicCols, rows);

  // Read marks: the reader has read about a third of the bench forum's topics (half of those only partly) and
  // "marked all read" in the second forum; 2,000 other readers have 50 marks each.
  const benchForum = forumIds[0]!;
  rows = [];
  let readMarks = 0;
  for (let t = plan.forums; t <= plan.topics; t += plan.forums) {
    if (rnd() < 0.33 || t <= 40 * plan.forums) {
      const upTo = rnd() < 0.5 ? lastId[t]! : Math.max(1, lastId[t]! - plan.topics);
      rows.push([reader.id, t, benchForum, upTo]);
      readMarks++;
    }
  }
  const others = new Set<string>();
  for (let u = 0; u < 2000; u++) {
    for (let k = 0; k < 50; k++) {
      const t = 1 + Math.floor(rnd() * plan.topics);
      if (others.has(`${u}:${t}`)) continue;
      others.add(`${u}:${t}`);
      rows.push([1_000_000 + u, t, forumOf(t), lastId[t]]);
    }
    if (rows.length >= 5000) (await w.insert(T.reads, ['user_id', 'topic_id', 'forum_id', 'last_message_id'], rows), (rows = []));
  }
  await w.insert(T.reads, ['user_id', 'topic_id', 'forum_id', 'last_message_id'], rows);
  if (forumIds[1]) await w.insert(T.forumReads, ['user_id', 'forum_id', 'watermark'], [[reader.id, forumIds[1], Math.floor(id / 2)]]);
  // Subscriptions: 50 readers on the bench forum, 2,000 on single topics.
  rows = [];
  for (let u = 0; u < 50; u++) rows.push([1_000_000 + u, benchForum, 0, at(u)]);
  for (let u = 0; u < 2000; u++) rows.push([1_100_000 + u, forumOf(1 + (u * 37) % plan.topics), 1 + (u * 37) % plan.topics, at(u)]);
  await w.insert(T.subs, ['user_id', 'forum_id', 'topic_id', 'created_at'], rows);
  await w.close();

  for (const [f, s] of perForum) {
    await db.write('forums').where({ id: f }).update({ topic_count: s.topics, message_count: s.messages, last_message_id: s.lastId, last_topic_id: s.lastTopic, last_message_at: at(s.lastId) });
  }
  if (!sqlite) {
    await kernel.mainKnex.raw(`ANALYZE TABLE ${T.messages}, ${T.topics}, ${T.reads}, ${T.subs}`);
  } else {
    await kernel.mainKnex.raw('ANALYZE');
  }
  return { forumIds, benchForum, bigTopics: [...bigIds], counts, readerId: reader.id, authorIds, readMarks, rare, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
