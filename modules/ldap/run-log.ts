import type { ModuleDb } from '../../core/db/module-db.js';
import { toBool, toDate } from '../../core/db/module-db.js';
import { ldapErrors } from './errors.js';
import type { RunMessageDetail, SyncCounts, SyncRun } from './server-types.js';

/** The sync log (ldap_runs): one row per run with its counters. */
export class RunLog {
  constructor(private readonly db: ModuleDb) {}

  async start(serverId: number, trigger: string, dryRun: boolean): Promise<number> {
    const [id] = (await this.db.write('runs').insert({ server_id: serverId, trigger, dry_run: dryRun, status: 'running', started_at: Date.now() })) as number[];
    return Number(id);
  }

  async finish(id: number, status: 'ok' | 'failed', counts: SyncCounts, message: string | null, detail: Record<string, unknown> | null = null): Promise<void> {
    await this.db.write('runs').where({ id }).update({ status, ...counts, message: message?.slice(0, 2000) ?? null, message_detail: detailJson(detail), finished_at: Date.now() });
  }

  async get(id: number): Promise<SyncRun> {
    const row = (await this.db.write('runs').where({ id }).first()) as Record<string, unknown> | undefined;
    if (!row) throw ldapErrors.LDAP_SERVER_NOT_FOUND(`run ${id}`);
    return toRun(row);
  }

  /** Newest first. */
  async list(query: { serverId?: number; limit?: number; offset?: number } = {}): Promise<{ items: SyncRun[]; total: number }> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
    const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
    const filtered = () => (query.serverId === undefined ? this.db.read('runs') : this.db.read('runs').where({ server_id: query.serverId }));
    const [rows, count] = await Promise.all([filtered().orderBy('id', 'desc').limit(limit).offset(offset), filtered().count({ n: '*' }).first()]);
    return { items: (rows as Record<string, unknown>[]).map(toRun), total: Number((count as { n?: unknown } | undefined)?.n ?? 0) };
  }

  /** When the server's last run that was not a dry run started, failed or not (for the schedule: a failed run waits one interval too). */
  async lastStarted(serverId: number): Promise<number> {
    const row = (await this.db.write('runs').where({ server_id: serverId, dry_run: false }).orderBy('id', 'desc').first('started_at')) as { started_at?: unknown } | undefined;
    return Number(row?.started_at ?? 0);
  }
}

function toRun(r: Record<string, unknown>): SyncRun {
  return {
    id: Number(r.id), serverId: Number(r.server_id), trigger: String(r.trigger), dryRun: toBool(r.dry_run),
    status: r.status === 'ok' ? 'ok' : r.status === 'failed' ? 'failed' : 'running',
    created: Number(r.created), updated: Number(r.updated), disabled: Number(r.disabled), unchanged: Number(r.unchanged), errors: Number(r.errors),
    message: r.message == null ? null : String(r.message), messageDetail: parseDetail(r.message_detail), startedAt: toDate(r.started_at)!, finishedAt: toDate(r.finished_at),
  };
}

/** The scalar fields of a detail with a reason, as JSON (texts cut to 1000 characters); null without a reason. */
function detailJson(detail: Record<string, unknown> | null): string | null {
  if (!detail || typeof detail.reason !== 'string') return null;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(detail)) if (typeof v === 'number' || typeof v === 'string') out[k] = typeof v === 'string' ? v.slice(0, 1000) : v;
  return JSON.stringify(out);
}

function parseDetail(raw: unknown): RunMessageDetail | null {
  if (typeof raw !== 'string' || !raw) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && typeof (v as { reason?: unknown }).reason === 'string' ? (v as RunMessageDetail) : null;
  } catch {
    return null;
  }
}
