import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { IblockAccess } from './access.js';
import { rank } from './access.js';
import type { Row } from './element-row.js';
import { ibErrors } from './errors.js';
import type { IblockMeta } from './meta.js';
import { fileIdsOf } from './storage/file-refs.js';
import { singleColumn } from './storage/value-columns.js';
import type { NormalizedProperties } from './values.js';

/** One file an element write puts into an element: the field (previewPicture, detailPicture or a property code). */
export interface FileUse {
  field: string;
  fileId: number;
}

/** The files a write stores in pictures and file properties (PENDING_FILE, stored as 0, left out). */
export function fileUses(m: IblockMeta, row: Row, props: NormalizedProperties): FileUse[] {
  const out: FileUse[] = [];
  for (const [col, field] of [['preview_picture', 'previewPicture'], ['detail_picture', 'detailPicture']] as const) {
    if (Number(row[col] ?? 0) > 0) out.push({ field, fileId: Number(row[col]) });
  }
  for (const p of m.properties) {
    if (p.type !== 'file') continue;
    if (!p.multiple && Number(props.single[singleColumn(p.id)] ?? 0) > 0) out.push({ field: p.code, fileId: Number(props.single[singleColumn(p.id)]) });
    if (p.multiple) for (const v of props.multi) if (v.property_id === p.id && Number(v.value) > 0) out.push({ field: p.code, fileId: Number(v.value) });
  }
  return out;
}

export const fileDenied = (use: FileUse) =>
  ibErrors.FILE_REFERENCE_DENIED(`${use.field}: file ${use.fileId} is not one you may use (upload it, or pick a file you may read)`, { field: use.field, fileId: use.fileId });

/**
 * What a writer may reference (docs/infoblocks.md, "File and link references"): a file already in the elements
 * being changed, or one the file service's read check of its module lets the writer download (for infoblock
 * files: their own upload no element uses yet, or a file of an infoblock they read; without a check, only their
 * own upload); an element or section link only into infoblocks they read. Admins and managers may use any.
 */
export function createReferenceCheck(ctx: ModuleContext, access: IblockAccess) {
  const { kernel } = ctx;
  const trusted = async (principal: Principal) => principal.isAdmin === true || (await kernel.rights.can(principal, 'infoblocks.manage'));

  return {
    /** Whether the principal reads an infoblock, remembered for one write (link targets share infoblocks). */
    readableIblocks(principal: Principal): (iblockId: number) => Promise<boolean> {
      const known = new Map<number, Promise<boolean>>();
      return (iblockId) => {
        if (!known.has(iblockId)) known.set(iblockId, access.levelOf(principal, iblockId).then((l) => rank(l) >= rank('R')));
        return known.get(iblockId)!;
      };
    },

    /**
     * Whether the principal may put a file into the elements `elementIds` (none for a create) of `m`: one verdict
     * per file, remembered for the whole write (a batch asks once).
     */
    async fileVerdicts(principal: Principal, m: IblockMeta, elementIds: number[]): Promise<(fileId: number) => Promise<boolean>> {
      if (await trusted(principal)) return async () => true;
      const kept = new Set(elementIds.length ? await fileIdsOf((name) => ctx.db.write(name), m, elementIds) : []);
      const verdicts = new Map<number, Promise<boolean>>();
      const decide = async (fileId: number): Promise<boolean> => {
        if (kept.has(fileId)) return true;
        const file = await kernel.files.get(fileId).catch(() => null);
        if (!file) return false;
        const check = kernel.files.readCheckOf(file.module);
        if (check) return check(principal, file);
        return principal.userId !== null && file.createdBy === principal.userId;
      };
      return (fileId) => {
        if (!verdicts.has(fileId)) verdicts.set(fileId, decide(fileId));
        return verdicts.get(fileId)!;
      };
    },

    /** Throws FILE_REFERENCE_DENIED (403) for the first of `uses` the principal may not make. */
    async assertFiles(principal: Principal, m: IblockMeta, uses: FileUse[], elementIds: number[]): Promise<void> {
      if (!uses.length) return;
      const may = await this.fileVerdicts(principal, m, elementIds);
      for (const use of uses) if (!(await may(use.fileId))) throw fileDenied(use);
    },

  };
}

export type ReferenceCheck = ReturnType<typeof createReferenceCheck>;
