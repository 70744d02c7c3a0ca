import type { ModuleDb } from '../db/module-db.js';
import { toBool, toDate } from '../db/module-db.js';
import { coreErrors } from '../errors/codes.js';
import { PortalError } from '../errors/portal-error.js';
import { isDbUnavailable } from '../db/unavailable.js';
import type { Logger } from '../log/logger.js';
import { throttledWarn } from '../log/throttled.js';
import type { AgentDefinition, AgentRow } from '../services.js';
import { agentErrors } from './errors.js';
import { nextRunAt, validateSchedule, type AgentSchedule } from './schedule.js';

const TABLE = 'agents';
const DEFAULT_MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 3_600_000;
const MAX_ERROR_CHARS = 2000;

interface AgentDbRow {
  id: number;
  module: string;
  name: string;
  interval_seconds: number | null;
  cron: string | null;
  active: unknown;
  next_run_at: number | string;
  last_run_at: number | string | null;
  last_error: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | string | null;
}

type RunOutcome = { ok: true } | { ok: false; error: unknown };

/** Delay before retry number `attempts + 1`: 30 s, 60 s, 2 min, ... capped at 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(2 ** attempts * BACKOFF_BASE_MS, BACKOFF_MAX_MS);
}

/**
 * Scheduled jobs of the modules (table main_agents). A due job is claimed with a
 * conditional UPDATE that sets a lease, so it runs once however many processes poll.
 */
export class AgentService {
  private readonly db: ModuleDb;
  private readonly log: Logger;
  private readonly owner: string;
  private readonly resolve: (module: string, name: string) => AgentDefinition | undefined;
  private readonly leaseMs: number;
  private worker?: { stopped: boolean; timer?: NodeJS.Timeout; current?: Promise<void> };

  constructor(deps: {
    db: ModuleDb;
    log: Logger;
    owner: string;
    resolve: (module: string, name: string) => AgentDefinition | undefined;
    /** How long a claim holds before another process may take the job (renewed while it runs). */
    leaseMs?: number;
  }) {
    this.db = deps.db;
    this.log = deps.log;
    this.owner = deps.owner;
    this.resolve = deps.resolve;
    this.leaseMs = deps.leaseMs ?? 60_000;
  }

