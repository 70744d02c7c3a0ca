import { Command } from 'commander';
import type { ModuleCliTools } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { forumErrors } from './errors.js';
import { isForumLevel, type ForumLevel } from './levels.js';

/** The CLI acts for the system administrator, like the installer. */
const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

function forumId(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw forumErrors.FORUM_NOT_FOUND(raw);
  return Number(raw);
}

/** `portal forum list|create|perms`: enough to script a set-up. */
export function forumCli(tools: ModuleCliTools): Command[] {
  const cmd = new Command('forum').description('forum: list and create forums, set their permissions per group');

  cmd
    .command('list')
    .description('every forum of the default site: id, name, topics, messages')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const forums = await tools.withKernel((kernel) => kernel.api('forum').forums.list(SYSTEM));
      if (flags.json) return tools.printJson(forums);
      if (!forums.length) return tools.line('No forums.');
      for (const f of forums) tools.line(`${f.id}\t${f.name}\ttopics ${f.topicCount}\tmessages ${f.messageCount}${f.premoderation ? '\tpremoderated' : ''}`);
    });

  cmd
    .command('create <name>')
    .description('create a forum; the group "registered" may start topics unless --perm says otherwise')
    .option('--description <text>', 'a line under the name')
    .option('--sort <n>', 'position among the forums', '100')
    .option('--premoderation', 'posts wait for a moderator')
    .option('--perm <group=LEVEL...>', 'a level per group code (A deny, E read, I reply, M new topic, Q moderate, U edit, Y full)')
    .action(async (name: string, flags: { description?: string; sort: string; premoderation?: boolean; perm?: string[] }) => {
      const forum = await tools.withKernel(async (kernel) => {
        const permissions = flags.perm ? await levelsOf(kernel, flags.perm) : undefined;
        return kernel.api('forum').forums.create(SYSTEM, {
          name,
          description: flags.description,
          sort: Number(flags.sort),
          premoderation: flags.premoderation === true,
          permissions: permissions && new Map(permissions.filter((p): p is [number, ForumLevel] => p[1] !== '-')),
        });
      });
      tools.line(`Forum ${forum.id} "${forum.name}" created.`);
    });

  cmd
    .command('perms <forumId>')
    .description('show the levels per group, or change them with --set')
    .option('--set <group=LEVEL...>', 'give a group code a level; LEVEL "-" removes the entry')
    .action(async (raw: string, flags: { set?: string[] }) => {
      const id = forumId(raw);
      const lines = await tools.withKernel(async (kernel) => {
        const api = kernel.api('forum').forums;
        for (const [groupId, level] of flags.set ? await levelsOf(kernel, flags.set, true) : []) {
          await api.setPermission(SYSTEM, id, groupId, level === '-' ? null : level);
        }
        const groups = new Map((await kernel.groups.list()).map((g) => [g.id, g.code]));
        return [...(await api.permissions(SYSTEM, id))].map(([gid, level]) => `${groups.get(gid) ?? gid}\t${level}`);
      });
      for (const l of lines.length ? lines : ['No group has access (everyone: A, deny).']) tools.line(l);
    });

  return [cmd];
}

async function levelsOf(
  kernel: { groups: { list(): Promise<{ id: number; code: string }[]> } },
  pairs: string[],
  allowRemove = false,
): Promise<[number, ForumLevel | '-'][]> {
  const groups = new Map((await kernel.groups.list()).map((g) => [g.code, g.id]));
  return pairs.map((pair) => {
    const [code, level] = pair.split('=');
    const gid = code ? groups.get(code) : undefined;
    if (gid === undefined) throw forumErrors.FORUM_GROUP_NOT_FOUND(code ?? pair);
    if (allowRemove && level === '-') return [gid, '-'];
    if (!isForumLevel(level)) throw forumErrors.FORUM_BAD_LEVEL(level ?? '');
    return [gid, level];
  });
}

