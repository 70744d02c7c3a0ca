import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../core/config/paths.js';
import { discoverModules } from '../../core/modules/discover.js';

/**
 * What a visitor reads on the page, as separate strings: its text (also what is folded away,
 * like the "More" menu or a closed filter form, since it unfolds), the tooltips,
 * placeholders, labels and alt texts of elements, option labels and the document title.
 * Left out: code-like elements (code, kbd, samp, pre), form values (textarea content is
 * data), elements marked translate="no", and anything inside an element whose lang
 * differs from the page's (an English mail template listed on a Russian screen).
 * Runs in the browser; a string, because the project has no DOM types.
 */
const READ_PAGE = `(() => {
  const pageLang = (document.documentElement.lang || '').toLowerCase();
  const excluded = (el) => {
    if (el.closest('code, kbd, samp, pre, script, style, textarea, noscript, [translate="no"]')) return true;
    const marked = el.closest('[lang]');
    return !!marked && marked !== document.documentElement && marked.lang.toLowerCase() !== pageLang;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent.replace(/\\s+/g, ' ').trim();
    if (!text || !el || excluded(el)) continue;
    out.push(text);
  }
  for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label], img[alt], option[label]')) {
    if (excluded(el)) continue;
    for (const attr of ['title', 'placeholder', 'aria-label', 'alt', 'label']) {
      const v = el.getAttribute(attr);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  out.push(document.title);
  return { lang: pageLang, texts: out };
})()`;

export async function readPage(page: Page): Promise<{ lang: string; texts: string[] }> {
  return (await page.evaluate(READ_PAGE)) as { lang: string; texts: string[] };
}

/** Names, acronyms and units that stay Latin in a Russian interface. */
export const PROPER_NAMES = [
  'ID', 'IP', 'URL', 'UTC', 'JSON', 'HTML', 'CSV', 'XML', 'API', 'REST', 'SQL', 'SMTP', 'CSRF', 'OK',
  'SQLite', 'MariaDB', 'MySQL', 'memcached', 'PNG', 'JPEG', 'GIF', 'WebP', 'SVG',
  'Ctrl', 'Mac', 'Cmd', 'e-mail', 'http', 'https', 'cron', 'English',
  'LDAP', 'LDAPS', 'OpenLDAP', 'StartTLS', 'TLS', 'DN', 'UUID', 'Active Directory',
  // File extensions, as a list of allowed types shows them.
  'jpg', 'jpeg', 'png', 'gif', 'webp', 'pdf', 'txt', 'doc', 'docx', 'xls', 'xlsx', 'odt', 'ods', 'zip',
];

/** A token that reads as a code rather than a word: foo.bar, snake_case, camelCase, a path, #MACRO#, digits. */
function codeLike(token: string): boolean {
  return /[._:/#@0-9]/.test(token) || /[a-z][A-Z]/.test(token) || /^[A-Za-z]-[A-Za-z]$/.test(token);
}

/** Words of `texts` made of Latin letters that are neither allowed names nor code-like tokens. */
export function latinWords(texts: string[], allowed: Set<string>): string[] {
  const found = new Set<string>();
  for (const raw of texts) {
    const named = [...allowed].filter((name) => name.includes(' ')).reduce((t, name) => t.split(name).join(' '), raw);
    const text = named.replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' ').replace(/\bhttps?:\/\/\S+/g, ' ').replace(/#[A-Z0-9_]+#/g, ' ');
    for (const m of text.matchAll(/\.?[\p{L}\p{N}_][\p{L}\p{N}_.:/#@+'’-]*/gu)) {
      const token = m[0].replace(/[.:'’-]+$/, '');
      if (!/[A-Za-z]/.test(token) || codeLike(token)) continue;
      if (!/^[A-Za-z][A-Za-z'’-]*$/.test(token) || token.length < 2) continue;
      if (allowed.has(token) || allowed.has(token.toLowerCase())) continue;
      found.add(`${token} (in "${raw.slice(0, 80)}")`);
    }
  }
  return [...found];
}

/**
 * Message keys shown instead of their text: SCREAMING_SNAKE tokens (not #MACROS#) that are a
 * message key or start like the portal's keys do (IB_, ADM_, …), so a key no catalogue has
 * (what t() prints for it) is caught too, while a field code such as PROPERTY_SOURCE is not.
 */
export function rawKeys(texts: string[], keys: Set<string>): string[] {
  const prefixes = new Set([...keys].map((k) => k.split('_')[0]!));
  const found = new Set<string>();
  for (const raw of texts) {
    const text = raw.replace(/#[A-Z0-9_]+#/g, ' ');
    for (const m of text.matchAll(/(?<![\w#])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w#])/g)) {
      if (keys.has(m[0]) || prefixes.has(m[0].split('_')[0]!)) found.add(`${m[0]} (in "${raw.slice(0, 80)}")`);
    }
  }
  return [...found];
}

/** Every message key of the modules and the site templates. */
export async function messageKeys(): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const def of await discoverModules()) for (const lang of [def.lang?.en, def.lang?.ru]) for (const k of Object.keys(lang ?? {})) keys.add(k);
  const root = path.join(projectRoot, 'templates');
  for (const name of readdirSync(root)) {
    for (const lang of ['en', 'ru']) {
      const file = path.join(root, name, 'lang', `${lang}.json`);
      if (existsSync(file)) for (const k of Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)) keys.add(k);
    }
  }
  return keys;
}

/** Cyrillic words on an English page (names in their own language, like "Русский", are allowed). */
export function cyrillicWords(texts: string[], allowed: Set<string>): string[] {
  const found = new Set<string>();
  for (const raw of texts) {
    for (const m of raw.matchAll(/[\p{Script=Cyrillic}][\p{Script=Cyrillic}-]*/gu)) {
      if (!allowed.has(m[0])) found.add(`${m[0]} (in "${raw.slice(0, 80)}")`);
    }
  }
  return [...found];
}
