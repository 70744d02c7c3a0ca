import { createHash } from 'node:crypto';
import type { ModuleContext } from '../../core/modules/types.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import type { Connector } from './connection.js';
import { describeLdapError } from './connection.js';
import { groupPages, personPages } from './directory.js';
import { ldapErrors } from './errors.js';
import { normalizeDn, type Person } from './person.js';
import { PortalWriter, toLink, type Desired, type Outcome } from './portal-writer.js';
import type { ServerStore } from './server-store.js';
import type { LdapServer, SyncCounts, SyncRun } from './server-types.js';
import { RunLog } from './run-log.js';

export interface SyncOptions {
  dryRun?: boolean;
  trigger?: 'agent' | 'cli' | 'admin' | 'test';
  /** Called as the sync goes (and awaited): the phase and how many entries it has done. */
  onProgress?: (p: { phase: 'users' | 'groups' | 'apply'; done: number }) => void | Promise<void>;
}

/** Syncs after which a user missing from the directory is disabled. */
export const MISSING_RUNS_TO_DISABLE = 2;
const APPLY_CHUNK = 500;
const hashDn = (dn: string) => createHash('sha1').update(normalizeDn(dn)).digest('hex');

interface Deps {
  ctx: ModuleContext;
  store: ServerStore;
  connector: Connector;
  runs: RunLog;
  /** Servers this process is syncing now (see underSyncLock). */
  running: Set<number>;
}

/**
 * Runs `fn` holding the server's sync lock, or throws LDAP_SYNC_RUNNING. The kernel's lease
 * keeps other processes out; it is re-entrant for its owner (this process), so `running`
 * keeps a second run of this process out (the agent and an admin's "Sync now" side by side).
 */
export async function underSyncLock<T>(deps: Pick<Deps, 'ctx' | 'running'>, serverId: number, fn: () => Promise<T>): Promise<T> {
  if (deps.running.has(serverId)) throw ldapErrors.LDAP_SYNC_RUNNING();
  deps.running.add(serverId);
  try {
    return await deps.ctx.kernel.locks.withLock(`ldap.sync.${serverId}`, fn, { ttlMs: 60_000, busyMessage: 'A sync of this server is already running' });
  } catch (err) {
    if (isPortalError(err) && err.code === 'CONFLICT') throw ldapErrors.LDAP_SYNC_RUNNING();
    throw err;
  } finally {
    deps.running.delete(serverId);
  }
}

/**
 * One sync of one server, in two phases. Read: every user and every group, page by page,
 * into the staging tables (nothing in memory beyond a page and the group list). Any LDAP
 * error, a truncated search (size limit) or an empty user list while the portal has linked
 * users aborts here, and nobody has changed. Write: the staged people are applied through the
 * kernel's services in chunks; linked users missing from two successful syncs in a row are disabled.
 */
export async function syncServer(deps: Deps, server: LdapServer, opts: SyncOptions = {}): Promise<SyncRun> {
  return underSyncLock(deps, server.id, () => runLocked(deps, server, opts));
}

async function runLocked(deps: Deps, server: LdapServer, opts: SyncOptions): Promise<SyncRun> {
  const { ctx, runs } = deps;
  const dryRun = opts.dryRun === true;
  const runId = await runs.start(server.id, opts.trigger ?? 'cli', dryRun);
  const counts: SyncCounts = { created: 0, updated: 0, disabled: 0, unchanged: 0, errors: 0 };
  try {
    let staged: { users: number; groups: string[]; skipped: number };
    try {
      staged = await stage(deps, server, runId, opts);
    } catch (err) {
      const aborted = isPortalError(err) && err.code === 'LDAP_SYNC_ABORTED' ? err : abortedBy(err);
      ctx.log.warn({ server: server.code, err: describeLdapError(err) }, 'ldap sync aborted');
      await runs.finish(runId, 'failed', counts, aborted.message, aborted.details ?? null);
      throw aborted;
    }
    counts.errors += staged.skipped;
    await apply(deps, server, runId, staged, counts, dryRun, opts);
    await runs.finish(runId, 'ok', counts, staged.skipped ? `${staged.skipped} entries had no identity or login` : null, staged.skipped ? { reason: 'skipped', count: staged.skipped } : null);
  } catch (err) {
    if (!(isPortalError(err) && err.code === 'LDAP_SYNC_ABORTED')) {
      await runs.finish(runId, 'failed', counts, describeLdapError(err), { reason: 'failed', cause: describeLdapError(err) }).catch(() => undefined);
    }
    throw err;
  } finally {
    await ctx.db.write('staged_users').where({ run_id: runId }).delete().catch(() => undefined);
    await ctx.db.write('staged_members').where({ run_id: runId }).delete().catch(() => undefined);
  }
  return runs.get(runId);
}

