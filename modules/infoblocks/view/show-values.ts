import type { Kernel } from '../../../core/kernel.js';
import type { Principal } from '../../../core/services.js';
import { coreErrors } from '../../../core/errors/codes.js';
import type { Element, Iblock, Property, PropertyValue } from '../types.js';
import { calendarDateText, dateText } from './format.js';
import { sectionHref } from './resolve.js';

/** One value as a template shows it: text (escaped), with a link, or sanitized HTML. */
export interface ShownValue {
  text: string;
  href?: string;
  /** Only for HTML properties, which are sanitized when written. */
  html?: string;
}

export interface ShownProperty {
  code: string;
  name: string;
  type: string;
  values: ShownValue[];
}

export interface ShowContext {
  kernel: Kernel;
  principal: Principal;
  lang: string;
  timeZone: string;
  siteDir: string;
}

/** The properties a parameter names ("A, B" or "*"); an unknown code is a 400 naming the parameter. */
export function pickProperties(props: Property[], codes: string[] | '*', component: string, param: string): Property[] {
  if (codes === '*') return props;
  return codes.map((code) => {
    const p = props.find((x) => x.code === code);
    if (!p) throw coreErrors.VALIDATION_FAILED(`${component}: parameter "${param}" names unknown property "${code}"`);
    return p;
  });
}

/** The link of a stored file (served by the kernel's upload route). */
export async function fileLink(kernel: Kernel, id: number | null): Promise<{ href: string; name: string; mimeType: string } | null> {
  if (!id) return null;
  const file = await kernel.files.get(id).catch(() => null);
  return file ? { href: kernel.files.url(file), name: file.originalName || file.name, mimeType: file.mimeType } : null;
}

/** The element's values of the given properties, by type; empty ones and links the visitor cannot read are left out. */
export async function showProperties(ctx: ShowContext, props: Property[], element: Element): Promise<ShownProperty[]> {
  const out: ShownProperty[] = [];
  for (const p of props) {
    const raw = element.properties[p.code];
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string | number => v !== null && v !== undefined && v !== '');
    const values = (await Promise.all(list.map((v) => showValue(ctx, p, v)))).filter((v): v is ShownValue => v !== null);
    if (values.length) out.push({ code: p.code, name: p.name, type: p.type, values });
  }
  return out;
}

async function showValue(ctx: ShowContext, p: Property, v: Exclude<PropertyValue, null>): Promise<ShownValue | null> {
  const api = ctx.kernel.api('infoblocks');
  const id = Number(v);
  switch (p.type) {
    case 'list':
      return { text: p.enums.find((e) => e.id === id)?.value ?? String(v) };
    case 'file': {
      const file = await fileLink(ctx.kernel, id);
      return file ? { text: file.name, href: file.href } : null;
    }
    case 'element': {
      const el = await api.elements.get(ctx.principal, id).catch(() => null);
      return el ? { text: el.name, ...(el.detailUrl ? { href: el.detailUrl } : {}) } : null;
    }
    case 'section': {
      const section = await api.sections.get(ctx.principal, id).catch(() => null);
      const iblock: Iblock | null = section ? await api.iblocks.get(ctx.principal, section.iblockId).catch(() => null) : null;
      if (!section || !iblock) return null;
      const href = sectionHref(iblock.sectionUrl, iblock, section, ctx.siteDir);
      return { text: section.name, ...(href ? { href } : {}) };
    }
    case 'user': {
      const user = await ctx.kernel.users.find(id);
      if (!user) return null;
      return { text: [user.name, user.lastName].filter(Boolean).join(' ') || user.login, href: `/company/${user.id}/` };
    }
    case 'date':
      return { text: calendarDateText(String(v), ctx.lang) };
    case 'datetime':
      return { text: dateText(id, ctx.lang, ctx.timeZone, true) };
    case 'html':
      return { text: '', html: String(v) };
    default:
      return { text: String(v) };
  }
}
