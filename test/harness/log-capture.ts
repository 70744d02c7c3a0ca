import { pino } from 'pino';
import type { Logger } from '../../core/log/logger.js';

export interface CapturedLog {
  log: Logger;
  /** Every line written so far, parsed. */
  lines: { level: number; msg: string; [field: string]: unknown }[];
  /** Lines at warn level and above. */
  warnings(): { level: number; msg: string; [field: string]: unknown }[];
}

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function captureLog(level = 'info'): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, warnings: () => lines.filter((l) => l.level >= 40) };
}
