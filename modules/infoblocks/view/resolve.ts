import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import type { PortalState } from '../../../core/http/state.js';
import { coreErrors } from '../../../core/errors/codes.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import { USERS_TAG } from '../../../core/users/user-service.js';
import { ibErrors } from '../errors.js';
import { fillUrl } from '../query/urls.js';
import { ibTags } from '../tags.js';
import type { Iblock, Section } from '../types.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface ResolveOptions {
  /** Answer "not found" instead of "access denied" (a detail page does not reveal what exists). */
  hideDenied?: boolean;
}

/**
 * The infoblock a component shows, read with the visitor's principal: a 403 (or 404 with
 * `hideDenied`) when they may not read it, a 404 when it is missing, inactive or bound to
 * another site. `ref` is the code or the numeric id.
 */
export async function iblockFor(kernel: Kernel, state: PortalState, ref: string, component: string, opts: ResolveOptions = {}): Promise<Iblock> {
  if (!ref.trim()) throw coreErrors.VALIDATION_FAILED(`${component}: parameter "iblock" is required`);
  const api = kernel.api('infoblocks').iblocks;
  let iblock: Iblock;
  try {
    const id = /^\d+$/.test(ref) ? Number(ref) : await idOfCode(kernel, ref.trim());
    if (!id) throw ibErrors.IBLOCK_NOT_FOUND(`"${ref}"`);
    iblock = await api.get(state.principal, id);
  } catch (err) {
    if (opts.hideDenied && isPortalError(err) && err.code === 'ACCESS_DENIED') throw ibErrors.IBLOCK_NOT_FOUND(`"${ref}"`);
    throw err;
  }
  if (!iblock.active || (iblock.siteId && state.site && iblock.siteId !== state.site.id)) throw ibErrors.IBLOCK_NOT_FOUND(`"${ref}"`);
  return iblock;
}

/** Looks the code up as the system (cached until any infoblock changes); the visitor's rights are checked on `get`. */
function idOfCode(kernel: Kernel, code: string): Promise<number> {
  return kernel.cache.remember(`infoblocks:view:code:${code}`, { ttl: 3600, tags: [ibTags.all] }, async () => {
    const found = await kernel.api('infoblocks').iblocks.getByCode(SYSTEM, code).catch((err: unknown) => {
      if (isPortalError(err) && err.code === 'IBLOCK_NOT_FOUND') return null;
      throw err;
    });
    return found?.id ?? 0;
  });
}

/**
 * Cache tags of a component showing an infoblock: its content and settings, plus the
 * infoblocks its element-link properties point at and the users when it has user properties.
 * Resolving them reads the infoblock with the visitor's principal, so the rights check runs
 * on every render, cache hit or not, before any cached HTML is used.
 */
export async function iblockTags(kernel: Kernel, state: PortalState, ref: string, component: string, opts: ResolveOptions = {}): Promise<string[]> {
  const iblock = await iblockFor(kernel, state, ref, component, opts);
  const props = await kernel.api('infoblocks').properties.list(state.principal, iblock.id);
  const linked = props.filter((p) => (p.type === 'element' || p.type === 'section') && p.linkIblockId).map((p) => ibTags.iblock(p.linkIblockId!));
  const users = props.some((p) => p.type === 'user') ? [USERS_TAG] : [];
  return [...new Set([ibTags.iblock(iblock.id), ibTags.meta(iblock.id), ...linked, ...users])];
}

/** A section by id, else by code path ("news/world"), else by its own code; null when none matches. */
export function findSection(sections: Section[], ref: { id?: number; code?: string }): Section | null {
  if (ref.id) return sections.find((s) => s.id === ref.id) ?? null;
  const code = ref.code?.trim();
  if (!code) return null;
  return sections.find((s) => s.codePath === code) ?? sections.find((s) => s.code === code) ?? (/^\d+$/.test(code) ? (sections.find((s) => s.id === Number(code)) ?? null) : null);
}

/** The section and its ancestors, root first. */
export function sectionTrail(sections: Section[], section: Section): Section[] {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const trail: Section[] = [];
  for (let s: Section | undefined = section; s && trail.length < 100; s = s.parentId ? byId.get(s.parentId) : undefined) trail.unshift(s);
  return trail;
}

/** The URL of a section from a template with #SECTION_CODE_PATH#, #SECTION_ID#, #SITE_DIR#, #IBLOCK_CODE#. */
export function sectionHref(template: string, iblock: Iblock, section: Section, siteDir: string): string {
  return fillUrl(template, { siteDir, iblockCode: iblock.code, sectionCodePath: section.codePath, sectionId: section.id });
}

/** The site directory macros start from (#SITE_DIR#). */
export function siteDirOf(state: PortalState): string {
  return state.site?.dir || '/';
}
