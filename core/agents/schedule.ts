import { CronExpressionParser } from 'cron-parser';
import { agentErrors } from './errors.js';

/** When an agent runs: every `interval` seconds, or on a five-field cron expression in UTC. */
export interface AgentSchedule {
  interval?: number | null;
  cron?: string | null;
}

/** Throws AGENT_SCHEDULE_INVALID unless exactly one of interval (positive integer) / cron (valid) is set. */
export function validateSchedule(schedule: AgentSchedule, label = 'agent'): void {
  const hasInterval = schedule.interval !== undefined && schedule.interval !== null;
  const hasCron = schedule.cron !== undefined && schedule.cron !== null;
  if (hasInterval === hasCron) {
    throw agentErrors.AGENT_SCHEDULE_INVALID(`${label}: give exactly one of "interval" (seconds) or "cron"`);
  }
  if (hasInterval) {
    const n = schedule.interval as number;
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw agentErrors.AGENT_SCHEDULE_INVALID(`${label}: interval must be a positive whole number of seconds, got ${String(n)}`);
    }
    return;
  }
  nextCronRun(schedule.cron as string, Date.now(), label);
}

/** Epoch ms of the first run strictly after `from` (epoch ms). */
export function nextRunAt(schedule: AgentSchedule, from: number, label = 'agent'): number {
  validateSchedule(schedule, label);
  if (schedule.interval) return from + schedule.interval * 1000;
  return nextCronRun(schedule.cron as string, from, label);
}

/** Next occurrence of a five-field cron expression after `from`, evaluated in UTC. */
export function nextCronRun(expr: string, from: number, label = 'agent'): number {
  const invalid = (why: string) =>
    agentErrors.AGENT_SCHEDULE_INVALID(`${label}: invalid cron expression "${expr}": ${why}`, { cron: expr });
  if (typeof expr !== 'string' || expr.trim().split(/\s+/).length !== 5) {
    throw invalid('expected five fields (minute hour day-of-month month day-of-week)');
  }
  try {
    const parsed = CronExpressionParser.parse(expr.trim(), { currentDate: new Date(from), tz: 'UTC' });
    return parsed.next().getTime();
  } catch (err) {
    throw invalid((err as Error).message);
  }
}
