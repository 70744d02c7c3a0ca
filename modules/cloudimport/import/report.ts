import type { Entity } from '../read/dump-format.js';

export interface EntityReport {
  entity: Entity;
  created: number;
  updated: number;
  unchanged: number;
  /** Records updated in the second pass, once the records they refer to existed. */
  linked: number;
  /** Rows not imported, with the reason (a bad row, a duplicate...). */
  skipped: { id: string; reason: string }[];
  /** Records imported with references to records that are neither in the box nor in the dump ("entity:id"). */
  unresolved: { id: string; refs: string[] }[];
  /** Set when the whole entity is not imported, with the reason. */
  notImported?: string;
  rows: number;
}

export interface ImportReport {
  source: string;
  dryRun: boolean;
  entities: EntityReport[];
}

export function emptyReport(entity: Entity): EntityReport {
  return { entity, created: 0, updated: 0, unchanged: 0, linked: 0, skipped: [], unresolved: [], rows: 0 };
}

/** The report as text lines: one per entity, then the skipped rows and unresolved references. */
export function reportLines(r: ImportReport, limit = 20): string[] {
  const lines = [`${r.dryRun ? 'Dry run (nothing written) of' : 'Imported'} ${r.source}:`];
  for (const e of r.entities) {
    if (e.notImported) {
      lines.push(`  ${e.entity}: not imported (${e.notImported}), ${e.rows} rows kept in the dump`);
      continue;
    }
    const verb = r.dryRun ? 'would be ' : '';
    lines.push(`  ${e.entity}: ${e.rows} rows, ${verb}created ${e.created}, ${verb}updated ${e.updated}, unchanged ${e.unchanged}${e.linked ? `, linked ${e.linked}` : ''}, skipped ${e.skipped.length}`);
    for (const s of e.skipped.slice(0, limit)) lines.push(`    skipped ${e.entity} ${s.id}: ${s.reason}`);
    if (e.skipped.length > limit) lines.push(`    ... and ${e.skipped.length - limit} more skipped (see --json)`);
    for (const u of e.unresolved.slice(0, limit)) lines.push(`    ${e.entity} ${u.id}: refers to ${u.refs.join(', ')}, not in the box nor in the dump`);
  }
  return lines;
}
