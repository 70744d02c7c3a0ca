import type { Kernel } from '../core/kernel.js';
import type { Principal } from '../core/services.js';
import { quoteOf } from '../modules/forum/quote.js';
import { DEMO_FORUM } from './demo-forum-content.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface DemoForumReport {
  /** Why nothing was done, when nothing was. */
  skipped?: string;
  topics: number;
  replies: number;
}

/**
 * The demo forum: a category, a forum open to every employee (the forum module's default levels: "registered" may
 * start topics) and a few topics with replies by the demo employees, some quoting. Matched by name, so running it
 * again adds nothing. Needs the forum module and the demo employees; without the module nothing happens.
 */
export async function installDemoForum(kernel: Kernel): Promise<DemoForumReport> {
  if (!kernel.modules.isInstalled('forum')) return { skipped: 'the forum module is not installed (add it with --modules infoblocks,forum)', topics: 0, replies: 0 };
  const site = (await kernel.sites.list()).find((s) => s.isDefault) ?? (await kernel.sites.list())[0]!;
  const texts = DEMO_FORUM[site.language === 'ru' ? 'ru' : 'en'];
  const api = kernel.api('forum');
  if ((await api.forums.list(SYSTEM, site.id)).some((f) => f.name === texts.forum)) return { topics: 0, replies: 0 };
  const category = (await api.forums.categories(site.id)).find((c) => c.name === texts.category) ?? (await api.forums.createCategory(SYSTEM, { name: texts.category, siteId: site.id, sort: 100 }));
  const forum = await api.forums.create(SYSTEM, { name: texts.forum, description: texts.description, categoryId: category.id, siteId: site.id, sort: 100 });

  const principals = new Map<string, Principal>();
  const as = async (login: string): Promise<Principal> => {
    if (!principals.has(login)) {
      const user = await kernel.users.findByLogin(login);
      if (!user) throw new Error(`the demo employee ${login} is missing`);
      principals.set(login, await kernel.users.principalOf(user));
    }
    return principals.get(login)!;
  };
  let replies = 0;
  for (const topic of texts.topics) {
    const { topic: made, message } = await api.createTopic(await as(topic.author), { forumId: forum.id, title: topic.title, body: topic.body });
    let previous = message;
    for (const r of topic.replies) {
      const body = r.quote ? `${quoteOf(previous)}${r.body}` : r.body;
      previous = await api.reply(await as(r.author), { topicId: made.id, body });
      replies++;
    }
  }
  return { topics: texts.topics.length, replies };
}
