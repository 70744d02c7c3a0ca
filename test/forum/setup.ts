import type { Kernel } from '../../core/kernel.js';
import type { Principal } from '../../core/services.js';
import type { ForumLevel } from '../../modules/forum/levels.js';

export const PASSWORD = 'forum-pass-2026';
export const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface ForumPeople {
  /** Signed-in people by login, with their principals. */
  principals: Map<string, Principal>;
  ids: Map<string, number>;
  groups: Map<string, number>;
}

/**
 * Users and groups the forum suites share: readers (E), writers (M, through "registered"), a moderator (Q),
 * an outsider in a group the forum denies, and the anonymous principal.
 */
export async function forumPeople(kernel: Kernel): Promise<ForumPeople> {
  const groups = new Map<string, number>();
  for (const code of ['forum_readers', 'forum_mods', 'forum_outsiders']) groups.set(code, (await kernel.groups.create({ code, name: code })).id);
  groups.set('registered', (await kernel.groups.byCode('registered')).id);
  groups.set('everyone', (await kernel.groups.byCode('everyone')).id);
  const people: [string, string[]][] = [
    ['ann', []],
    ['bob', []],
    ['mod', ['forum_mods']],
    ['reader', ['forum_readers']],
    ['outsider', ['forum_outsiders']],
  ];
  const principals = new Map<string, Principal>();
  const ids = new Map<string, number>();
  for (const [login, codes] of people) {
    const user = await kernel.users.create({
      login,
      email: `${login}@example.com`,
      password: PASSWORD,
      name: login[0]!.toUpperCase() + login.slice(1),
      lastName: 'Test',
      groupIds: codes.map((c) => groups.get(c)!),
    });
    ids.set(login, user.id);
    principals.set(login, await kernel.users.principalOf(user));
  }
  principals.set('anonymous', await kernel.users.principalOf(null));
  return { principals, ids, groups };
}

/** A forum where every signed-in person ("registered") may start topics and moderators moderate. */
export async function makeForum(kernel: Kernel, p: ForumPeople, name: string, opts: { premoderation?: boolean } = {}): Promise<number> {
  const g = (code: string) => p.groups.get(code)!;
  const levels = new Map<number, ForumLevel>([
    [g('registered'), 'M'],
    [g('forum_readers'), 'E'],
    [g('forum_mods'), 'Q'],
  ]);
  const forum = await kernel.api('forum').forums.create(ADMIN, { name, premoderation: opts.premoderation, permissions: levels });
  return forum.id;
}

/** "registered" has no entry here, so ann and bob get A (deny); reader gets E, outsider I (reply only), mod Q. */
export async function makePrivateForum(kernel: Kernel, p: ForumPeople, name: string): Promise<number> {
  const levels = new Map<number, ForumLevel>([
    [p.groups.get('forum_readers')!, 'E'],
    [p.groups.get('forum_outsiders')!, 'I'],
    [p.groups.get('forum_mods')!, 'Q'],
  ]);
  return (await kernel.api('forum').forums.create(ADMIN, { name, permissions: levels })).id;
}