  /** Makes main_agents hold exactly `defs` for the module; unchanged schedules keep their state. */
  async sync(moduleId: string, defs: AgentDefinition[]): Promise<void> {
    validateDefinitions(moduleId, defs);
    const now = Date.now();
    const rows = (await this.db.write(TABLE).where({ module: moduleId })) as AgentDbRow[];
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const def of defs) {
      const schedule = { interval_seconds: def.interval ?? null, cron: def.cron ?? null };
      const row = byName.get(def.name);
      if (!row) {
        await this.db.write(TABLE)
          .insert({ module: moduleId, name: def.name, ...schedule, active: true, attempts: 0, next_run_at: nextRunAt(def, now) })
          .onConflict(['module', 'name'])
          .ignore();
      } else if (numOrNull(row.interval_seconds) !== schedule.interval_seconds || (row.cron ?? null) !== schedule.cron || !toBool(row.active)) {
        await this.db.write(TABLE)
          .where({ id: row.id })
          .update({ ...schedule, active: true, attempts: 0, next_run_at: nextRunAt(def, now) });
      }
    }
    const keep = new Set(defs.map((d) => d.name));
    const gone = rows.filter((r) => !keep.has(r.name)).map((r) => r.id);
    if (gone.length) await this.db.write(TABLE).whereIn('id', gone).delete();
  }

  async removeModule(moduleId: string): Promise<void> {
    await this.db.write(TABLE).where({ module: moduleId }).delete();
  }

  async list(): Promise<AgentRow[]> {
    const rows = (await this.db.read(TABLE).orderBy(['module', 'name'])) as AgentDbRow[];
    return rows.map(toAgentRow);
  }

  /** Runs every due agent whose code is active here and that no other process holds. */
  runDue(now = Date.now()): Promise<{ ran: number; failed: number }> {
    return this.runDueUntil(now, () => false);
  }

  /** Runs one agent at once (admin "run now"), under the same lease as scheduled runs. */
  async runNow(module: string, name: string): Promise<void> {
    const row = (await this.db.write(TABLE).where({ module, name }).first()) as AgentDbRow | undefined;
    const def = this.resolve(module, name);
    if (!row || !def) throw agentErrors.AGENT_NOT_FOUND(`${module}.${name}`);
    const now = Date.now();
    const claimed = await this.claim(row.id, now, false);
    if (!claimed) throw coreErrors.CONFLICT(`Agent "${module}.${name}" is running in another process; try again later`);
    const outcome = await this.execute(claimed, def, now);
    if (!outcome.ok) {
      const message = errorMessage(outcome.error);
      throw new PortalError('AGENT_FAILED', `Agent "${module}.${name}" failed: ${message}`, { status: 500, cause: outcome.error });
    }
  }

  /** Polls for due agents every `pollSeconds` in the background (timer does not keep the process alive). */
  /** A database outage fails every poll; it is logged once per 30 s, other failures each time. */
  private outageWarn: ReturnType<typeof throttledWarn> | undefined;

  private pollFailed(err: unknown): void {
    this.outageWarn ??= throttledWarn(this.log);
    if (isDbUnavailable(err)) this.outageWarn({ error: (err as Error).message }, 'agent worker: database unavailable');
    else this.log.error({ err }, 'agent worker: poll failed');
  }

  start(pollSeconds: number): void {
    if (this.worker) return;
    const pollMs = Math.max(100, pollSeconds * 1000);
    const worker: { stopped: boolean; timer?: NodeJS.Timeout; current?: Promise<void> } = { stopped: false };
    this.worker = worker;
    const schedule = (): void => {
      worker.timer = setTimeout(() => {
        worker.timer = undefined;
        worker.current = this.runDueUntil(Date.now(), () => worker.stopped)
          .then(() => undefined, (err: unknown) => this.pollFailed(err))
          .finally(() => {
            worker.current = undefined;
            if (!worker.stopped) schedule();
          });
      }, pollMs);
      worker.timer.unref();
    };
    schedule();
  }

  /** Stops the worker and waits for a run in progress; safe when never started. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.stopped = true;
    if (worker.timer) clearTimeout(worker.timer);
    await worker.current;
    this.worker = undefined;
  }

  private async runDueUntil(now: number, stopped: () => boolean): Promise<{ ran: number; failed: number }> {
    const due = (await this.db.write(TABLE)
      .select('id', 'module', 'name')
      .where('active', true)
      .andWhere('next_run_at', '<=', now)
      .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now))
      .orderBy('next_run_at')
      .limit(200)) as Pick<AgentDbRow, 'id' | 'module' | 'name'>[];
    let ran = 0;
    let failed = 0;
    for (const candidate of due) {
      if (stopped()) break;
      const def = this.resolve(candidate.module, candidate.name);
      if (!def) continue; // its module is not active in this process
      const row = await this.claim(candidate.id, now, true);
      if (!row) continue; // another process took it
      const outcome = await this.execute(row, def, now);
      if (outcome.ok) ran++;
      else failed++;
    }
    return { ran, failed };
  }

  /** Takes the lease on an agent; returns its fresh row, or null when someone else holds it. */
  private async claim(id: number, now: number, onlyIfDue: boolean): Promise<AgentDbRow | null> {
    const q = this.db.write(TABLE)
      .where({ id })
      .andWhere((w) => w.whereNull('lease_until').orWhere('lease_until', '<', now));
    if (onlyIfDue) q.andWhere('next_run_at', '<=', now);
    const n = await q.update({ lease_owner: this.owner, lease_until: now + this.leaseMs });
    if (n !== 1) return null;
    return ((await this.db.write(TABLE).where({ id, lease_owner: this.owner }).first()) as AgentDbRow | undefined) ?? null;
  }

  /** Runs a claimed agent, renewing its lease, and records the outcome. */
  private async execute(row: AgentDbRow, def: AgentDefinition, now: number): Promise<RunOutcome> {
    const label = `${row.module}.${row.name}`;
    let leaseUntil = now + this.leaseMs;
    const renewEvery = Math.max(1000, Math.floor(this.leaseMs / 3));
    const renew = setInterval(() => {
      leaseUntil += renewEvery;
      void this.db.write(TABLE).where({ id: row.id, lease_owner: this.owner }).update({ lease_until: leaseUntil })
        .catch((err: unknown) => this.log.warn({ err, agent: label }, 'agent lease renewal failed'));
    }, renewEvery);
    renew.unref();
    const started = performance.now();
    let outcome: RunOutcome;
    try {
      await def.run();
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearInterval(renew);
    }
    const durationMs = Math.round(performance.now() - started);
    const finishedAt = now + durationMs;
    const schedule: AgentSchedule = { interval: numOrNull(row.interval_seconds), cron: row.cron };
    try {
      await this.db.write(TABLE)
        .where({ id: row.id, lease_owner: this.owner })
        .update(outcome.ok ? this.successUpdate(schedule, now, durationMs, finishedAt, label)
          : this.failureUpdate(row, def, schedule, now, durationMs, finishedAt, outcome.error, label));
    } catch (err) {
      this.log.error({ err, agent: label }, 'agent: could not record the run; its lease will expire');
    }
    return outcome;
  }

  private successUpdate(schedule: AgentSchedule, now: number, durationMs: number, finishedAt: number, label: string): Record<string, unknown> {
    this.log.debug({ agent: label, durationMs }, 'agent ran');
    return {
      attempts: 0,
      last_error: null,
      last_run_at: now,
      last_duration_ms: durationMs,
      next_run_at: nextRunAt(schedule, finishedAt, label),
      lease_owner: null,
      lease_until: null,
    };
  }

  private failureUpdate(
    row: AgentDbRow, def: AgentDefinition, schedule: AgentSchedule,
    now: number, durationMs: number, finishedAt: number, error: unknown, label: string,
  ): Record<string, unknown> {
    const attempts = Number(row.attempts) + 1;
    const maxAttempts = def.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const giveUp = attempts >= maxAttempts;
    const nextRun = giveUp ? nextRunAt(schedule, finishedAt, label) : finishedAt + backoffMs(attempts - 1);
    this.log.error({ err: error, agent: label, attempts, giveUp }, 'agent failed');
    return {
      attempts: giveUp ? 0 : attempts,
      last_error: errorMessage(error).slice(0, MAX_ERROR_CHARS),
      last_run_at: now,
      last_duration_ms: durationMs,
      next_run_at: nextRun,
      lease_owner: null,
      lease_until: null,
    };
  }
}

