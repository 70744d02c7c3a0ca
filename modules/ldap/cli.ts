import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { ModuleCliTools } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { ldapErrors } from './errors.js';
import type { LdapServer, LdapServerInput, SyncRun } from './server-types.js';

/** The CLI acts for the system administrator, like the installer. */
const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

const summary = (r: SyncRun) =>
  `run ${r.id} ${r.status}${r.dryRun ? ' (dry run)' : ''}: created ${r.created}, updated ${r.updated}, disabled ${r.disabled}, unchanged ${r.unchanged}, errors ${r.errors}${r.message ? ` (${r.message})` : ''}`;

/** The sync's progress phases as the CLI names them. */
const PHASES = { users: 'users read:', groups: 'groups read:', apply: 'people applied:' } as const;

/** What `list` and `--json` show of a server: everything but the bind password, which is only "set" or not. */
const publicServer = (s: LdapServer) => s;

function serverOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'a name for people')
    .option('--url <url>', 'ldap://host:389 or ldaps://host:636')
    .option('--start-tls', 'upgrade ldap:// with StartTLS before binding')
    .option('--ca-file <file>', 'PEM file of the CA that signed the server certificate')
    .option('--bind-dn <dn>', 'the service account that searches the directory')
    .option('--bind-password-env <var>', 'read the bind password from this environment variable (never from the command line)')
    .option('--base-dn <dn>', 'where users are searched')
    .option('--user-filter <filter>', 'LDAP filter of user entries')
    .option('--group-base-dn <dn>', 'where groups are searched (default: the base DN)')
    .option('--group-filter <filter>', 'LDAP filter of group entries')
    .option('--member-attribute <attr>', 'the group attribute listing members (member, uniqueMember, memberUid)')
    .addOption(new Option('--nested <mode>', 'nested groups').choices(['none', 'expand', 'in-chain']))
    .option('--page-size <n>', 'entries per page of a paged search')
    .option('--no-create-on-login', 'do not create portal users on their first directory sign-in')
    .addOption(new Option('--outage-policy <policy>', 'sign-in while the directory is down').choices(['deny', 'recent']))
    .option('--outage-days <n>', 'with --outage-policy recent: users who signed in within this many days')
    .addOption(new Option('--departments <source>', 'where departments come from').choices(['none', 'attribute', 'ou']))
    .option('--sync-minutes <n>', 'minutes between scheduled syncs (0: by hand only)');
}

type Flags = Record<string, string | boolean | undefined>;

function inputOf(flags: Flags): LdapServerInput {
  const input: LdapServerInput = {};
  const s = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  const n = (k: string) => (s(k) === undefined ? undefined : Number(s(k)));
  if (s('name') !== undefined) input.name = s('name');
  if (s('url') !== undefined) input.url = s('url');
  if (flags.startTls === true) input.startTls = true;
  if (s('caFile') !== undefined) {
    try {
      input.caCert = readFileSync(s('caFile')!, 'utf8');
    } catch {
      throw ldapErrors.LDAP_CONFIG_INVALID(`cannot read the CA file ${s('caFile')}`, { field: 'caFile' });
    }
  }
  if (s('bindDn') !== undefined) input.bindDn = s('bindDn');
  if (s('bindPasswordEnv') !== undefined) {
    const value = process.env[s('bindPasswordEnv')!];
    if (value === undefined) throw ldapErrors.LDAP_CONFIG_INVALID(`the environment variable ${s('bindPasswordEnv')} is not set`, { field: 'bindPassword' });
    input.bindPassword = value;
  }
  for (const k of ['baseDn', 'userFilter', 'groupBaseDn', 'groupFilter', 'memberAttribute', 'nested', 'outagePolicy', 'departments'] as const) if (s(k) !== undefined) (input as Record<string, unknown>)[k] = s(k);
  for (const k of ['pageSize', 'outageDays', 'syncMinutes'] as const) if (n(k) !== undefined) input[k] = n(k);
  if (flags.createOnLogin === false) input.createOnLogin = false;
  return input;
}

