import type { Messages } from './types.js';

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Message lookup per module and language; falls back to English, then to the key itself. */
export class Translator {
  private readonly catalogs = new Map<string, { en: Messages; ru: Messages }>();

  register(moduleId: string, lang: { en: Messages; ru: Messages } | undefined): void {
    if (lang) this.catalogs.set(moduleId, lang);
  }

  t(moduleId: string, key: string, language = 'en', params: Record<string, string | number> = {}): string {
    const catalog = this.catalogs.get(moduleId);
    const lang = (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : 'en';
    // Keys and parameters may come from a request: only own entries count (never "constructor" and friends).
    const own = (m: Messages | undefined) => (m && Object.hasOwn(m, key) ? m[key] : undefined);
    const text = own(catalog?.[lang]) ?? own(catalog?.en) ?? key;
    return text.replace(/#([A-Z0-9_]+)#/g, (m, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : m));
  }

  /** Whether the module has the key (in English, the fallback of every language). */
  has(moduleId: string, key: string): boolean {
    const catalog = this.catalogs.get(moduleId);
    return !!catalog && Object.hasOwn(catalog.en, key);
  }

  /** Keys present in one language but not the other (checked by a test for every module). */
  missingKeys(moduleId: string): { en: string[]; ru: string[] } {
    const c = this.catalogs.get(moduleId);
    if (!c) return { en: [], ru: [] };
    return {
      en: Object.keys(c.ru).filter((k) => !(k in c.en)),
      ru: Object.keys(c.en).filter((k) => !(k in c.ru)),
    };
  }
}