async function stage(deps: Deps, server: LdapServer, runId: number, opts: SyncOptions): Promise<{ users: number; groups: string[]; skipped: number }> {
  const { ctx, store, connector } = deps;
  const session = await connector.open(server, await store.bindPassword(server.id));
  let seq = 0;
  let skipped = 0;
  const groups: string[] = [];
  try {
    for await (const page of readAhead(personPages(session, server))) {
      skipped += page.skipped.length;
      const rows = page.people.map((p) => ({ run_id: runId, seq: seq++, uuid: p.uuid, data: JSON.stringify(p) }));
      for (let i = 0; i < rows.length; i += 250) await ctx.db.write('staged_users').insert(rows.slice(i, i + 250));
      await opts.onProgress?.({ phase: 'users', done: seq });
    }
    await opts.onProgress?.({ phase: 'groups', done: 0 });
    for await (const page of readAhead(groupPages(session, server))) {
      const rows: { run_id: number; member_hash: string; group_no: number }[] = [];
      for (const g of page) {
        const no = groups.push(g.dn) - 1;
        for (const m of g.members) rows.push({ run_id: runId, member_hash: hashDn(m), group_no: no });
      }
      for (let i = 0; i < rows.length; i += 400) await ctx.db.write('staged_members').insert(rows.slice(i, i + 400));
      await opts.onProgress?.({ phase: 'groups', done: groups.length });
    }
  } finally {
    await session.close();
  }
  const uniqueUuids = Number(((await ctx.db.write('staged_users').where({ run_id: runId }).countDistinct({ n: 'uuid' }).first()) as { n?: unknown }).n ?? 0);
  if (uniqueUuids !== seq) throw ldapErrors.LDAP_SYNC_ABORTED('The directory returned the same entry twice; nobody was changed', { reason: 'duplicate' });
  if (seq === 0) {
    const linked = Number(((await ctx.db.write('links').where({ server_id: server.id }).count({ n: '*' }).first()) as { n?: unknown }).n ?? 0);
    if (linked > 0) throw ldapErrors.LDAP_SYNC_ABORTED('The directory returned no users at all while the portal has users from it; an empty answer is not taken as everyone leaving, nobody was changed', { reason: 'empty' });
  }
  return { users: seq, groups, skipped };
}

/**
 * The pages of `source` with the next one already asked for while the caller stages this one,
 * so reading the directory overlaps writing the staging tables (two pages in memory at most).
 * An error of the page read ahead surfaces when the caller gets to it.
 */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = source.next();
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    // Stopped early (the caller failed): let the page in flight settle, then end the search.
    await next.then(() => source.return(undefined), () => undefined).catch(() => undefined);
  }
}

/** LDAP_SYNC_ABORTED for a failure while reading: of the directory or of the portal, with the directory's result code. */
function abortedBy(err: unknown) {
  const reason = fromDirectory(err) ? 'directory' : 'reading';
  const cause = describeLdapError(err);
  const message = `${reason === 'directory' ? 'The directory failed during the sync' : 'The sync failed while reading the directory'}, nobody was changed: ${cause}`;
  const resultCode = isPortalError(err) ? err.details?.resultCode : (err as { code?: unknown })?.code;
  return ldapErrors.LDAP_SYNC_ABORTED(message, { reason, cause, ...(typeof resultCode === 'number' ? { resultCode } : {}) });
}

/** An error of the directory (ldapts result codes, connection failures) rather than of the portal's own database. */
function fromDirectory(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown };
  return typeof e?.code === 'number' || (typeof e?.code === 'string' && e.code.startsWith('LDAP_')) || /Error$/.test(String(e?.name)) && /connect|socket|timeout|closed/i.test(String((err as Error)?.message));
}

/** parents[g]: the groups group g is a direct member of. */
async function groupParents(deps: Deps, runId: number, groups: string[]): Promise<number[][]> {
  const parents: number[][] = groups.map(() => []);
  const byHash = new Map(groups.map((dn, i) => [hashDn(dn), i]));
  const hashes = [...byHash.keys()];
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = (await deps.ctx.db.write('staged_members').where({ run_id: runId }).whereIn('member_hash', hashes.slice(i, i + 500)).select('member_hash', 'group_no')) as { member_hash: string; group_no: number }[];
    for (const r of rows) parents[byHash.get(r.member_hash)!]!.push(Number(r.group_no));
  }
  return parents;
}

/** Every group reachable from the direct ones, up to the depth limit, each once (cycles end there). */
function expand(direct: number[], parents: number[][], server: LdapServer): Set<number> {
  const seen = new Set<number>(direct);
  if (server.nested === 'none') return seen;
  let level = direct;
  for (let depth = 1; depth < server.nestedDepth && level.length > 0; depth++) {
    const next: number[] = [];
    for (const g of level) for (const p of parents[g] ?? []) if (!seen.has(p)) (seen.add(p), next.push(p));
    level = next;
  }
  return seen;
}

