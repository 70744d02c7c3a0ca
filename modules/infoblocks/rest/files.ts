import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import type { Element } from '../types.js';

/** A file an element holds, as REST answers give it: `url` downloads it (with the same token or session). */
export interface RestFile {
  url: string;
  name: string;
  size: number;
  mimeType: string;
}

/**
 * The files the elements hold (pictures and file property values), by file id, so a client can download them:
 * file URLs carry a random key (kernel.files.url), an id alone is not enough.
 */
export async function filesOf(kernel: Kernel, principal: Principal, iblockId: number, elements: Element[]): Promise<Record<string, RestFile>> {
  const fileProps = (await kernel.api('infoblocks').properties.list(principal, iblockId)).filter((p) => p.type === 'file').map((p) => p.code);
  const ids: number[] = [];
  for (const e of elements) {
    ids.push(Number(e.previewPicture), Number(e.detailPicture));
    for (const code of fileProps) ids.push(...[e.properties?.[code] ?? []].flat().map(Number));
  }
  const out: Record<string, RestFile> = {};
  for (const f of await kernel.files.getMany(ids)) out[String(f.id)] = { url: kernel.files.url(f), name: f.originalName || f.name, size: f.size, mimeType: f.mimeType };
  return out;
}
