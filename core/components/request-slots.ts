import { randomBytes } from 'node:crypto';
import { flashHtml, takeFlash, type FlashDeps } from '../http/flash.js';
import type { PortalState } from '../http/state.js';

/**
 * What a template shows that belongs to one visitor and one request, while the HTML is
 * cached for many: the CSRF token and the flash messages. The template prints a random
 * placeholder, cached with the HTML; every render, cache hit or not, puts the visitor's
 * value in its place (the way the whole-page cache puts back the token).
 */
export interface RequestSlots {
  csrf: string;
  flash: string;
}

/** Fresh placeholders for one build: random, so no content can contain them. */
export function newSlots(): RequestSlots {
  const id = randomBytes(12).toString('hex');
  return { csrf: `csrf-slot-${id}`, flash: `flash-slot-${id}` };
}

/** What templates get: `it.csrf` (the token), `it.csrfField` (the hidden `_csrf` input), `it.flash` (the messages). */
export function slotData(slots: RequestSlots): { csrf: string; csrfField: string; flash: string } {
  return { csrf: slots.csrf, csrfField: `<input type="hidden" name="_csrf" value="${slots.csrf}">`, flash: slots.flash };
}

/** The placeholders a rendered template used, to keep with the cached HTML (undefined: none). */
export function usedSlots(html: string, slots: RequestSlots): Partial<RequestSlots> | undefined {
  const used: Partial<RequestSlots> = {};
  if (html.includes(slots.csrf)) used.csrf = slots.csrf;
  if (html.includes(slots.flash)) used.flash = slots.flash;
  return used.csrf || used.flash ? used : undefined;
}

/** Puts this request's token and flash messages where the template printed the placeholders. */
export async function fillSlots(html: string, slots: Partial<RequestSlots> | undefined, state: PortalState, deps: Pick<FlashDeps, 'sessions'>): Promise<string> {
  if (!slots) return html;
  let out = html;
  if (slots.csrf) out = out.split(slots.csrf).join(escapeAttr(state.csrfToken ?? ''));
  if (slots.flash) {
    const [first, ...rest] = out.split(slots.flash);
    // The first place that shows the messages takes them; later ones stay empty.
    out = first + flashHtml(await takeFlash(deps, state)) + rest.join('');
  }
  return out;
}

function escapeAttr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
