import type { MenuItem } from './types.js';

/** The path part of an href (no query or hash); null for links to other hosts. */
function pathOf(href: string): string | null {
  if (!href.startsWith('/') || href.startsWith('//')) return null;
  return href.replace(/[?#].*$/, '');
}

/** How well an href matches the current path: its length, or -1 when it does not. */
function score(href: string, path: string): number {
  const p = pathOf(href);
  if (p === null) return -1;
  if (p === path) return p.length + 1;
  if (p !== '/' && p.endsWith('/') && path.startsWith(p)) return p.length;
  return -1;
}

/**
 * Marks the active items: among siblings, the one whose href is the longest prefix of
 * the path (only "/" itself for the home link); a parent counts as well as its best child.
 */
export function markActive(items: MenuItem[], path: string): MenuItem[] {
  return mark(items, path).items;
}

function mark(items: MenuItem[], path: string): { items: MenuItem[]; best: number } {
  const scored = items.map((item) => {
    const sub = item.children ? mark(item.children, path) : null;
    return { item, sub, score: Math.max(score(item.href, path), sub?.best ?? -1) };
  });
  const best = Math.max(-1, ...scored.map((s) => s.score));
  let taken = false;
  const out = scored.map(({ item, sub, score: s }) => {
    const active = !taken && best >= 0 && s === best;
    if (active) taken = true;
    const children = sub ? (active ? sub.items : sub.items.map(deactivate)) : undefined;
    return { ...item, active, ...(children ? { children } : {}) };
  });
  return { items: out, best };
}

function deactivate(item: MenuItem): MenuItem {
  return { ...item, active: false, ...(item.children ? { children: item.children.map(deactivate) } : {}) };
}
