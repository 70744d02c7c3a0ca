import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import type { Entity } from '../read/dump-format.js';
import type { RawRow } from '../read/table.js';
import type { Mapping, MapRow } from './mapping.js';

/** The importer acts for the system administrator, like the installer and the other CLI commands. */
export const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface Ref {
  entity: Entity;
  id: string;
}
export const refKey = (r: Ref): string => `${r.entity}:${r.id}`;

/** A row made ready: its cloud id, the normalised data (what the hash covers) and the records it refers to. */
export interface Prepared<T> {
  id: string;
  data: T;
  refs: Ref[];
}

/** A prepared row with its references looked up and its mapping row, if it has one. */
export interface Ready<T> extends Prepared<T> {
  /** Box id of a reference ("entity:id" → box id), undefined while that record is not imported. */
  box(entity: Entity, id: string | null | undefined): string | undefined;
  current: MapRow | null;
}

export type WriteResult = { boxId: string; error?: undefined } | { error: string; boxId?: undefined };

export interface RunContext {
  kernel: Kernel;
  map: Mapping;
  /** The cloud portal's time zone (dates without an offset). */
  zone: string;
  dryRun: boolean;
  /** BBCode → the portal's sanitized HTML (the forum's renderer). */
  bb(source: string): Promise<string>;
  /** Per-run memo of small lookups (an infoblock id by code...). */
  memo<V>(key: string, make: () => Promise<V>): Promise<V>;
}

export interface Handler<T = unknown> {
  entity: Entity;
  /** Rows written per call of write (default 200). */
  batch?: number;
  /** Why the whole entity is not imported (a module missing), or null. */
  unavailable?(run: RunContext): string | null;
  /** Normalises a row; throws (CLOUD_BAD_ROW) when the row cannot be imported, the message says why. */
  prepare(row: RawRow, run: RunContext): Prepared<T> | Promise<Prepared<T>>;
  /** Creates or updates the box objects of the rows, one result per row in order; a failure is that row's only. */
  write(items: Ready<T>[], run: RunContext): Promise<WriteResult[]>;
}
