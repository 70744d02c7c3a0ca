import type { Principal } from '../../../core/services.js';
import type { Kernel } from '../../../core/kernel.js';
import { formatBytes } from '../../../core/files/file-errors.js';
import type { Property } from '../types.js';
import { sectionOptions } from './sections.js';

/** Selectable values of a link property: [value, label]; null means "type an id" (too many, or no infoblock to pick from). */
export type Choices = Record<string, [string, string][] | null>;

/** Link targets offered as a select up to this many; beyond it the form asks for an id. */
const MAX_CHOICES = 200;

/** Choices for list, element and section properties (read with the user's own rights). */
export async function choicesOf(kernel: Kernel, principal: Principal, properties: Property[]): Promise<Choices> {
  const api = kernel.api('infoblocks');
  const out: Choices = {};
  for (const p of properties) {
    if (p.type === 'list') out[p.code] = p.enums.map((e) => [String(e.id), e.value]);
    else if (p.type === 'element' && p.linkIblockId) {
      const res = await api.elements.list(principal, p.linkIblockId, { order: { NAME: 'ASC' }, select: ['ID', 'NAME'], pageSize: MAX_CHOICES }).catch(() => null);
      out[p.code] = res && res.total <= MAX_CHOICES ? res.items.map((e) => [String(e.id), `${e.name} [${e.id}]`]) : null;
    } else if (p.type === 'section' && p.linkIblockId) {
      const sections = await api.sections.list(principal, p.linkIblockId).catch(() => null);
      out[p.code] = sections && sections.length <= MAX_CHOICES ? sectionOptions(sections).map((o) => [String(o.id), o.label]) : null;
    }
  }
  return out;
}

/** A stored file as the form shows it: a download link, and a preview for images. */
export interface FileInfo {
  id: number;
  name: string;
  size: number;
  /** "12.5 KB" */
  sizeText: string;
  href: string;
  isImage: boolean;
}

export async function fileInfos(kernel: Kernel, ids: (number | null)[], language = 'en'): Promise<Record<number, FileInfo>> {
  const out: Record<number, FileInfo> = {};
  for (const id of new Set(ids.filter((v): v is number => typeof v === 'number' && v > 0))) {
    const f = await kernel.files.get(id).catch(() => null);
    if (f) out[id] = { id, name: f.name, size: f.size, sizeText: formatBytes(f.size, language), href: kernel.files.url(f), isImage: /^image\/(png|jpeg|gif|webp)$/.test(f.mimeType) };
  }
  return out;
}
