import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';

export type Logger = PinoLogger;

export interface LogSettings {
  level?: string;
  /** Where to write JSON lines; defaults to stdout (fd 1). */
  destination?: string | number;
}

/** Structured JSON logs (pino). Each module gets a child logger with `module` bound. */
export function createLogger(settings: LogSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.PORTAL_LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const dest = pino.destination({ dest: settings.destination ?? 1, sync: false });
  return pino(options, dest);
}

/** A logger that drops everything (for CLI one-shots and tests that do not inspect logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
