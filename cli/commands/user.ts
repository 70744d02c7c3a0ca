import { Command } from 'commander';
import type { Kernel } from '../../core/kernel.js';
import type { User } from '../../core/services.js';
import { userErrors } from '../../core/users/errors.js';
import { PASSWORD_RULE } from '../../core/users/passwords.js';
import { generatePassword } from '../../installer/admin.js';
import { withKernel } from '../utils/kernel.js';
import { line, printGeneratedPassword, printJson, printSecretBox, printTable } from '../utils/output.js';
import { intOption } from '../utils/parse.js';
import { askNewPassword, isInteractive } from '../utils/prompt.js';

interface AddFlags {
  email: string;
  password?: string;
  name?: string;
  serviceAccount?: boolean;
  lastName?: string;
  group?: string[];
  admin?: boolean;
  json?: boolean;
}

export function userCommand(): Command {
  const cmd = new Command('user').description('manage users: add, list, passwd, block, token');

  cmd
    .command('add <login>')
    .description('create a user (a password is generated and shown once unless --password)')
    .requiredOption('--email <email>', 'e-mail address')
    .option('--password <password>', `password: ${PASSWORD_RULE} (default: generated and printed once)`)
    .option('--name <name>', 'first name')
    .option('--last-name <lastName>', 'last name')
    .option('--group <code...>', 'group codes to add the user to')
    .option('--admin', 'add the user to "administrators"')
    .option('--service-account', 'not a person of the company: not listed in the employee directory')
    .option('--json', 'print JSON')
    .action((login: string, flags: AddFlags) =>
      withKernel(async (kernel) => {
        const codes = [...(flags.group ?? []), ...(flags.admin ? ['administrators'] : [])];
        const groupIds: number[] = [];
        for (const code of new Set(codes)) groupIds.push((await kernel.groups.byCode(code)).id);
        const generatedPassword = flags.password === undefined ? generatePassword() : undefined;
        const user = await kernel.users.create({
          login,
          email: flags.email,
          password: flags.password ?? generatedPassword,
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(flags.lastName !== undefined ? { lastName: flags.lastName } : {}),
          ...(flags.serviceAccount ? { employee: false } : {}),
          groupIds,
        });
        if (flags.json) return printJson({ user, ...(generatedPassword ? { generatedPassword } : {}) });
        line(`User ${user.login} created (id ${user.id}${user.isAdmin ? ', administrator' : ''}).`);
        if (generatedPassword) printGeneratedPassword(user.login, generatedPassword, 'New user');
      }),
    );

  cmd
    .command('list')
    .description('list users')
    .option('--search <text>', 'part of the login, e-mail or name')
    .option('--limit <n>', 'at most this many', intOption(1, 500), 50)
    .option('--offset <n>', 'skip this many', intOption(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--json', 'print JSON')
    .action((flags: { search?: string; limit: number; offset: number; json?: boolean }) =>
      withKernel(async (kernel) => {
        const page = await kernel.users.list({ search: flags.search, limit: flags.limit, offset: flags.offset });
        if (flags.json) return printJson(page);
        const groups = new Map((await kernel.groups.list()).map((g) => [g.id, g.code]));
        printTable(page.items, [
          { title: 'id', value: (u) => u.id },
          { title: 'login', value: (u) => u.login },
          { title: 'e-mail', value: (u) => u.email },
          { title: 'name', value: (u) => `${u.name} ${u.lastName}`.trim() },
          { title: 'active', value: (u) => u.active },
          { title: 'groups', value: (u) => u.groupIds.map((id) => groups.get(id) ?? id) },
        ], 'No user found.');
        if (page.total > page.items.length) line(`${page.items.length} of ${page.total} shown (--limit, --offset).`);
      }),
    );

  cmd
    .command('passwd <login>')
    .description("set a user's password (asked on a terminal, else generated and shown once)")
    .option('--password <password>', `the new password: ${PASSWORD_RULE}`)
    .action((login: string, flags: { password?: string }) =>
      withKernel(async (kernel) => {
        const user = await userByLogin(kernel, login);
        let password = flags.password;
        if (password === undefined && isInteractive()) password = await askNewPassword(`New password for ${login}`, login);
        const generated = password === undefined ? generatePassword() : undefined;
        await kernel.users.setPassword(user.id, password ?? generated!);
        line(`Password of ${login} changed.`);
        if (generated) printGeneratedPassword(login, generated, 'New password');
      }),
    );

  cmd
    .command('block <login>')
    .description('block a user (they can no longer sign in); --unblock lets them back')
    .option('--unblock', 'unblock instead')
    .action((login: string, flags: { unblock?: boolean }) =>
      withKernel(async (kernel) => {
        const user = await userByLogin(kernel, login);
        await kernel.users.setActive(user.id, Boolean(flags.unblock));
        line(`User ${login} ${flags.unblock ? 'unblocked' : 'blocked'}.`);
      }),
    );

  cmd
    .command('token <login>')
    .description('issue an API token for a user (shown once)')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--json', 'print JSON')
    .action((login: string, flags: { name: string; json?: boolean }) =>
      withKernel(async (kernel) => {
        const user = await userByLogin(kernel, login);
        const { token, id } = await kernel.tokens.issue(user.id, flags.name);
        if (flags.json) return printJson({ id, token, login, name: flags.name });
        printSecretBox('API token: shown ONCE', [['login', login], ['name', flags.name], ['token', token]], 'Send it as `Authorization: Bearer <token>`.');
      }),
    );
  return cmd;
}

async function userByLogin(kernel: Kernel, login: string): Promise<User> {
  const user = await kernel.users.findByLogin(login);
  if (!user) throw userErrors.USER_NOT_FOUND(`"${login}"`);
  return user;
}
