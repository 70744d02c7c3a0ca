import type { Readable } from 'node:stream';

/** Where a dump's bytes come from: a folder, a zip of one, or a single UI export file. */
export interface Storage {
  /** Relative paths of every file. */
  list(): string[];
  open(rel: string): Promise<Readable>;
  close(): Promise<void>;
}