function validateDefinitions(moduleId: string, defs: AgentDefinition[]): void {
  const seen = new Set<string>();
  for (const def of defs) {
    const label = `${moduleId}.${String(def?.name)}`;
    if (typeof def?.name !== 'string' || def.name.trim() === '' || def.name.length > 100) {
      throw agentErrors.AGENT_DEFINITION_INVALID(`${label}: an agent needs a name of 1 to 100 characters`);
    }
    if (seen.has(def.name)) throw agentErrors.AGENT_DEFINITION_INVALID(`${label}: the name is used twice`);
    seen.add(def.name);
    if (typeof def.run !== 'function') throw agentErrors.AGENT_DEFINITION_INVALID(`${label}: run() is missing`);
    if (def.maxAttempts !== undefined && (!Number.isSafeInteger(def.maxAttempts) || def.maxAttempts < 1)) {
      throw agentErrors.AGENT_DEFINITION_INVALID(`${label}: maxAttempts must be a positive whole number`);
    }
    validateSchedule(def, label);
  }
}

function toAgentRow(r: AgentDbRow): AgentRow {
  return {
    id: Number(r.id),
    module: r.module,
    name: r.name,
    interval: numOrNull(r.interval_seconds),
    cron: r.cron ?? null,
    active: toBool(r.active),
    nextRunAt: new Date(Number(r.next_run_at)),
    lastRunAt: toDate(r.last_run_at),
    lastError: r.last_error ?? null,
    attempts: Number(r.attempts),
    leaseOwner: r.lease_owner ?? null,
    leaseUntil: toDate(r.lease_until),
  };
}

function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
