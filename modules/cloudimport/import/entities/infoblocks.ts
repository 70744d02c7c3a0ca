import type { Iblock, Property, PropertyInput } from '../../../infoblocks/types.js';
import { SYSTEM, type RunContext } from '../handler.js';

/** The infoblocks module's API, or null when it is not installed (the entity is then reported as not imported). */
export function infoblocksOf(run: RunContext) {
  return run.kernel.modules.isInstalled('infoblocks') ? run.kernel.api('infoblocks') : null;
}

export const needInfoblocks = (run: RunContext): string | null => (infoblocksOf(run) ? null : 'the infoblocks module is not installed');

/** An infoblock type by code, made if missing. */
export async function ensureType(run: RunContext, code: string, names: { en: string; ru: string }): Promise<number> {
  return run.memo(`type:${code}`, async () => {
    const api = infoblocksOf(run)!.iblocks;
    const found = (await api.listTypes()).find((t) => t.code === code);
    return (found ?? (await api.addType(SYSTEM, { code, names, sections: false }))).id;
  });
}

/** An infoblock by code, made (with its properties) if missing; missing properties are added to an existing one. */
export async function ensureIblock(run: RunContext, input: { typeId: number; code: string; name: string; description?: string }, props: PropertyInput[]): Promise<{ iblock: Iblock; props: Map<string, Property> }> {
  const api = infoblocksOf(run)!;
  let iblock = await api.iblocks.getByCode(SYSTEM, input.code).catch(() => null);
  iblock ??= await api.iblocks.add(SYSTEM, { ...input, sectionsEnabled: false });
  const have = new Map((await api.properties.list(SYSTEM, iblock.id)).map((p) => [p.code, p]));
  for (const p of props) if (!have.has(p.code)) have.set(p.code, await api.properties.add(SYSTEM, iblock.id, p));
  return { iblock, props: have };
}