async function apply(deps: Deps, server: LdapServer, runId: number, staged: { users: number; groups: string[] }, counts: SyncCounts, dryRun: boolean, opts: SyncOptions): Promise<void> {
  const { ctx, store } = deps;
  const writer = new PortalWriter({ kernel: ctx.kernel, db: ctx.db, server, maps: await store.groupMaps(server.id), dryRun });
  const parents = await groupParents(deps, runId, staged.groups);
  const heads = new Map<number, Map<string, number>>();
  for (let from = 0; from < staged.users; from += APPLY_CHUNK) {
    const rows = (await ctx.db.write('staged_users').where({ run_id: runId }).andWhere('seq', '>=', from).andWhere('seq', '<', from + APPLY_CHUNK).orderBy('seq').select('data')) as { data: string }[];
    const people = rows.map((r) => JSON.parse(r.data) as Person);
    const direct = new Map<string, number[]>();
    const hashes = people.map((p) => hashDn(p.dn));
    const memberRows = (await ctx.db.write('staged_members').where({ run_id: runId }).whereIn('member_hash', hashes).select('member_hash', 'group_no')) as { member_hash: string; group_no: number }[];
    for (const r of memberRows) direct.set(r.member_hash, [...(direct.get(r.member_hash) ?? []), Number(r.group_no)]);
    const links = new Map(((await ctx.db.write('links').where({ server_id: server.id }).whereIn('uuid', people.map((p) => p.uuid))) as Record<string, unknown>[]).map((r) => [String(r.uuid), toLink(r)]));
    const count = (outcome: Outcome) => void (outcome === 'skipped' ? counts.unchanged++ : counts[outcome]++);
    const refused = (person: Person, err: unknown) => {
      const status = (err as { status?: number }).status;
      if (!status || status >= 500) throw err;
      counts.errors++;
      ctx.log.warn({ server: server.code, dn: person.dn, err: (err as Error).message }, 'ldap sync: user not written');
    };
    const fresh: Desired[] = [];
    for (const person of people) {
      try {
        const groupNos = expand(direct.get(hashDn(person.dn)) ?? [], parents, server);
        const { groupIds, banned } = writer.mapGroups([...groupNos].map((g) => staged.groups[g]!));
        const departmentId = await writer.departmentId(person.departmentPath);
        if (departmentId !== null && person.managerDn) {
          const votes = heads.get(departmentId) ?? new Map<string, number>();
          votes.set(normalizeDn(person.managerDn), (votes.get(normalizeDn(person.managerDn)) ?? 0) + 1);
          heads.set(departmentId, votes);
        }
        const desired = { person, groupIds, banned, departmentId };
        const link = links.get(person.uuid) ?? null;
        if (!link && !person.disabled && !banned) fresh.push(desired);
        else count((await writer.apply(desired, { create: true, link })).outcome);
      } catch (err) {
        refused(person, err);
      }
    }
    const created = await writer.createMany(fresh);
    created.forEach((r, i) => ('outcome' in r ? count(r.outcome) : refused(fresh[i]!.person, r.error)));
    await opts.onProgress?.({ phase: 'apply', done: Math.min(from + APPLY_CHUNK, staged.users) });
  }
  await disableMissing(deps, server, runId, writer, counts, dryRun);
  if (!dryRun && server.departments !== 'none') await setHeads(deps, server, heads);
}

async function disableMissing(deps: Deps, server: LdapServer, runId: number, writer: PortalWriter, counts: SyncCounts, dryRun: boolean): Promise<void> {
  const { db } = deps.ctx;
  const seen = db.write('staged_users').where({ run_id: runId }).select('uuid');
  const missing = ((await db.write('links').where({ server_id: server.id }).whereNotIn('uuid', seen)) as Record<string, unknown>[]).map(toLink);
  for (const link of missing) {
    const runsMissing = link.missingRuns + 1;
    if (runsMissing >= MISSING_RUNS_TO_DISABLE && (await writer.disableMissing(link))) counts.disabled++;
    if (!dryRun) await db.write('links').where({ id: link.id }).update({ missing_runs: runsMissing, updated_at: Date.now() });
  }
}

/** The head of each department: the manager most of its people name, when that manager is a portal user of this server. */
async function setHeads(deps: Deps, server: LdapServer, votes: Map<number, Map<string, number>>): Promise<void> {
  if (votes.size === 0) return;
  const { db, kernel } = deps.ctx;
  const wanted = new Map<number, string>();
  for (const [departmentId, managers] of votes) wanted.set(departmentId, [...managers.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]);
  // The users of those managers, from the server's links read once in pages (not once per department).
  const managerDns = new Set(wanted.values());
  const userOf = new Map<string, number>();
  for (let after = 0; ; ) {
    const rows = (await db.write('links').where({ server_id: server.id }).andWhere('id', '>', after).orderBy('id').limit(2000).select('id', 'user_id', 'dn')) as { id: number; user_id: number; dn: string }[];
    for (const r of rows) if (managerDns.has(normalizeDn(r.dn))) userOf.set(normalizeDn(r.dn), Number(r.user_id));
    if (rows.length < 2000) break;
    after = Number(rows[rows.length - 1]!.id);
  }
  const departments = new Map((await kernel.users.departments.list()).map((d) => [d.id, d]));
  for (const [departmentId, dn] of wanted) {
    const head = userOf.get(dn);
    if (head !== undefined && departments.has(departmentId) && departments.get(departmentId)!.headUserId !== head) await kernel.users.departments.update(departmentId, { headUserId: head });
  }
}
