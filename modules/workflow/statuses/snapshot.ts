import type { Element, ElementPatch } from '../../infoblocks/types.js';

/** The fields of an element a version keeps (everything an editor can change). */
export type Snapshot = Record<string, unknown>;

const FIELDS = ['name', 'code', 'xmlId', 'sort', 'activeFrom', 'activeTo', 'previewText', 'previewTextType', 'detailText', 'detailTextType', 'previewPicture', 'detailPicture', 'tags', 'sectionIds', 'properties'] as const;

export function snapshotOf(el: Element): Snapshot {
  const out: Snapshot = {};
  const src = el as unknown as Record<string, unknown>;
  for (const f of FIELDS) {
    const v = src[f];
    out[f] = v instanceof Date ? v.toISOString() : v ?? null;
  }
  return out;
}

/** A snapshot with a patch applied (the working copy of a published element with its draft). */
export function applyPatch(base: Snapshot, patch: ElementPatch): Snapshot {
  const out: Snapshot = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'active' || !(FIELDS as readonly string[]).includes(k)) continue;
    if (k === 'properties' && v && typeof v === 'object') out.properties = { ...((base.properties as object) ?? {}), ...(v as object) };
    else out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** The patch that turns an element back into a snapshot. */
export function patchOf(s: Snapshot): ElementPatch {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (Object.hasOwn(s, f) && !(f === 'xmlId' && s[f] === null)) out[f] = s[f];
  return out as ElementPatch;
}

export interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

/** What differs between two snapshots, one line per field (properties one per code). */
export function diffSnapshots(a: Snapshot, b: Snapshot): Change[] {
  const out: Change[] = [];
  const eq = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  for (const f of FIELDS) {
    if (f === 'properties') {
      const pa = (a.properties ?? {}) as Record<string, unknown>;
      const pb = (b.properties ?? {}) as Record<string, unknown>;
      for (const code of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort()) {
        if (!eq(pa[code], pb[code])) out.push({ field: `PROPERTY_${code}`, before: pa[code] ?? null, after: pb[code] ?? null });
      }
    } else if (!eq(a[f], b[f])) out.push({ field: f, before: a[f] ?? null, after: b[f] ?? null });
  }
  return out;
}
