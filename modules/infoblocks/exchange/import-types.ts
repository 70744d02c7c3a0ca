import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import type { InfoblocksApi } from '../api.js';
import { XmlWriter } from './xml-writer.js';
import { parseXml, type XmlNode } from './xml-reader.js';

export interface ImportProgress {
  phase: 'properties' | 'sections' | 'elements';
  done: number;
  total: number;
}
export interface ImportOptions {
  /** Report what would be created or updated without writing anything. */
  dryRun?: boolean;
  onProgress?: (p: ImportProgress) => void;
}
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}
export interface ImportReport {
  dryRun: boolean;
  iblock: { code: string; id: number | null; action: keyof ImportCounts };
  properties: ImportCounts;
  sections: ImportCounts;
  elements: ImportCounts;
}

/** State shared by the import steps. */
export interface ImportRun {
  kernel: Kernel;
  api: InfoblocksApi;
  principal: Principal;
  dryRun: boolean;
  /** Null while a dry run "creates" the infoblock. */
  iblockId: number | null;
  report: ImportReport;
  progress: (p: ImportProgress) => void;
  /** Ids of the files this run stored (released again when the import fails). */
  storedFiles: number[];
}

export const counts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });
export const yes = (v: string | undefined, dflt = false): boolean => (v === undefined ? dflt : v === 'Y');
export const num = (v: string | undefined, dflt: number): number => (v === undefined || v === '' ? dflt : Number(v));

/** Order-independent form of a node, to tell whether stored data differs from the file. */
export function canonical(n: XmlNode): string {
  const attrs = Object.keys(n.attrs).sort().map((k) => `${k}=${JSON.stringify(n.attrs[k])}`).join(' ');
  return `<${n.name} ${attrs}>${JSON.stringify(n.text.trim() === '' ? '' : n.text)}${n.children.map(canonical).join('')}</${n.name}>`;
}

/** Renders one item with an exporter's writer function and parses it back, for comparison with the file's node. */
export async function rendered(write: (w: XmlWriter) => void | Promise<void>): Promise<string> {
  const w = new XmlWriter();
  await write(w);
  return canonical(parseXml(w.toString(), { trusted: true }));
}
