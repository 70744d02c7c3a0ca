import { fileErrors } from '../../core/files/file-errors.js';
import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { IblockAccess } from './access.js';
import { iblocksUsing, sweepFiles } from './storage/file-refs.js';

export interface UnusedFilesReport {
  dryRun: boolean;
  /** Unused files found (older than the cut-off). */
  files: number;
  bytes: number;
  deleted: number;
}

const CHUNK = 500;

/**
 * `files.sweepUnused`: finds the infoblocks' files no element uses that were stored more than `olderThanHours`
 * ago (younger ones may belong to an upload in progress) and deletes them unless `dryRun`. For files no change ever
 * recorded as candidates: those stored before file tracking existed, or left by a crash mid-upload. Needs the
 * manage right.
 */
export function createFilesApi(ctx: ModuleContext, access: IblockAccess) {
  return {
    async sweepUnused(principal: Principal, opts: { olderThanHours?: number; dryRun?: boolean } = {}): Promise<UnusedFilesReport> {
      await access.assertManage(principal);
      const hours = opts.olderThanHours ?? 24;
      if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) throw fileErrors.FILE_INPUT_INVALID(`olderThanHours must be a number of hours, 0 or more, not "${String(hours)}"`);
      const cutoff = Date.now() - hours * 3_600_000;
      const stored = (await ctx.kernel.files.listByModule('infoblocks')).filter((f) => f.createdAt.getTime() <= cutoff);
      const report: UnusedFilesReport = { dryRun: opts.dryRun === true, files: 0, bytes: 0, deleted: 0 };
      for (let i = 0; i < stored.length; i += CHUNK) {
        const chunk = stored.slice(i, i + CHUNK);
        const used = await iblocksUsing(ctx.db, chunk.map((f) => f.id));
        const unused = chunk.filter((f) => !used.has(f.id));
        report.files += unused.length;
        report.bytes += unused.reduce((sum, f) => sum + f.size, 0);
        if (!report.dryRun) report.deleted += await sweepFiles(ctx, unused.map((f) => f.id));
      }
      return report;
    },
  };
}
