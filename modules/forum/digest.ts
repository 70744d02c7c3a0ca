import type { ModuleContext } from '../../core/modules/types.js';
import { dayStart, isoDateIn } from '../../core/time/wall-time.js';
import { effectiveTimeZone } from '../../core/time/zones.js';
import type { ForumAccess } from './access.js';
import { atLeast } from './levels.js';
import { topicUrl } from './mentions.js';

type Row = Record<string, unknown>;

/** Nobody is told about their own posts. */
function notBy(q: { where(fn: (w: any) => void): unknown }, userId: number): void {
  q.where((w) => w.whereNull('author_id').orWhereNot('author_id', userId));
}

interface DigestTopic {
  topicId: number;
  count: number;
  /** The topic itself is new: its first message is among the new ones. */
  isNew: boolean;
}

/**
 * The daily digest (option `daily_digest`): once a day, after midnight on the site's clock, one FORUM_DIGEST mail
 * per subscriber lists the topics with new approved messages of the days before, from all their pending
 * subscriptions. Messages of the current day stay pending for tomorrow's digest. `forum_digests` holds the day each
 * user last got one, claimed with a conditional UPDATE so two nodes never both send.
 */
export function createDigest(ctx: ModuleContext, access: ForumAccess) {
  const { db, kernel } = ctx;

  /** New approved messages of a subscription before `cutoff`, per topic (forum subscriptions cover every topic). */
  async function newIn(sub: Row, cutoff: number): Promise<DigestTopic[]> {
    const q = db
      .write('messages')
      .where('approved', true)
      .whereNull('deleted_at')
      .where('id', '>=', Number(sub.pending_message_id))
      .where('created_at', '<', cutoff);
    notBy(q, Number(sub.user_id));
    if (Number(sub.topic_id)) q.where({ topic_id: Number(sub.topic_id) });
    else q.where({ forum_id: Number(sub.forum_id) });
    const rows = (await q.groupBy('topic_id').select('topic_id').count({ n: '*' }).max({ first: 'is_first' })) as Row[];
    return rows.map((r) => ({ topicId: Number(r.topic_id), count: Number(r.n), isNew: Number(r.first) === 1 || r.first === true }));
  }

  /** The subscription's first pending message from `cutoff` on (it stays pending), or null; never one before `pending`. */
  async function nextPending(sub: Row, cutoff: number): Promise<number | null> {
    const q = db.write('messages').where('approved', true).whereNull('deleted_at').where('id', '>=', Number(sub.pending_message_id)).where('created_at', '>=', cutoff);
    if (Number(sub.topic_id)) q.where({ topic_id: Number(sub.topic_id) });
    else q.where({ forum_id: Number(sub.forum_id) });
    notBy(q, Number(sub.user_id));
    const r = (await q.min({ id: 'id' }).first()) as Row | undefined;
    return r?.id == null ? null : Number(r.id);
  }

  /** Claims `day` for the user; false when their digest of that day already went (here or on another node). */
  async function claim(userId: number, day: string): Promise<boolean> {
    await db.write('digests').insert({ user_id: userId, last_day: '' }).onConflict(['user_id']).ignore();
    return (await db.write('digests').where({ user_id: userId }).whereNot('last_day', day).update({ last_day: day })) > 0;
  }

  return {
    /** The digest agent's work; `now` is for tests. Returns how many digests were sent. */
    async sendDigests(now = Date.now()): Promise<number> {
      const site = (await kernel.sites.list()).find((s) => s.isDefault) ?? (await kernel.sites.list())[0];
      const zone = effectiveTimeZone(site?.timeZone);
      const today = isoDateIn(now, zone);
      const cutoff = dayStart(today, zone);
      const covered = isoDateIn(cutoff - 1, zone);
      const pending = (await db.write('subscriptions').whereNotNull('pending_message_id').orderBy(['user_id', 'id'])) as Row[];
      const byUser = new Map<number, Row[]>();
      for (const s of pending) byUser.set(Number(s.user_id), [...(byUser.get(Number(s.user_id)) ?? []), s]);
      let sent = 0;
      for (const [userId, subs] of byUser) {
        const user = await kernel.users.find(userId);
        if (!user?.active || !user.email) continue;
        const principal = await kernel.users.principalOf(user);
        const topics = new Map<number, DigestTopic>();
        for (const s of subs) {
          if (!atLeast(await access.levelOf(principal, Number(s.forum_id)), 'E')) continue;
          for (const d of await newIn(s, cutoff)) if (!topics.has(d.topicId)) topics.set(d.topicId, d);
        }
        const rows = topics.size ? ((await db.write('topics').whereIn('id', [...topics.keys()]).whereNull('deleted_at').where('approved', true).orderBy('id')) as Row[]) : [];
        const release = async () => {
          for (const s of subs) await db.write('subscriptions').where({ id: s.id, pending_message_id: s.pending_message_id }).update({ pending_message_id: await nextPending(s, cutoff) });
        };
        if (!rows.length) {
          await release(); // nothing left to tell of the days before (deleted, or no longer readable)
          continue;
        }
        if (!(await claim(userId, today))) continue;
        const language = user.language ?? site?.language ?? 'en';
        const lines = rows.map((t) => {
          const d = topics.get(Number(t.id))!;
          const key = d.isNew ? 'FORUM_DIGEST_NEW_TOPIC' : 'FORUM_DIGEST_REPLIES';
          return `- ${ctx.t(key, language, { TITLE: String(t.title), COUNT: d.count })}\n  ${topicUrl(Number(t.id))}?unread=1#unread`;
        });
        await kernel.mail.send(
          'FORUM_DIGEST',
          {
            EMAIL_TO: user.email,
            NAME: `${user.name} ${user.lastName}`.trim() || user.login,
            DATE: covered,
            COUNT: rows.length,
            LIST: lines.join('\n'),
            SITE_NAME: site?.name ?? '',
          },
          { siteId: site?.id ?? 's1', language },
        );
        await release();
        sent++;
      }
      return sent;
    },
  };
}
