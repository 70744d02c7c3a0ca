/**
 * Links an admin types that end up in an href (URL templates, component parameters, site folders): only
 * http(s) addresses and site-relative paths, so no `javascript:`, `data:` or protocol-relative `//host` link
 * can be stored. Backslashes, quotes, angle brackets, spaces and control characters are refused everywhere
 * (browsers read "/\host" as "//host").
 */
const REST = String.raw`[^\s<>"'\\\x00-\x1f\x7f]*`;
const RELATIVE = new RegExp(String.raw`^/(?![/\\])${REST}$`);
const ABSOLUTE = new RegExp(String.raw`^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/${REST})?$`, 'i');
const TEMPLATE = new RegExp(String.raw`^#SITE_DIR#(?![/\\]{2})${REST}$`);

/** What is wrong with a link (a sentence to follow its name), or null when it is fine; '' is fine. */
export function linkProblem(value: string, opts: { template?: boolean } = {}): string | null {
  if (value === '') return null;
  if (RELATIVE.test(value) || ABSOLUTE.test(value) || (opts.template && TEMPLATE.test(value))) return null;
  return opts.template ? 'must start with "/", "#SITE_DIR#" or http(s)://' : 'must start with "/" or http(s)://';
}
