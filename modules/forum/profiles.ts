import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import type { ForumAccess } from './access.js';
import { defineErrors } from '../../core/errors/portal-error.js';

export const profileErrors = defineErrors({
  FORUM_RANKS_INVALID: { status: 400, message: (why) => `Ranks are not valid: ${why}` },
  FORUM_POINTS_INVALID: { status: 400, message: () => 'Points must be a whole number from -1000000 to 1000000' },
});

/** Points a message earns its author: a topic's first message counts more than a reply. */
export const POINTS = { reply: 1, topic: 2 } as const;

export interface Rank {
  minPoints: number;
  title: { en: string; ru: string };
}

export interface ForumProfile {
  userId: number;
  postCount: number;
  points: number;
  /** The highest rank whose minimum the points reach, in the asked language; null when no rank applies. */
  rank: string | null;
}

const RANKS_TAG = 'forum:ranks';

/**
 * Per user post count and points (forum_profiles) and the ranks earned by points. Counts change only by atomic
 * increments inside the posting transaction, where the message joins or leaves the counts (see countIn/countOut).
 */
export function createProfiles(ctx: ModuleContext, access: ForumAccess) {
  const { db, cache } = ctx;
  const sqlite = db.dialect === 'sqlite';

  async function ranks(): Promise<Rank[]> {
    return cache.remember('forum:ranks', { ttl: 3600, tags: [RANKS_TAG] }, async () =>
      ((await db.write('ranks').orderBy('min_points')) as Record<string, unknown>[]).map((r) => ({
        minPoints: Number(r.min_points),
        title: { en: String(r.title_en), ru: String(r.title_ru) },
      })),
    );
  }

  function rankOf(list: Rank[], points: number, language: string): string | null {
    let best: Rank | null = null;
    for (const r of list) if (r.minPoints <= points) best = r;
    if (!best) return null;
    return language === 'ru' ? best.title.ru : best.title.en;
  }

  function validRanks(input: unknown): Rank[] {
    if (!Array.isArray(input) || input.length === 0 || input.length > 100) throw profileErrors.FORUM_RANKS_INVALID('give from 1 to 100 ranks');
    const seen = new Set<number>();
    return input.map((raw: unknown) => {
      const r = (raw ?? {}) as Partial<Rank>;
      const min = Number(r.minPoints);
      const en = String(r.title?.en ?? '').trim();
      const ru = String(r.title?.ru ?? '').trim();
      if (!Number.isSafeInteger(min) || min < 0) throw profileErrors.FORUM_RANKS_INVALID('minimum points must be whole numbers from 0');
      if (seen.has(min)) throw profileErrors.FORUM_RANKS_INVALID(`two ranks start at ${min} points`);
      if (!en || !ru || en.length > 100 || ru.length > 100) throw profileErrors.FORUM_RANKS_INVALID('each rank needs an English and a Russian title of at most 100 characters');
      seen.add(min);
      return { minPoints: min, title: { en, ru } };
    });
  }

  /** Adds to (or, negative, takes from) a user's post count and points in one atomic statement. */
  async function add(tx: ModuleTx, userId: number | null, posts: number, points: number): Promise<void> {
    if (userId === null) return;
    await tx
      .table('profiles')
      .insert({ user_id: userId, post_count: Math.max(0, posts), points: Math.max(0, points) })
      .onConflict('user_id')
      .merge({ post_count: tx.knex.raw('post_count + ?', [posts]), points: tx.knex.raw('points + ?', [points]) });
  }

  /** Forum profiles of users (one query), with the rank title in `language`; users without posts get zeros. */
  async function of(userIds: (number | null)[], language = 'en'): Promise<Map<number, ForumProfile>> {
    const ids = [...new Set(userIds.filter((id): id is number => id !== null && Number.isSafeInteger(id) && id > 0))];
    const out = new Map<number, ForumProfile>();
    if (!ids.length) return out;
    const list = await ranks();
    const rows = (await db.read('profiles').whereIn('user_id', ids)) as Record<string, unknown>[];
    const byId = new Map(rows.map((r) => [Number(r.user_id), r]));
    for (const id of ids) {
      const r = byId.get(id);
      const points = r ? Number(r.points) : 0;
      out.set(id, { userId: id, postCount: r ? Number(r.post_count) : 0, points, rank: rankOf(list, points, language) });
    }
    return out;
  }

  async function profile(userId: number, language = 'en'): Promise<ForumProfile> {
    return (await of([userId], language)).get(userId) ?? { userId, postCount: 0, points: 0, rank: null };
  }


  return {
    /** Makes sure the user has a profile row (outside any transaction, so the row lock in lockForPost finds it). */
    async ensure(userId: number): Promise<void> {
      await db.write('profiles').insert({ user_id: userId, post_count: 0, points: 0 }).onConflict('user_id').ignore();
    },

    /**
     * Locks the author's profile row until the posting transaction ends, so one user's posts are written one at a
     * time (flood control counts inside that lock). SQLite runs one write transaction at a time already.
     */
    async lockForPost(tx: ModuleTx, userId: number): Promise<void> {
      if (!sqlite) await tx.table('profiles').where({ user_id: userId }).forUpdate().first('user_id');
    },

    add,
    of,
    profile,

    /** Takes a whole forum's counted messages (approved, not deleted) off their authors' post counts and points. */
    async forgetForum(tx: ModuleTx, forumId: number): Promise<void> {
      const rows = (await tx
        .table('messages')
        .where({ forum_id: forumId, approved: true })
        .whereNull('deleted_at')
        .whereNotNull('author_id')
        .groupBy('author_id')
        .orderBy('author_id')
        .select('author_id', tx.knex.raw('COUNT(*) as posts'), tx.knex.raw('SUM(CASE WHEN is_first THEN 1 ELSE 0 END) as firsts'))) as Record<string, unknown>[];
      for (const r of rows) {
        const posts = Number(r.posts);
        const firsts = Number(r.firsts);
        await add(tx, Number(r.author_id), -posts, -(firsts * POINTS.topic + (posts - firsts) * POINTS.reply));
      }
    },
    ranks,

    /** Replaces the rank table (forum.manage). */
    async setRanks(principal: Principal, input: Rank[]): Promise<Rank[]> {
      await access.assertManage(principal);
      const list = validRanks(input);
      await db.transaction(async (tx) => {
        await tx.table('ranks').delete();
        await tx.table('ranks').insert(list.map((r) => ({ min_points: r.minPoints, title_en: r.title.en, title_ru: r.title.ru })));
      });
      await cache.invalidateTags(RANKS_TAG);
      return ranks();
    },

    /** Awards (or, negative, takes) points by hand (forum.manage), atomically. */
    async award(principal: Principal, userId: number, points: number): Promise<ForumProfile> {
      await access.assertManage(principal);
      if (!Number.isSafeInteger(points) || Math.abs(points) > 1_000_000) throw profileErrors.FORUM_POINTS_INVALID();
      await ctx.kernel.users.get(userId);
      await db.transaction((tx) => add(tx, userId, 0, points));
      return profile(userId);
    },
  };
}

export type Profiles = ReturnType<typeof createProfiles>;

export type ForumProfiles = ReturnType<typeof createProfiles>;
