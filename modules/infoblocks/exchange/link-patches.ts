import type { Principal } from '../../../core/services.js';
import type { InfoblocksApi } from '../api.js';
import type { ElementInput } from '../types.js';

/** Element links an import sets after every element exists: the element (id and keys) and its link properties. */
export interface LinkPatch {
  id: number;
  xmlId: string | null;
  code: string;
  properties: Record<string, unknown>;
}

const CHUNK = 500;

/**
 * Writes the link properties: elements with an xml_id (or a code) in batches through importBatch, which matches them
 * by that key; the few without either one by one.
 */
export async function writeLinkPatches(api: InfoblocksApi, principal: Principal, iblockId: number, patches: LinkPatch[]): Promise<void> {
  const byId = new Map<number, LinkPatch>();
  for (const p of patches) byId.set(p.id, { ...p, properties: { ...byId.get(p.id)?.properties, ...p.properties } });
  const all = [...byId.values()];
  const keyed = all.filter((p) => p.xmlId || p.code);
  for (let i = 0; i < keyed.length; i += CHUNK) {
    // Matched items are patches: only the link properties change.
    const items = keyed.slice(i, i + CHUNK).map((p) => ({ ...(p.xmlId ? { xmlId: p.xmlId } : { code: p.code }), properties: p.properties }) as ElementInput);
    await api.elements.importBatch(principal, iblockId, items);
  }
  for (const p of all.filter((x) => !x.xmlId && !x.code)) await api.elements.update(principal, p.id, { properties: p.properties });
}
