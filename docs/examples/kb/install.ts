import type { ModuleContext } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';

/** The module acts as the system when it sets up its own infoblock. */
export const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };
export const KB_IBLOCK = 'kb_articles';
export const TOPICS = ['general', 'it', 'hr'] as const;

/** Creates the infoblock type, the infoblock and its properties; safe to run again. */
export async function installKb(ctx: ModuleContext): Promise<void> {
  const ib = ctx.kernel.api('infoblocks');
  if ((await ib.iblocks.list(SYSTEM)).some((i) => i.code === KB_IBLOCK)) return;
  const type = (await ib.iblocks.listTypes()).find((t) => t.code === 'kb') ?? (await ib.iblocks.addType(SYSTEM, { code: 'kb', names: { en: 'Knowledge base', ru: 'База знаний' } }));
  const everyone = await ctx.kernel.groups.byCode('everyone');
  const registered = await ctx.kernel.groups.byCode('registered');
  // Rights live on the infoblock: everyone reads, signed-in employees add articles (W).
  const iblock = await ib.iblocks.add(SYSTEM, {
    typeId: type.id,
    code: KB_IBLOCK,
    name: 'Knowledge base',
    sectionsEnabled: false,
    detailUrl: '/kb/#ELEMENT_CODE#/',
    rights: { [everyone.id]: 'R', [registered.id]: 'W' },
  });
  await ib.properties.add(SYSTEM, iblock.id, {
    code: 'TOPIC',
    name: 'Topic',
    type: 'list',
    required: true,
    filterable: true,
    enums: TOPICS.map((t, i) => ({ value: t, xmlId: t, sort: (i + 1) * 10, isDefault: t === 'general' })),
  });
  await ib.properties.add(SYSTEM, iblock.id, { code: 'HELPFUL', name: 'Helpful votes', type: 'number', filterable: true, defaultValue: 0 });
}

/** Keeps the articles unless the admin asked to drop the module's data. */
export async function uninstallKb(ctx: ModuleContext, opts: { dropData: boolean }): Promise<void> {
  if (!opts.dropData) return;
  const ib = ctx.kernel.api('infoblocks');
  const found = (await ib.iblocks.list(SYSTEM)).find((i) => i.code === KB_IBLOCK);
  if (found) await ib.iblocks.delete(SYSTEM, found.id);
}