/** `portal ldap server add|list|test|remove`, `portal ldap sync`, `portal ldap search`. */
export function ldapCli(tools: ModuleCliTools): Command[] {
  const cmd = new Command('ldap').description('Active Directory / LDAP: servers, sync, look-ups');
  const server = cmd.command('server').description('directory servers');

  serverOptions(server.command('add <code>').description('add a server (the bind password from --bind-password-env)'))
    .addOption(new Option('--preset <preset>', 'attribute map and filters to start from').choices(['ad', 'openldap']).default('openldap'))
    .option('--json', 'print the server as JSON')
    .action(async (code: string, flags: Flags) => {
      const created = await tools.withKernel((kernel) => kernel.api('ldap').addServer(SYSTEM, { ...inputOf(flags), code, preset: flags.preset as 'ad' | 'openldap' }));
      if (flags.json) tools.printJson(publicServer(created));
      else tools.line(`server ${created.code} added (id ${created.id})`);
    });

  serverOptions(server.command('update <server>').description('change a server (by id or code)'))
    .option('--json', 'print the server as JSON')
    .action(async (ref: string, flags: Flags) => {
      const updated = await tools.withKernel(async (kernel) => {
        const api = kernel.api('ldap');
        return api.updateServer(SYSTEM, (await api.getServer(SYSTEM, ref)).id, inputOf(flags));
      });
      if (flags.json) tools.printJson(publicServer(updated));
      else tools.line(`server ${updated.code} updated`);
    });

  server
    .command('list')
    .description('the configured servers (bind passwords are never shown)')
    .option('--json', 'print JSON')
    .action(async (flags: Flags) => {
      const list = await tools.withKernel((kernel) => kernel.api('ldap').listServers(SYSTEM));
      if (flags.json) return tools.printJson(list.map(publicServer));
      if (list.length === 0) return tools.line('no LDAP servers');
      for (const s of list) tools.line(`${s.id}\t${s.code}\t${s.active ? 'active' : 'off'}\t${s.url}${s.startTls ? ' (StartTLS)' : ''}\t${s.baseDn}\tbind password ${s.hasBindPassword ? 'set' : 'not set'}`);
    });

  server
    .command('test <server>')
    .description('bind with the service account and read a few users')
    .option('--json', 'print JSON')
    .action(async (ref: string, flags: Flags) => {
      const result = await tools.withKernel(async (kernel) => {
        const api = kernel.api('ldap');
        return api.testServer(SYSTEM, (await api.getServer(SYSTEM, ref)).id);
      });
      if (flags.json) tools.printJson(result);
      else tools.line(result.ok ? `ok: ${result.message}; users: ${result.sample.join(', ') || 'none found'}` : `failed: ${result.message}`);
      if (!result.ok) process.exitCode = 1;
    });

  server
    .command('remove <server>')
    .description('remove a server; the portal users it made stay')
    .action(async (ref: string) => {
      const code = await tools.withKernel(async (kernel) => {
        const api = kernel.api('ldap');
        const s = await api.getServer(SYSTEM, ref);
        await api.removeServer(SYSTEM, s.id);
        return s.code;
      });
      tools.line(`server ${code} removed`);
    });

  cmd
    .command('sync')
    .description('sync users, groups and departments from the directory; any LDAP error changes nobody')
    .option('--server <server>', 'only this server (id or code); default: every active server')
    .option('--dry-run', 'count what would change, change nothing')
    .option('--json', 'print the runs as JSON')
    .option('--progress', 'print progress to stderr line by line (on a terminal it is shown in place anyway)')
    .action(async (flags: Flags) => {
      const inPlace = process.stderr.isTTY && !flags.json && !flags.progress;
      const progress = inPlace ? (text: string) => void process.stderr.write(`\r  ${text}   `) : flags.progress ? (text: string) => void process.stderr.write(`${text}\n`) : undefined;
      const results = await tools.withKernel(async (kernel) => {
        const api = kernel.api('ldap');
        const servers = flags.server ? [await api.getServer(SYSTEM, String(flags.server))] : (await api.listServers(SYSTEM)).filter((s) => s.active);
        const out: { server: string; run?: SyncRun; error?: string }[] = [];
        for (const s of servers) {
          try {
            out.push({ server: s.code, run: await api.sync(SYSTEM, s.id, { dryRun: flags.dryRun === true, trigger: 'cli', onProgress: progress && ((p) => progress(`${s.code}: ${PHASES[p.phase]} ${p.done}`)) }) });
          } catch (err) {
            const e = err as { code?: string; message?: string };
            if (!e.code?.startsWith('LDAP_')) throw err;
            out.push({ server: s.code, error: e.message });
          }
          if (inPlace) process.stderr.write('\n');
        }
        return out;
      });
      if (flags.json) tools.printJson(results);
      else if (results.length === 0) tools.line('no active LDAP servers');
      else for (const r of results) tools.line(`${r.server}: ${r.run ? summary(r.run) : `failed: ${r.error}`}`);
      if (results.some((r) => r.error || r.run?.status !== 'ok')) process.exitCode = 1;
    });

  cmd
    .command('search <login>')
    .description('what the directory holds for a login (attributes and groups), for debugging')
    .option('--server <server>', 'the server (id or code); default: the first active one')
    .option('--json', 'print JSON')
    .action(async (login: string, flags: Flags) => {
      const found = await tools.withKernel(async (kernel) => {
        const api = kernel.api('ldap');
        const s = flags.server ? await api.getServer(SYSTEM, String(flags.server)) : (await api.listServers(SYSTEM)).find((x) => x.active);
        if (!s) throw ldapErrors.LDAP_SERVER_NOT_FOUND('(none active)');
        return api.search(SYSTEM, s.id, login);
      });
      if (flags.json) return tools.printJson(found);
      if (!found) {
        tools.line(`no single directory user matches "${login}"`);
        process.exitCode = 1;
        return;
      }
      const p = found.person;
      tools.line(`dn: ${p.dn}\nuuid: ${p.uuid}\nlogin: ${p.login}\nemail: ${p.email}\nname: ${p.name} ${p.lastName}\nposition: ${p.position}\ndepartment: ${p.departmentPath.join(' / ')}\nmanager: ${p.managerDn}\ndisabled: ${p.disabled ? 'yes' : 'no'}`);
      for (const g of found.groups) tools.line(`group: ${g}`);
    });

  return [cmd];
}
