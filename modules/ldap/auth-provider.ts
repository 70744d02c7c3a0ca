import type { AuthOutcome, AuthProvider } from '../../core/users/auth-providers.js';
import type { ModuleContext } from '../../core/modules/types.js';
import { hashPassword, verifyPassword } from '../../core/users/passwords.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import type { Connector } from './connection.js';
import { describeLdapError } from './connection.js';
import { findPerson, groupsOfUser } from './directory.js';
import { EXTERNAL_AUTH_ID, PortalWriter, toLink, type LinkRow } from './portal-writer.js';
import type { ServerStore } from './server-store.js';
import type { LdapServer } from './server-types.js';

const DAY_MS = 86_400_000;

interface Deps {
  ctx: ModuleContext;
  store: ServerStore;
  connector: Connector;
}

/**
 * Directory sign-in: find the user's DN with an escaped filter (service account), bind as
 * that DN with the password, then create or update the portal user with its mapped
 * attributes and groups. An empty or blank password never reaches a bind. While a server
 * cannot be reached, its outage policy decides: deny, or accept users who signed in within
 * N days against the hash kept from their last directory sign-in (logged as login.offline).
 */
export function ldapAuthProvider(deps: Deps): AuthProvider {
  return {
    id: EXTERNAL_AUTH_ID,
    async authenticate(attempt, account) {
      if (!attempt.password || !attempt.password.trim()) return { result: 'failed', reason: 'empty_password' };
      const { ctx, store } = deps;
      const link = account ? ((await ctx.db.write('links').where({ user_id: account.id }).first()) as Record<string, unknown> | undefined) : undefined;
      const servers = (await store.list()).filter((s) => s.active && (!link || s.id === Number(link.server_id)));
      let unavailable: AuthOutcome | undefined;
      for (const server of servers) {
        const outcome = await signInWith(deps, server, attempt.login, attempt.password, link ? toLink(link) : null, attempt.ip);
        if (outcome.result === 'unavailable') unavailable ??= outcome;
        else if (outcome.result !== 'pass') return outcome;
      }
      return unavailable ?? { result: 'pass' };
    },
  };
}

async function signInWith(deps: Deps, server: LdapServer, login: string, password: string, link: LinkRow | null, ip: string): Promise<AuthOutcome> {
  const { ctx, store, connector } = deps;
  let found: Awaited<ReturnType<typeof findPerson>>;
  let groups: string[];
  try {
    const session = await connector.open(server, await store.bindPassword(server.id));
    try {
      found = await findPerson(session, server, login);
      if (!found) return { result: 'pass' };
      if (link && found.person.uuid !== link.uuid) return { result: 'failed', reason: 'directory_identity_changed' };
      if (!(await connector.verify(server, found.person.dn, password))) return { result: 'failed', reason: 'wrong_password' };
      groups = await groupsOfUser(session, server, found.person.dn, found.person.login);
    } finally {
      await session.close();
    }
  } catch (err) {
    if (isPortalError(err) && err.status < 500 && err.code !== 'LDAP_PASSWORD_EMPTY') throw err;
    ctx.log.warn({ server: server.code, err: describeLdapError(err) }, 'ldap sign-in: directory unavailable');
    return offline(deps, server, link, password, ip);
  }
  const writer = new PortalWriter({ kernel: ctx.kernel, db: ctx.db, server, maps: await store.groupMaps(server.id), dryRun: false });
  const { groupIds, banned } = writer.mapGroups(groups);
  const departmentId = await writer.departmentId(found.person.departmentPath);
  let result: Awaited<ReturnType<PortalWriter['apply']>>;
  try {
    result = await writer.apply({ person: found.person, groupIds, banned, departmentId }, { create: server.createOnLogin });
  } catch (err) {
    ctx.log.warn({ server: server.code, dn: found.person.dn, err: (err as Error).message }, 'ldap sign-in: portal user not written');
    return { result: 'failed', reason: (err as { code?: string }).code === 'LDAP_LOGIN_TAKEN' ? 'login_taken_by_local_account' : 'portal_user_invalid' };
  }
  if (result.userId === null) return { result: 'failed', reason: found.person.disabled || banned ? 'disabled_in_directory' : 'not_provisioned' };
  await rememberOffline(deps, server, result.userId, password);
  return { result: 'success', userId: result.userId, details: { provider: EXTERNAL_AUTH_ID, server: server.code } };
}

/** Keeps a hash of the accepted password for the outage policy (only where the policy uses it). */
async function rememberOffline(deps: Deps, server: LdapServer, userId: number, password: string): Promise<void> {
  const patch = server.outagePolicy === 'recent' ? { offline_hash: await hashPassword(password), offline_at: Date.now() } : { offline_hash: null, offline_at: null };
  await deps.ctx.db.write('links').where({ user_id: userId }).update(patch);
}

async function offline(deps: Deps, server: LdapServer, link: LinkRow | null, password: string, ip: string): Promise<AuthOutcome> {
  if (server.outagePolicy !== 'recent') return { result: 'unavailable', reason: 'directory_unavailable' };
  if (!link || !link.offlineHash || !link.offlineAt || Date.now() - link.offlineAt > server.outageDays * DAY_MS) return { result: 'unavailable', reason: 'directory_unavailable' };
  if (!(await verifyPassword(link.offlineHash, password))) return { result: 'failed', reason: 'wrong_password_offline' };
  await deps.ctx.kernel.users.securityLog.record('login.offline', { userId: link.userId, ip, details: { server: server.code, signedInAt: new Date(link.offlineAt).toISOString(), days: server.outageDays } });
  return { result: 'success', userId: link.userId, details: { provider: EXTERNAL_AUTH_ID, server: server.code, offline: true } };
}
