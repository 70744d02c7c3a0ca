import path from 'node:path';
import { pino, type DestinationStream, type Logger as PinoLogger, type LoggerOptions } from 'pino';

export type Logger = PinoLogger;

export interface LogSettings {
  level?: string;
  /** Where to write JSON lines (file paths, fd numbers, or several of them); defaults to stdout (fd 1). */
  destination?: string | number | (string | number)[];
}

/** Structured JSON logs (pino). Each module gets a child logger with `module` bound. */
export function createLogger(settings: LogSettings = {}): Logger {
  const level = settings.level ?? process.env.PORTAL_LOG_LEVEL ?? 'info';
  const options: LoggerOptions = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  // Files are opened with O_APPEND (sonic-boom's 'a'), so several processes can append lines to one.
  const streams: DestinationStream[] = [settings.destination ?? 1].flat().map((dest) => pino.destination({ dest, sync: false, mkdir: true }));
  if (streams.length === 1 || level === 'silent') return pino(options, streams[0]);
  return pino(options, pino.multistream(streams.map((stream) => ({ level: level as pino.Level, stream }))));
}

/** The portal's log file: every server process appends to it, in the foreground and under pm2 (`portal logs`). */
export function portalLogFile(config: { paths: { var: string } }): string {
  return path.join(config.paths.var, 'log', 'portal.log');
}

/** A logger that drops everything (for CLI one-shots and tests that do not inspect logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
