import type { ModuleContext } from '../../../core/modules/types.js';

export interface Section {
  id: number;
  title: string;
  topicCount: number;
}

export interface Topic {
  id: number;
  sectionId: number;
  sectionTitle: string;
  title: string;
  body: string;
  views: number;
  /** UTC epoch milliseconds. */
  createdAt: number;
}

export interface BoardApi {
  sections(): Promise<Section[]>;
  section(id: number): Promise<Section | null>;
  topics(sectionId: number, limit: number): Promise<Topic[]>;
  topic(id: number): Promise<Topic | null>;
  addSection(title: string): Promise<number>;
  addTopic(sectionId: number, title: string, body: string): Promise<number>;
  /** Counts one view of a topic (called by the topic template's epilog on every hit). */
  countView(id: number): Promise<void>;
}

declare module '../../../core/modules/types.js' {
  interface ModuleApis {
    board: BoardApi;
  }
}

/** Cache tags the forum components use; the API drops them when data changes. */
export const BOARD_TAGS = { sections: 'board:sections', topics: 'board:topics' };

export function createBoardApi({ db, cache }: ModuleContext): BoardApi {
  const toTopic = (r: Record<string, unknown>): Topic => ({
    id: Number(r.id),
    sectionId: Number(r.section_id),
    sectionTitle: String(r.section_title ?? ''),
    title: String(r.title),
    body: String(r.body),
    views: Number(r.views),
    createdAt: Number(r.created_at),
  });
  const topicQuery = () =>
    db
      .read('topics')
      .join(db.table('sections'), `${db.table('sections')}.id`, `${db.table('topics')}.section_id`)
      .select(`${db.table('topics')}.*`, `${db.table('sections')}.title as section_title`);

  const api: BoardApi = {
    async sections() {
      const rows = (await db
        .read('sections')
        .leftJoin(db.table('topics'), `${db.table('topics')}.section_id`, `${db.table('sections')}.id`)
        .groupBy(`${db.table('sections')}.id`, `${db.table('sections')}.title`, `${db.table('sections')}.sort`)
        .orderBy([{ column: `${db.table('sections')}.sort` }, { column: `${db.table('sections')}.id` }])
        .select(`${db.table('sections')}.id`, `${db.table('sections')}.title`)
        .count({ topic_count: `${db.table('topics')}.id` })) as Record<string, unknown>[];
      return rows.map((r) => ({ id: Number(r.id), title: String(r.title), topicCount: Number(r.topic_count) }));
    },
    async section(id) {
      return (await api.sections()).find((s) => s.id === id) ?? null;
    },
    async topics(sectionId, limit) {
      const rows = await topicQuery().where(`${db.table('topics')}.section_id`, sectionId).orderBy(`${db.table('topics')}.id`, 'desc').limit(limit);
      return (rows as Record<string, unknown>[]).map(toTopic);
    },
    async topic(id) {
      const row = await topicQuery().where(`${db.table('topics')}.id`, id).first();
      return row ? toTopic(row as Record<string, unknown>) : null;
    },
    async addSection(title) {
      const [id] = await db.write('sections').insert({ title, sort: 100 });
      await cache.invalidateTags(BOARD_TAGS.sections);
      return Number(id);
    },
    async addTopic(sectionId, title, body) {
      const [id] = await db.write('topics').insert({ section_id: sectionId, title, body, views: 0, created_at: Date.now() });
      await cache.invalidateTags(BOARD_TAGS.sections, BOARD_TAGS.topics);
      return Number(id);
    },
    async countView(id) {
      await db.write('topics').where({ id }).increment('views', 1);
    },
  };
  return api;
}
