import type { ModuleContext } from '../../core/modules/types.js';
import { ibErrors } from './errors.js';
import { toEnum, toIblock, toProperty } from './mappers.js';
import { ibTags } from './tags.js';
import type { Iblock, Property } from './types.js';

export interface IblockMeta {
  iblock: Iblock;
  properties: Property[];
  byCode: Map<string, Property>;
}

type Row = Record<string, unknown>;

/** Infoblock settings and properties, cached per infoblock (rows in the cache, objects out). */
export class MetaStore {
  constructor(private readonly ctx: ModuleContext) {}

  async load(iblockId: number): Promise<IblockMeta> {
    if (!Number.isInteger(iblockId) || iblockId <= 0) throw ibErrors.IBLOCK_NOT_FOUND(String(iblockId));
    const raw = await this.ctx.cache.remember(`infoblocks:meta:${iblockId}`, { ttl: 3600, tags: [ibTags.meta(iblockId)] }, async () => {
      const iblock = (await this.ctx.db.write('iblocks').where({ id: iblockId }).first()) as Row | undefined;
      if (!iblock) return null;
      const props = (await this.ctx.db.write('properties').where({ iblock_id: iblockId }).orderBy(['sort', 'id'])) as Row[];
      const enums = props.length
        ? ((await this.ctx.db.write('property_enums').whereIn('property_id', props.map((p) => Number(p.id))).orderBy(['sort', 'id'])) as Row[])
        : [];
      return { iblock, props, enums };
    });
    if (!raw) throw ibErrors.IBLOCK_NOT_FOUND(String(iblockId));
    const properties = raw.props.map((p) => toProperty(p, raw.enums.filter((e) => Number(e.property_id) === Number(p.id)).map(toEnum)));
    return { iblock: toIblock(raw.iblock), properties, byCode: new Map(properties.map((p) => [p.code, p])) };
  }

  async byCode(code: string): Promise<IblockMeta> {
    const row = (await this.ctx.db.read('iblocks').where({ code: String(code) }).first('id')) as Row | undefined;
    if (!row) throw ibErrors.IBLOCK_NOT_FOUND(`"${code}"`);
    return this.load(Number(row.id));
  }
}
