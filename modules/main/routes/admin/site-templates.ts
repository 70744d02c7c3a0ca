import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../../core/config/paths.js';

export interface SiteTemplateInfo {
  /** Folder name under templates/, e.g. ".default". */
  id: string;
  name: string;
  description: string;
  /** Only templates with a layout.eta can be chosen for a site. */
  hasLayout: boolean;
}

const FOLDER = /^[A-Za-z0-9._-]{1,64}$/;

/** The site templates in templates/, with name and description from template.json when present. */
export function listSiteTemplates(language: string, root = path.join(projectRoot, 'templates')): SiteTemplateInfo[] {
  if (!existsSync(root)) return [];
  const lang = language === 'ru' ? 'ru' : 'en';
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && FOLDER.test(e.name))
    .map((e) => {
      const dir = path.join(root, e.name);
      const meta = readMeta(path.join(dir, 'template.json'));
      return {
        id: e.name,
        name: localized(meta.name, lang) || e.name,
        description: localized(meta.description, lang),
        hasLayout: existsSync(path.join(dir, 'layout.eta')),
      };
    })
    .sort((a, b) => (a.id === '.default' ? -1 : b.id === '.default' ? 1 : a.id.localeCompare(b.id)));
}

/** Ids of the templates a site may use. */
export function selectableTemplates(language: string): string[] {
  return listSiteTemplates(language).filter((t) => t.hasLayout).map((t) => t.id);
}

function readMeta(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function localized(value: unknown, lang: 'en' | 'ru'): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = (value as Record<string, unknown>)[lang] ?? (value as Record<string, unknown>).en;
    return typeof v === 'string' ? v : '';
  }
  return '';
}
