/** How long steps report to the person running them (the CLI draws a bar on a terminal). */
export interface BackupUi {
  step(message: string): void;
  warn(message: string): void;
  /** Bytes done of the current step. */
  progress(done: number, total: number): void;
  /** The current step's progress is over. */
  done(): void;
}

export const silentBackupUi: BackupUi = { step: () => undefined, warn: () => undefined, progress: () => undefined, done: () => undefined };
