import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import { ldapAuthProvider } from './auth-provider.js';
import { describeLdapError, liveConnector, type Connector } from './connection.js';
import { findPerson, groupsOfUser, personPages } from './directory.js';
import type { Person } from './person.js';
import { PRESETS, type Preset, type PresetName } from './presets.js';
import { RunLog } from './run-log.js';
import { BIND_PASSWORD_KEY } from './secret-box.js';
import { ServerStore } from './server-store.js';
import type { GroupMap, LdapServer, LdapServerInput, SyncRun } from './server-types.js';
import { syncServer, underSyncLock, type SyncOptions } from './sync.js';

export const MANAGE = 'ldap.manage';

export interface TestResult {
  ok: boolean;
  /** What failed, readable; never the password. */
  message: string;
  /** A few logins found under the base DN (when the bind worked). */
  sample: string[];
  /** On failure: LDAP_PASSWORD_EMPTY, or LDAP_UNAVAILABLE with the directory's own text in `cause` (and its LDAP result code). */
  code?: 'LDAP_PASSWORD_EMPTY' | 'LDAP_UNAVAILABLE';
  cause?: string;
  resultCode?: number;
}

export interface LdapApi {
  presets(): Record<PresetName, Preset>;
  listServers(principal: Principal): Promise<LdapServer[]>;
  getServer(principal: Principal, idOrCode: number | string): Promise<LdapServer>;
  addServer(principal: Principal, input: LdapServerInput): Promise<LdapServer>;
  updateServer(principal: Principal, id: number, input: LdapServerInput): Promise<LdapServer>;
  removeServer(principal: Principal, id: number): Promise<void>;
  testServer(principal: Principal, id: number): Promise<TestResult>;
  groupMaps(principal: Principal, serverId: number): Promise<GroupMap[]>;
  addGroupMap(principal: Principal, serverId: number, input: { ldapGroup: string; groupId?: number | null; ban?: boolean }): Promise<GroupMap>;
  removeGroupMap(principal: Principal, serverId: number, mapId: number): Promise<void>;
  sync(principal: Principal, serverId: number, opts?: SyncOptions): Promise<SyncRun>;
  /** Every active server with a schedule whose time has come (the agent). */
  syncDue(now?: number): Promise<SyncRun[]>;
  runs(principal: Principal, query?: { serverId?: number; limit?: number; offset?: number }): Promise<{ items: SyncRun[]; total: number }>;
  /** Debugging: what the directory holds for a login, with its groups (no bind as the user). */
  search(principal: Principal, serverId: number, login: string): Promise<{ person: Person; groups: string[] } | null>;
}

/** The module's API; `connector` is the live directory unless a test of AD-only behaviour passes a fixture. */
export function createLdapApi(ctx: ModuleContext, connector: Connector = liveConnector): LdapApi {
  const { kernel } = ctx;
  const store = new ServerStore({ db: ctx.db, key: () => kernel.secrets.key(BIND_PASSWORD_KEY) });
  const runs = new RunLog(ctx.db);
  const deps = { ctx, store, connector, runs, running: new Set<number>() };
  const assert = (principal: Principal) => kernel.rights.assert(principal, MANAGE);
  kernel.users.providers.register(ldapAuthProvider(deps));

  return {
    presets: () => PRESETS,
    async listServers(principal) {
      await assert(principal);
      return store.list();
    },
    async getServer(principal, idOrCode) {
      await assert(principal);
      return store.get(idOrCode);
    },
    async addServer(principal, input) {
      await assert(principal);
      return store.create(input);
    },
    async updateServer(principal, id, input) {
      await assert(principal);
      return store.update(id, input);
    },
    async removeServer(principal, id) {
      await assert(principal);
      // Under the sync's lock: a server is never removed from under a running sync.
      await underSyncLock(deps, (await store.get(id)).id, () => store.remove(id));
    },
    async testServer(principal, id) {
      await assert(principal);
      const server = await store.get(id);
      try {
        const session = await connector.open(server, await store.bindPassword(server.id));
        try {
          const sample: string[] = [];
          for await (const page of personPages(session, { ...server, pageSize: 10 })) {
            sample.push(...page.people.slice(0, 5 - sample.length).map((p) => p.login));
            break;
          }
          return { ok: true, message: `Connected to ${server.url} and bound as ${server.bindDn || 'anonymous'}`, sample };
        } finally {
          await session.close();
        }
      } catch (err) {
        if (isPortalError(err) && err.status < 500 && err.code !== 'LDAP_PASSWORD_EMPTY') throw err;
        if (isPortalError(err) && err.code === 'LDAP_PASSWORD_EMPTY') return { ok: false, message: err.message, sample: [], code: err.code };
        const resultCode = isPortalError(err) ? err.details?.resultCode : (err as { code?: unknown })?.code;
        return { ok: false, message: describeLdapError(err), sample: [], code: 'LDAP_UNAVAILABLE', cause: describeLdapError(err), ...(typeof resultCode === 'number' ? { resultCode } : {}) };
      }
    },
    async groupMaps(principal, serverId) {
      await assert(principal);
      return store.groupMaps(serverId);
    },
    async addGroupMap(principal, serverId, input) {
      await assert(principal);
      if (input?.groupId != null) await kernel.groups.get(Number(input.groupId));
      return store.addGroupMap(serverId, input);
    },
    async removeGroupMap(principal, serverId, mapId) {
      await assert(principal);
      await store.removeGroupMap(serverId, mapId);
    },
    async sync(principal, serverId, opts) {
      await assert(principal);
      return syncServer(deps, await store.get(serverId), opts);
    },
    async syncDue(now = Date.now()) {
      const out: SyncRun[] = [];
      for (const server of await store.list()) {
        if (!server.active || server.syncMinutes <= 0) continue;
        if (now - (await runs.lastStarted(server.id)) < server.syncMinutes * 60_000) continue;
        try {
          out.push(await syncServer(deps, server, { trigger: 'agent' }));
        } catch (err) {
          // Logged in the sync log; one server down does not stop the others.
          if (!isPortalError(err)) throw err;
        }
      }
      return out;
    },
    async runs(principal, query) {
      await assert(principal);
      return runs.list(query);
    },
    async search(principal, serverId, login) {
      await assert(principal);
      const server = await store.get(serverId);
      const session = await connector.open(server, await store.bindPassword(server.id));
      try {
        const found = await findPerson(session, server, login);
        if (!found) return null;
        return { person: found.person, groups: await groupsOfUser(session, server, found.person.dn, found.person.login) };
      } finally {
        await session.close();
      }
    },
  };
}
