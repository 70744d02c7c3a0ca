import type { ModuleContext } from '../../core/modules/types.js';
import { importDump, parseOnly, type ImportOptions } from './import/import-dump.js';
import { Mapping } from './import/mapping.js';
import type { ImportReport } from './import/report.js';

/** kernel.api('cloudimport'): import a Bitrix24 cloud dump; where a cloud record went. */
export function createCloudImportApi(ctx: ModuleContext) {
  const map = new Mapping(ctx.db);
  return {
    /** Imports a dump folder, a zip of one, or UI exports (see docs/import.md). */
    import: (source: string, opts: ImportOptions = {}): Promise<ImportReport> => importDump(ctx, source, opts),
    parseOnly,
    /** The box id a cloud record became ("users", "15" → "42"), or null. */
    async boxIdOf(entity: string, cloudId: string): Promise<string | null> {
      return (await map.get(entity, cloudId))?.boxId ?? null;
    },
    /** How many records of an entity are mapped. */
    mappedCount: (entity: string): Promise<number> => map.count(entity),
  };
}

export type CloudImportApi = ReturnType<typeof createCloudImportApi>;

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    cloudimport: CloudImportApi;
  }
}
